// Post-audit rules as data (workflows/post_audit.json): how long after a
// fast-track approval (告知承诺) the case stays open to post-audit sampling,
// and how long a revoked pledge (失信) bars the same applicant from the fast
// track. Both in working days on the official calendar.
//
// File format:
//   {"default":    {"window_working_days": 22, "fast_track_ban_working_days": 250},
//    "programmes": {"linshi": {"window_working_days": 10}, ...}}
// "default" and "programmes" are optional; a programme entry overrides only
// the keys it gives. Keys starting with '_' are comments and ignored. Also
// audit_task_working_days, reverify_working_days and decision_working_days
// (1..60): the deadlines of the post-audit tasks.
//
// Window rule: a case approved at instant A has its window open until the end
// (23:59:59.999999 local) of the N-th working day strictly after A's local
// date, i.e. WorkingCalendar::AddWorkingDays(A, N) -- the same rule as task
// deadlines. A draw at instant T over the period [from, to) includes the case
// when from <= A < to, A <= T and T <= that window end.
//
// Immutable after loading; safe to share between threads.
#pragma once

#include <map>
#include <string>

#include "engine/calendar/working_calendar.hpp"
#include "engine/common/status.hpp"
#include "engine/common/time.hpp"
#include "engine/programme/programme.hpp"

namespace jiuzhu {

struct PostAuditRule {
  int window_working_days = 22;           // about one month after approval
  int fast_track_ban_working_days = 250;  // about one year after a breach of pledge
  // Deadlines of the post-audit tasks (engine/usecases/post_audit.hpp), 1..60.
  int audit_task_working_days = 10;  // the auditor checks a sampled case
  int reverify_working_days = 5;     // the street re-verifies a discrepancy
  int decision_working_days = 5;     // the district upholds, adjusts or revokes
};

class PostAuditPolicy {
 public:
  PostAuditPolicy() = default;  // the defaults of PostAuditRule for every programme

  // Errors: kInvalidArgument whose message begins with `origin` and whose
  // field is the JSON path at fault ("default.window_working_days",
  // "programmes.dibao", ...): malformed JSON or not an object, an unknown
  // top-level key, a programme not in `catalog`, an unknown rule key, a
  // window_working_days that is not an integer in 1..250, a
  // fast_track_ban_working_days that is not an integer in 0..2500.
  static Result<PostAuditPolicy> FromJson(const std::string& text, const std::string& origin,
                                          const ProgrammeCatalog& catalog);
  // kNotFound if the file cannot be read; otherwise as FromJson with the path
  // as origin.
  static Result<PostAuditPolicy> LoadFile(const std::string& path, const ProgrammeCatalog& catalog);

  // The rule for `programme` (the default for a programme not listed).
  const PostAuditRule& For(const std::string& programme) const;

  // End of the post-audit window of a case of `programme` approved at `approved_at`.
  Micros WindowEndsAt(const std::string& programme, Micros approved_at,
                      const WorkingCalendar& calendar) const;
  // When a fast-track ban recorded at `recorded_at` for `programme` ends.
  Micros FastTrackBanEndsAt(const std::string& programme, Micros recorded_at,
                            const WorkingCalendar& calendar) const;
  // True when a case of `programme` approved at `approved_at` belongs to the
  // population of a draw at `draw_at` over [period_from, period_to) (see the
  // window rule above).
  bool InDrawPopulation(const std::string& programme, Micros approved_at, Micros period_from,
                        Micros period_to, Micros draw_at, const WorkingCalendar& calendar) const;

 private:
  PostAuditRule default_;
  std::map<std::string, PostAuditRule> programmes_;
};

// The window rule with an explicit N (>= 0), for callers without a policy.
bool InPostAuditWindow(Micros approved_at, Micros period_from, Micros period_to, Micros draw_at,
                       int window_working_days, const WorkingCalendar& calendar);

}  // namespace jiuzhu
