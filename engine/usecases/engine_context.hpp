// What every use case needs, wired once by the program: the rule data, the
// lifecycle, the clock. All members are borrowed and must outlive the
// context; all are safe to share between threads.
#pragma once

#include "engine/assessment/standards.hpp"
#include "engine/calendar/working_calendar.hpp"
#include "engine/common/id_generator.hpp"
#include "engine/common/time.hpp"
#include "engine/identity/id_number.hpp"
#include "engine/lifecycle/lifecycle.hpp"
#include "engine/org/org_tree.hpp"
#include "engine/policy/policy_catalog.hpp"
#include "engine/programme/programme.hpp"
#include "engine/sampling/post_audit_policy.hpp"

namespace jiuzhu {

struct EngineContext {
  const ProgrammeCatalog* programmes = nullptr;
  const OrgTree* org = nullptr;
  const WorkingCalendar* calendar = nullptr;
  const Lifecycle* lifecycle = nullptr;
  const IdProtector* ids = nullptr;
  const Clock* clock = nullptr;
  const StandardsCatalog* standards = nullptr;  // assessment standards per district and year
  const PolicyCatalog* policies = nullptr;       // referral policies (workflows/policies.json)
  IdGenerator* id_gen = nullptr;
  // Post-audit windows, bans and task deadlines; null: PostAuditRule defaults.
  const PostAuditPolicy* post_audit = nullptr;
};

}  // namespace jiuzhu
