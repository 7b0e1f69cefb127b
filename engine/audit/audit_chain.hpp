// The tamper-evident audit trail (全程留痕). Each case has its own chain:
// event k carries the hash of event k-1 (empty for k = 1) and its own hash,
// SHA-256 over a canonical encoding of all its fields (including seq and
// prev_hash). The case row keeps the chain head (last seq and hash), so a
// removed tail is detected too.
//
// Canonical encoding (version 1): the ASCII tag "jiuzhu-audit-v1" then, for
// each field in the order case_id, seq, at, actor, role, org_unit_id, action,
// from_state, to_state, payload, prev_hash, the field's decimal byte length,
// ':' and its bytes, each followed by '\n'. Integers are in decimal (with a
// leading '-' if negative). Nothing separates the tag from the first field:
// case 7, seq 1 begins "jiuzhu-audit-v11:7\n1:1\n". Strings are hashed as the
// bytes stored (UTF-8), never re-normalised.
//
// What the chain does not stop: someone with write access who recomputes
// every hash of a case and its head. Anchoring heads outside the database is
// the remedy (see docs/ARCHITECTURE.md).
//
// All functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/store/records.hpp"

namespace jiuzhu {

std::string CanonicalAuditEncoding(const AuditEventRecord& e);
// Hex SHA-256 of the canonical encoding.
std::string ComputeAuditHash(const AuditEventRecord& e);
// Fills e.seq, e.prev_hash and e.hash so that `e` follows (prev_seq, prev_hash).
void SealAuditEvent(AuditEventRecord& e, std::int64_t prev_seq, const std::string& prev_hash);

enum class AuditProblemKind {
  kEdited,        // an event's content no longer matches its hash, or it was re-hashed
  kDeleted,       // events are missing (a gap in the chain, or the tail is gone)
  kInserted,      // a row that was never part of the chain
  kReordered,     // genuine events whose seq values were exchanged
  kHeadMismatch,  // the case row's head does not match the chain
};
// Stable lower-case name: "edited", "deleted", "inserted", "reordered", "head_mismatch".
const char* AuditProblemKindName(AuditProblemKind k);

struct AuditProblem {
  CaseId case_id = 0;
  // The row concerned, by its stored seq; for kDeleted the first missing seq
  // (detail names the range); for kHeadMismatch the head's seq.
  std::int64_t seq = 0;
  AuditProblemKind kind = AuditProblemKind::kEdited;
  std::string detail;  // one human sentence
};

// Checks one case's events (any order) against its head (the case row's
// audit_head_seq and audit_head_hash). Returns every problem found, sorted by
// seq then kind; empty when the chain verifies.
//
// The chain is rebuilt by the seq each row's hash was computed with (for a
// row whose stored seq was changed, recovered from its predecessor link), and
// each anomaly is reported once, by its cause:
//  - a row whose content does not match its hash → kEdited at it (the next
//    event still links to its stored hash, so nothing else is reported);
//  - a sealed row its successor (or, for the first row, the empty hash) does
//    not link to → kEdited: it was changed and re-hashed, or replaced;
//  - a row sealed with another seq, moved to a place no other event left →
//    kEdited (its seq was changed); rows that took each other's places →
//    kReordered, one problem per row, naming both seqs for a swap;
//  - seqs missing between rows, or between the last row and a head that
//    names a hash no row has → kDeleted, one problem per missing range;
//  - a second row for a position the chain does not link to (forged or
//    duplicated), a row past a matching head, or a sealed row of another case
//    → kInserted; rows renumbered to make room for an insertion or close a
//    deletion are explained by it and not reported again;
//  - a head whose hash is not that of the event at its seq (or whose seq is
//    impossible) → kHeadMismatch.
// O(n log n) in the number of events when the chain verifies; a damaged
// case may cost a bounded search for the seq an unlinked row was sealed with.
std::vector<AuditProblem> VerifyCaseChain(CaseId case_id, std::vector<AuditEventRecord> events,
                                          std::int64_t head_seq, const std::string& head_hash);

}  // namespace jiuzhu
