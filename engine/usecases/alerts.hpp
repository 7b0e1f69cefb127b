// Alerts from data comparison and sensors (监测预警, issue 7): a feed account (role
// data_feed) posts what it saw about a person; the engine keeps every alert and, when it
// belongs to a household with an open case, opens a review task for the street
// (alert_review, due per workflows/alerts.json) and links the alert in the case's trail.
//
// Nothing is dropped: an alert that names nobody with an open case is kept as
// "unmatched"; one that cannot be read (bad JSON, unknown kind, invalid ID number, ...)
// as "malformed" with the reason; a medical expense below the programme's threshold as
// "below_threshold". A resend with the same (source, external_id) finds the stored alert
// and changes nothing. Matched alerts flag the case for post-audit sampling.
//
// Completing an alert_review task (CompleteTask): "reassess" sends a monitored household
// back to assessment (the lifecycle's reassess, with the alert as the reason) and closes
// the task with it; "no_change" closes it with a reason.
#pragma once

#include <optional>
#include <string>

#include "engine/alerts/alert_rules.hpp"
#include "engine/usecases/case_commands.hpp"

namespace jiuzhu {

inline constexpr const char kTaskAlertReview[] = "alert_review";
inline constexpr const char kFeedRole[] = "data_feed";

struct AlertOutcome {
  AlertRecord alert;
  bool replayed = false;  // the same (source, external_id) was stored before
  std::optional<CommandOutcome> command;  // matched: the case's command
};

// Errors (nothing stored): kPermissionDenied unless the actor holds data_feed; kConflict
// etc. from the store. Every other problem is stored as a malformed alert (returned OK).
Result<AlertOutcome> IngestAlert(const EngineContext& ctx, const AlertRules& rules, StoreTxn& txn,
                                 const UserRecord& actor, const std::string& raw_body);

}  // namespace jiuzhu
