// Keyword and fuzzy search over the policy catalogue in Chinese (关键词 +
// 模糊查找), for staff on a home visit: "癌症", "残疾", "妇女" find the
// matching policies.
//
// The query is split on white space into terms; each term is normalised
// (ASCII and full-width letters lower-cased, punctuation dropped) and scored
// against each policy; a policy's score is the sum over terms:
//   name equal to the term 1000, name containing it 400;
//   a keyword equal to it 600, a keyword containing it 300;
//   a keyword (2+ characters) contained in the term 250;
//   the description containing it 150;
//   otherwise, for terms of 2+ characters, character-bigram overlap with the
//   name (up to 200), a keyword (150) or the description (100) when at least
//   half of the term's bigrams occur there;
//   a term of ASCII letters equal to one of the policy's pinyin initials 500,
//   a prefix (2+ letters) of one 200.
// Hits are policies with a positive score, by score descending, then in
// catalogue order: the same query on the same catalogue gives the same list.
//
// Pure function; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/common/status.hpp"
#include "engine/policy/policy_catalog.hpp"

namespace jiuzhu {

struct PolicySearchHit {
  const Policy* policy = nullptr;  // points into the catalogue searched
  int score = 0;
  std::vector<std::string>
      matched;  // "name", "keyword:癌症", "description", "initials", "fuzzy:name"
};

// Errors (kInvalidArgument, field "query"): not UTF-8, nothing left after
// dropping spaces and punctuation, longer than 64 characters.
// `limit` 0 means all hits.
Result<std::vector<PolicySearchHit>> SearchPolicies(const PolicyCatalog& catalog,
                                                    std::string_view query, size_t limit = 0);

}  // namespace jiuzhu
