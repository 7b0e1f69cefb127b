// The post-audit population (事后抽查总体): the fast-track-approved cases a
// sample is drawn from, frozen as a sorted list with a hash so that anyone can
// later check that the sample came from exactly this list.
//
// Canonical encoding (version 1), what the population hash is SHA-256 over:
// the ASCII tag "jiuzhu-population-v1", then the entry count, then for each
// entry in ascending case id the fields case_id, programme, district_id,
// street_id, org_path, approver, approved_at, flagged. Every item (count and
// fields) is written as its decimal byte length, ':' and its bytes, followed
// by '\n'. Integers are decimal ('-' if negative, no leading zeros);
// approved_at is UTC microseconds since the epoch; flagged is "1" or "0".
// Strings are their UTF-8 bytes as given, never re-normalised. Nothing
// separates the tag from the count: a population of one case 7 begins
// "jiuzhu-population-v11:1\n1:7\n5:dibao\n". The population hash is the
// lowercase hex SHA-256 of these bytes.
//
// Plain values; thread-compatible. A FrozenPopulation is immutable once made.
#pragma once

#include <string>
#include <vector>

#include "engine/common/status.hpp"
#include "engine/common/time.hpp"
#include "engine/store/records.hpp"

namespace jiuzhu {

// What sampling needs to know about one fast-track-approved case.
struct PopulationEntry {
  CaseId case_id = 0;
  std::string programme;    // "dibao"
  std::string district_id;  // the case's district unit, e.g. "640202"
  std::string street_id;    // the case's street unit, e.g. "640202100"
  std::string org_path;     // materialised path of the case's village ("/640200/.../")
  std::string approver;     // username of who approved it
  Micros approved_at = 0;   // UTC
  bool flagged = false;     // flagged by the big-data comparison (大数据比对)

  friend bool operator==(const PopulationEntry& a, const PopulationEntry& b) {
    return a.case_id == b.case_id && a.programme == b.programme && a.district_id == b.district_id &&
           a.street_id == b.street_id && a.org_path == b.org_path && a.approver == b.approver &&
           a.approved_at == b.approved_at && a.flagged == b.flagged;
  }
};

class FrozenPopulation {
 public:
  FrozenPopulation() = default;  // empty population (hash of zero entries)

  // Sorts the entries by case id, checks them and computes the hash.
  // Errors (kInvalidArgument, field "population"; the message names the case
  // and the field): a case id <= 0, a case id listed twice, an empty
  // programme, district_id, street_id, org_path or approver, a string that is
  // not valid UTF-8, approved_at < 0.
  static Result<FrozenPopulation> Freeze(std::vector<PopulationEntry> entries);

  // Sorted by case id, unique.
  const std::vector<PopulationEntry>& entries() const { return entries_; }
  size_t size() const { return entries_.size(); }
  // Lowercase hex SHA-256 of the canonical encoding.
  const std::string& hash() const { return hash_; }

 private:
  std::vector<PopulationEntry> entries_;
  std::string hash_ = EmptyHash();

  static std::string EmptyHash();
};

// The canonical encoding of `entries` in the given order (see above).
// Freeze sorts first; callers that encode by hand must pass a sorted list.
std::string CanonicalPopulationEncoding(const std::vector<PopulationEntry>& entries);

// True when `text` is well-formed UTF-8 (no overlong forms, no surrogates,
// nothing above U+10FFFF).
bool IsValidUtf8(const std::string& text);

}  // namespace jiuzhu
