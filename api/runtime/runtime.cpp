#include "api/runtime/runtime.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/auth/password_hasher.hpp"
#include "engine/common/crypto.hpp"
#include <nlohmann/json.hpp>
#include "engine/store/mysql/mysql_store.hpp"
#include "engine/store/sqlite/sqlite_store.hpp"
#include "workflows/lifecycle/msm_lifecycle.hpp"

namespace jiuzhu {

namespace {

std::string SourceHome() {
  const char* home = std::getenv("JIUZHU_HOME");
  return home && *home ? std::string(home) : std::string(JIUZHU_SOURCE_DIR);
}

Result<std::string> ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The ID secret for a SQLite database: a random key kept beside it.
// SHA-256 over the names and contents of the cn-*.json files, in name order.
Result<std::string> CalendarFingerprint(const std::string& dir) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind("cn-", 0) == 0 && it->path().extension() == ".json") files.push_back(it->path());
  }
  if (ec) return NotFound("cannot list " + dir + ": " + ec.message());
  std::sort(files.begin(), files.end());
  std::string all;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    if (!in) return NotFound("cannot read " + f.string());
    std::ostringstream text;
    text << in.rdbuf();
    all += f.filename().string() + "\n" + std::to_string(text.str().size()) + "\n" + text.str();
  }
  return Sha256Hex(all);
}

Result<std::string> SqliteKeyFile(const std::string& db_path) {
  const std::string key_path = db_path + ".secret";
  if (std::filesystem::exists(key_path)) {
    JZ_ASSIGN_OR_RETURN(std::string hex, ReadText(key_path));
    while (!hex.empty() && (hex.back() == '\n' || hex.back() == ' ')) hex.pop_back();
    return HexDecode(hex);
  }
  JZ_ASSIGN_OR_RETURN(std::string key, RandomBytes(32));
  const mode_t old = umask(077);
  std::ofstream out(key_path, std::ios::binary);
  out << HexEncode(key) << "\n";
  umask(old);
  if (!out) return Unavailable("cannot write key file " + key_path);
  return key;
}

}  // namespace

std::string DefaultWorkflowsDir() { return SourceHome() + "/workflows"; }
std::string DefaultMigrationsDir() { return SourceHome() + "/migrations"; }

Result<std::unique_ptr<Runtime>> Runtime::Open(RuntimeOptions options) {
  std::unique_ptr<Runtime> rt(new Runtime());
  if (options.workflows_dir.empty()) options.workflows_dir = DefaultWorkflowsDir();
  if (options.migrations_dir.empty()) options.migrations_dir = DefaultMigrationsDir();
  rt->options_ = options;

  const std::string& url = options.db_url;
  std::string secret = options.secret;
  if (secret.empty()) {
    const char* env = std::getenv("JIUZHU_SECRET");
    if (env && *env) secret = env;
  }
  if (url.rfind("mysql://", 0) == 0) {
    rt->dialect_ = "mysql";
    JZ_ASSIGN_OR_RETURN(auto store, MysqlStore::Open(url));
    rt->store_ = std::move(store);
    if (secret.empty()) {
      return InvalidArgument("a MySQL deployment needs JIUZHU_SECRET (or --secret-file) for ID numbers",
                             "secret");
    }
  } else {
    rt->dialect_ = "sqlite";
    std::string path = url.rfind("sqlite:", 0) == 0 ? url.substr(7) : url;
    if (path.empty()) return InvalidArgument("empty SQLite path in database URL", "db");
    const auto parent = std::filesystem::path(path).parent_path();
    std::error_code ec;
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    SqliteOptions so;
    so.synchronous = options.sqlite_synchronous;
    JZ_ASSIGN_OR_RETURN(auto store, SqliteStore::Open(path, so));
    rt->store_ = std::move(store);
    if (secret.empty()) {
      JZ_ASSIGN_OR_RETURN(secret, SqliteKeyFile(path));
    }
  }
  JZ_ASSIGN_OR_RETURN(IdProtector ids, IdProtector::FromSecret(secret));
  rt->ids_ = std::make_unique<IdProtector>(std::move(ids));

  JZ_ASSIGN_OR_RETURN(rt->programmes_, ProgrammeCatalog::LoadDirectory(options.workflows_dir));
  JZ_ASSIGN_OR_RETURN(rt->calendar_,
                      WorkingCalendar::LoadDirectory(options.workflows_dir + "/calendars"));
  JZ_ASSIGN_OR_RETURN(rt->escalation_, EscalationPolicy::LoadFile(
                                           options.workflows_dir + "/escalation.json", rt->programmes_));
  JZ_ASSIGN_OR_RETURN(rt->policies_, PolicyCatalog::LoadFile(options.workflows_dir + "/policies.json"));
  JZ_ASSIGN_OR_RETURN(rt->post_audit_, PostAuditPolicy::LoadFile(
                                           options.workflows_dir + "/post_audit.json", rt->programmes_));
  JZ_ASSIGN_OR_RETURN(rt->alert_rules_,
                      AlertRules::LoadFile(options.workflows_dir + "/alerts.json", rt->programmes_));
  JZ_ASSIGN_OR_RETURN(rt->standards_,
                      StandardsCatalog::LoadDirectory(options.workflows_dir + "/standards"));
  JZ_ASSIGN_OR_RETURN(rt->calendar_fingerprint_,
                      CalendarFingerprint(options.workflows_dir + "/calendars"));
  rt->lifecycle_ = std::make_unique<MsmLifecycle>();
  const Clock* clock = options.clock;
  if (clock == nullptr) {
    rt->own_clock_ = std::make_unique<SystemClock>();
    clock = rt->own_clock_.get();
  }
  // Several servers on one database: give each its own JIUZHU_ID_NODE (0..1023) so their ids
  // can never collide; without it a random node is drawn (a collision is then retried by the
  // deadline clock, and answered 409 to a person, who retries).
  int node = -1;
  if (const char* env = std::getenv("JIUZHU_ID_NODE"); env && *env) {
    char* end = nullptr;
    const long n = std::strtol(env, &end, 10);
    if (*end != '\0' || n < 0 || n > 1023) {
      return InvalidArgument("JIUZHU_ID_NODE must be a whole number from 0 to 1023", "JIUZHU_ID_NODE");
    }
    node = static_cast<int>(n);
  }
  rt->id_gen_ = std::make_unique<IdGenerator>(*clock, node);
  rt->ctx_.programmes = &rt->programmes_;
  rt->ctx_.org = &rt->org_;
  rt->ctx_.calendar = &rt->calendar_;
  rt->ctx_.lifecycle = rt->lifecycle_.get();
  rt->ctx_.ids = rt->ids_.get();
  rt->ctx_.clock = clock;
  rt->ctx_.standards = &rt->standards_;
  rt->ctx_.policies = &rt->policies_;
  rt->ctx_.id_gen = rt->id_gen_.get();
  rt->ctx_.post_audit = &rt->post_audit_;
  ExecutorOptions eo;
  eo.writers = options.writers > 0 ? options.writers : (rt->dialect_ == "mysql" ? 4 : 1);
  rt->executor_ = std::make_unique<CommandExecutor>(*rt->store_, eo);
  return rt;
}

