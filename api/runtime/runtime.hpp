// The composition root: opens the store named by a database URL, loads the
// rule data from workflows/, and wires the engine (context + group-commit
// executor). Used by the `jiuzhu` program, the tests and the benchmarks;
// nothing below api/ knows which store or lifecycle implementation runs.
#pragma once

#include <memory>
#include <string>

#include "engine/assessment/standards.hpp"
#include "engine/calendar/working_calendar.hpp"
#include "engine/common/id_generator.hpp"
#include "engine/deadlines/escalation_policy.hpp"
#include "engine/alerts/alert_rules.hpp"
#include "engine/sampling/post_audit_policy.hpp"
#include "engine/policy/policy_catalog.hpp"
#include "engine/executor/command_executor.hpp"
#include "engine/identity/id_number.hpp"
#include "engine/lifecycle/lifecycle.hpp"
#include "engine/org/org_tree.hpp"
#include "engine/programme/programme.hpp"
#include "engine/store/case_store.hpp"
#include "engine/usecases/engine_context.hpp"

namespace jiuzhu {

struct RuntimeOptions {
  // "sqlite:<path>" (or a plain path), or "mysql://user:pass@host:port/db".
  std::string db_url = "sqlite:var/jiuzhu.db";
  std::string workflows_dir;   // default: <source>/workflows
  std::string migrations_dir;  // default: <source>/migrations (dialect appended)
  // Secret for ID-number hashing/encryption. Empty: $JIUZHU_SECRET, else for
  // SQLite a key file beside the database (created once, mode 0600).
  std::string secret;
  std::string sqlite_synchronous = "full";
  int writers = 0;             // 0: 1 for SQLite, 4 for MySQL
  const Clock* clock = nullptr;  // default: the system clock
};

// Thread-safe once built; owns everything it wires.
class Runtime {
 public:
  // Opens the store and loads programmes, roles and calendars. Errors name
  // the file or URL at fault (never the password).
  static Result<std::unique_ptr<Runtime>> Open(RuntimeOptions options);
  ~Runtime();

  Status Migrate();
  // Loads the org tree from the store; kFailedPrecondition when there is none
  // yet (run `jiuzhu demo` or `jiuzhu org load`).
  Status LoadOrg();
  // Replaces org units and users from the two JSON files and reloads.
  Status ImportOrg(const std::string& units_file, const std::string& users_file);

  // kNotFound naming the user if unknown.
  Result<UserRecord> User(const std::string& username);

  CaseStore& store() { return *store_; }
  CommandExecutor& executor() { return *executor_; }
  const EngineContext& ctx() const { return ctx_; }
  const ProgrammeCatalog& programmes() const { return programmes_; }
  const OrgTree& org() const { return org_; }
  const WorkingCalendar& calendar() const { return calendar_; }
  const EscalationPolicy& escalation() const { return escalation_; }
  // Other departments' programmes households may be referred to (workflows/policies.json).
  const PolicyCatalog& policies() const { return policies_; }
  // Post-audit windows, fast-track bans and task deadlines (workflows/post_audit.json).
  const PostAuditPolicy& post_audit() const { return post_audit_; }
  // Alert kinds, review deadlines and thresholds (workflows/alerts.json).
  const AlertRules& alert_rules() const { return alert_rules_; }
  // Assessment standards per district and year (workflows/standards/*.json).
  const StandardsCatalog& standards() const { return standards_; }
  // SHA-256 over the calendar files (names and contents): changes when a year's
  // holiday arrangement is edited or added.
  const std::string& calendar_fingerprint() const { return calendar_fingerprint_; }
  const IdProtector& ids() const { return *ids_; }
  const std::string& dialect() const { return dialect_; }
  const RuntimeOptions& options() const { return options_; }

 private:
  Runtime() = default;
  RuntimeOptions options_;
  std::string dialect_;  // "sqlite" or "mysql"
  std::unique_ptr<CaseStore> store_;
  std::unique_ptr<Lifecycle> lifecycle_;
  std::unique_ptr<Clock> own_clock_;
  std::unique_ptr<IdGenerator> id_gen_;
  std::unique_ptr<IdProtector> ids_;
  ProgrammeCatalog programmes_;
  WorkingCalendar calendar_;
  EscalationPolicy escalation_;
  PolicyCatalog policies_;
  PostAuditPolicy post_audit_;
  AlertRules alert_rules_;
  StandardsCatalog standards_;
  std::string calendar_fingerprint_;
  OrgTree org_;
  EngineContext ctx_;
  std::unique_ptr<CommandExecutor> executor_;
};

// Default locations inside the source tree (compiled in; overridable by
// $JIUZHU_HOME pointing at a checkout).
std::string DefaultWorkflowsDir();
std::string DefaultMigrationsDir();

}  // namespace jiuzhu
