// Records <-> rows for the MySQL adapter: column lists, parameter binding and row reading.
// Internal to engine/store/mysql. Enums are stored by their stable names; a name the program
// does not know is kInternal (the database was written by a newer program or by hand).
#pragma once

#include <cstdint>
#include <string>

#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include "engine/common/status.hpp"
#include "engine/store/case_store.hpp"
#include "engine/store/records.hpp"

namespace jiuzhu::mysql {

// Binds parameters left to right, starting at `first`.
class Binder {
 public:
  explicit Binder(sql::PreparedStatement& ps, unsigned first = 1) : ps_(ps), next_(first) {}
  Binder& Str(const std::string& v);
  Binder& Int(std::int64_t v);
  Binder& NullIfEmpty(const std::string& v);  // NULL for "", else the string
  Binder& Nullable(const std::string* v);     // NULL for nullptr

 private:
  sql::PreparedStatement& ps_;
  unsigned next_;
};

// Reads columns left to right from the current row.
class RowReader {
 public:
  explicit RowReader(sql::ResultSet& rs) : rs_(rs) {}
  std::string Str();  // NULL reads as ""
  std::int64_t Int();

 private:
  sql::ResultSet& rs_;
  unsigned next_ = 1;
};

// Select lists, in the order Read* expects.
extern const char kOrgUnitColumns[];
extern const char kCaseColumns[];
extern const char kTaskColumns[];
extern const char kReferralColumns[];
extern const char kAuditColumns[];
extern const char kNotificationColumns[];

Result<OrgUnitRecord> ReadOrgUnit(sql::ResultSet& rs);
Result<CaseRecord> ReadCase(sql::ResultSet& rs);
Result<TaskRecord> ReadTask(sql::ResultSet& rs);
Result<ReferralRecord> ReadReferral(sql::ResultSet& rs);
Result<AuditEventRecord> ReadAuditEvent(sql::ResultSet& rs);
Result<NotificationRecord> ReadNotification(sql::ResultSet& rs);  // kNotificationColumns
// (org_unit_id, programme, stage, overdue, n).
Result<BoardCount> ReadBoardCount(sql::ResultSet& rs);
// (id, org_path, route, created_at, decided_at) of a case.
Result<DecisionRecord> ReadDecision(sql::ResultSet& rs);

// The column values of a record except its id, in the order of the matching
// k*ValueColumns text used by the INSERT and UPDATE statements. open_id_hash is derived:
// the case's id_hash while its state is not terminal, NULL once it is, so the unique index
// allows one open case per person.
void BindCaseValues(Binder& b, const CaseRecord& c);
void BindTaskValues(Binder& b, const TaskRecord& t);
void BindReferralValues(Binder& b, const ReferralRecord& r);
void BindAuditEvent(Binder& b, const AuditEventRecord& e);      // every column
void BindNotification(Binder& b, const NotificationRecord& n);  // kNotificationColumns

extern const char kCaseValueColumns[];
extern const char kTaskValueColumns[];
extern const char kReferralValueColumns[];

const char* ReferralStatusName(ReferralStatus s);

// "INSERT INTO <table> (id, <value columns>) VALUES (?, ...)".
std::string InsertWithIdSql(const std::string& table, const std::string& value_columns);
// "UPDATE <table> SET c1 = ?, c2 = ?, ... WHERE <where>".
std::string UpdateSql(const std::string& table, const std::string& value_columns,
                      const std::string& where);

}  // namespace jiuzhu::mysql

// --- post-audit (issue 6) ---
namespace jiuzhu::mysql {

extern const char kSampleColumns[];      // ReadSample
extern const char kAuditItemColumns[];   // ReadAuditItem, BindAuditItem (id first)
extern const char kCreditColumns[];      // ReadCredit, BindCredit (id first)
extern const char kPopulationColumns[];  // ReadPopulationEntry (without sample_id)
// Fast-track approvals: parameters (from, to, org_path LIKE pattern); rows for ReadFastTrackApproval.
extern const char kFastTrackApprovalsSql[];

Result<AuditSampleRecord> ReadSample(sql::ResultSet& rs);
Result<AuditItemRecord> ReadAuditItem(sql::ResultSet& rs);
Result<CreditRecord> ReadCredit(sql::ResultSet& rs);
Result<PopulationEntry> ReadPopulationEntry(sql::ResultSet& rs);
Result<FastTrackApproval> ReadFastTrackApproval(sql::ResultSet& rs);
void BindAuditItem(Binder& b, const AuditItemRecord& r);
void BindCredit(Binder& b, const CreditRecord& r);
// Credit records query text for `q` and its parameters bound from the first.
std::string CreditQuerySql(const CreditQuery& q, bool lock);
void BindCreditQuery(Binder& b, const CreditQuery& q);
// --- alerts (issue 7) ---
extern const char kAlertColumns[];  // ReadAlert, BindAlert (id first)
Result<AlertRecord> ReadAlert(sql::ResultSet& rs);
void BindAlert(Binder& b, const AlertRecord& a);

// LIKE pattern text matching `s` literally, for `LIKE ? ESCAPE '!'`.
std::string EscapeLike(const std::string& s);

}  // namespace jiuzhu::mysql