Runtime::~Runtime() {
  executor_.reset();  // drain commands before the store goes
}

Status Runtime::Migrate() {
  return store_->Migrate(options_.migrations_dir + "/" + dialect_);
}

Status Runtime::LoadOrg() {
  JZ_ASSIGN_OR_RETURN(auto units, store_->ListOrgUnits());
  if (units.empty()) {
    return FailedPrecondition("the database has no org tree yet: run `jiuzhu demo` or `jiuzhu org load`");
  }
  JZ_ASSIGN_OR_RETURN(org_, OrgTree::Build(std::move(units)));
  return Status::Ok();
}

Status Runtime::ImportOrg(const std::string& units_file, const std::string& users_file) {
  JZ_ASSIGN_OR_RETURN(std::string units_text, ReadText(units_file));
  JZ_ASSIGN_OR_RETURN(auto units, OrgTree::ParseUnitsJson(units_text, units_file));
  JZ_ASSIGN_OR_RETURN(OrgTree tree, OrgTree::Build(units));
  JZ_ASSIGN_OR_RETURN(std::string users_text, ReadText(users_file));
  JZ_ASSIGN_OR_RETURN(auto users,
                      ParseUsersJson(users_text, users_file, tree, programmes_.RoleCodes()));
  // Demo people share one published password ("demo_password"), hashed once.
  const auto doc = nlohmann::json::parse(users_text, nullptr, false);
  if (doc.is_object() && doc.contains("demo_password") && doc.at("demo_password").is_string()) {
    JZ_ASSIGN_OR_RETURN(std::string hash, auth::HashPassword(doc.at("demo_password").get<std::string>()));
    for (auto& u : users) {
      if (u.password_hash.empty()) u.password_hash = hash;
    }
  }
  JZ_RETURN_IF_ERROR(store_->ReplaceOrgUnits(tree.units()));
  JZ_RETURN_IF_ERROR(store_->UpsertUsers(users));
  org_ = std::move(tree);
  return Status::Ok();
}

Result<UserRecord> Runtime::User(const std::string& username) {
  JZ_ASSIGN_OR_RETURN(auto user, store_->FindUser(username));
  if (!user) return NotFound("unknown user \"" + username + "\"");
  return std::move(*user);
}

}  // namespace jiuzhu
