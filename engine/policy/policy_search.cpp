#include "engine/policy/policy_search.hpp"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>

namespace jiuzhu {

namespace {

constexpr size_t kMaxQueryChars = 64;

std::optional<std::u32string> DecodeUtf8(std::string_view s) {
  std::u32string out;
  size_t i = 0;
  while (i < s.size()) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    int len = 0;
    char32_t cp = 0;
    if (b0 < 0x80) {
      len = 1;
      cp = b0;
    } else if ((b0 & 0xE0) == 0xC0) {
      len = 2;
      cp = b0 & 0x1F;
    } else if ((b0 & 0xF0) == 0xE0) {
      len = 3;
      cp = b0 & 0x0F;
    } else if ((b0 & 0xF8) == 0xF0) {
      len = 4;
      cp = b0 & 0x07;
    } else {
      return std::nullopt;
    }
    if (i + len > s.size()) return std::nullopt;
    for (int k = 1; k < len; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (b & 0x3F);
    }
    static constexpr char32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return std::nullopt;
    }
    out.push_back(cp);
    i += len;
  }
  return out;
}

bool IsSpace(char32_t c) {
  return c == U' ' || c == U'\t' || c == U'\n' || c == U'\r' || c == 0x3000;
}

bool IsPunctuation(char32_t c) {
  return (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) ||
         (c >= 0x7B && c <= 0x7E) || c == 0xB7 || (c >= 0x2010 && c <= 0x206F) ||
         (c >= 0x3001 && c <= 0x303F) || (c >= 0xFF01 && c <= 0xFF0F) ||
         (c >= 0xFF1A && c <= 0xFF20) || (c >= 0xFF3B && c <= 0xFF40) ||
         (c >= 0xFF5B && c <= 0xFF65);
}

// Lower-cases ASCII and full-width letters, maps full-width digits to ASCII.
char32_t Fold(char32_t c) {
  if (c >= U'A' && c <= U'Z') return c - U'A' + U'a';
  if (c >= 0xFF21 && c <= 0xFF3A) return c - 0xFF21 + U'a';
  if (c >= 0xFF41 && c <= 0xFF5A) return c - 0xFF41 + U'a';
  if (c >= 0xFF10 && c <= 0xFF19) return c - 0xFF10 + U'0';
  return c;
}

// Splits into normalised terms (spaces separate, punctuation vanishes).
std::vector<std::u32string> Terms(const std::u32string& text) {
  std::vector<std::u32string> out(1);
  for (char32_t c : text) {
    if (IsSpace(c)) {
      if (!out.back().empty()) out.emplace_back();
    } else if (!IsPunctuation(c)) {
      out.back().push_back(Fold(c));
    }
  }
  if (out.back().empty()) out.pop_back();
  return out;
}

// One normalised string without spaces or punctuation.
std::u32string Normalised(const std::string& utf8) {
  std::u32string out;
  for (const auto& t : Terms(DecodeUtf8(utf8).value_or(std::u32string()))) out += t;
  return out;
}

std::set<std::u32string> Bigrams(const std::u32string& s) {
  std::set<std::u32string> out;
  for (size_t i = 0; i + 1 < s.size(); ++i) out.insert(s.substr(i, 2));
  return out;
}

// Share of the term's bigrams found in `text`, in [0, 1].
double BigramOverlap(const std::set<std::u32string>& term_bigrams, const std::u32string& text) {
  if (term_bigrams.empty()) return 0;
  size_t found = 0;
  for (const auto& b : term_bigrams) {
    if (text.find(b) != std::u32string::npos) ++found;
  }
  return static_cast<double>(found) / static_cast<double>(term_bigrams.size());
}

bool Contains(const std::u32string& hay, const std::u32string& needle) {
  return hay.find(needle) != std::u32string::npos;
}

struct IndexedPolicy {
  const Policy* policy;
  std::u32string name;
  std::vector<std::u32string> keywords;
  std::u32string description;
};

void Note(std::vector<std::string>& matched, std::string what) {
  if (std::find(matched.begin(), matched.end(), what) == matched.end()) {
    matched.push_back(std::move(what));
  }
}

int ScoreTerm(const IndexedPolicy& p, const std::u32string& term,
              std::vector<std::string>& matched) {
  int score = 0;
  bool substring = false;
  if (p.name == term) {
    score += 1000;
    substring = true;
    Note(matched, "name");
  } else if (Contains(p.name, term)) {
    score += 400;
    substring = true;
    Note(matched, "name");
  }
  int keyword_score = 0;
  for (size_t i = 0; i < p.keywords.size(); ++i) {
    const auto& k = p.keywords[i];
    int s = 0;
    if (k == term) {
      s = 600;
    } else if (Contains(k, term)) {
      s = 300;
    } else if (k.size() >= 2 && Contains(term, k)) {
      s = 250;
    }
    if (s > 0) Note(matched, "keyword:" + p.policy->keywords[i]);
    keyword_score = std::max(keyword_score, s);
  }
  if (keyword_score > 0) substring = true;
  score += keyword_score;
  if (Contains(p.description, term)) {
    score += 150;
    substring = true;
    Note(matched, "description");
  }

  const bool ascii_letters =
      std::all_of(term.begin(), term.end(), [](char32_t c) { return c >= U'a' && c <= U'z'; });
  if (ascii_letters) {
    int s = 0;
    for (const auto& initials : p.policy->initials) {
      const std::u32string i(initials.begin(), initials.end());
      if (i == term) {
        s = std::max(s, 500);
      } else if (term.size() >= 2 && i.compare(0, term.size(), term) == 0) {
        s = std::max(s, 200);
      }
    }
    if (s > 0) Note(matched, "initials");
    score += s;
  }

  if (!substring && term.size() >= 2) {
    const auto bigrams = Bigrams(term);
    struct Candidate {
      double overlap;
      int weight;
      const char* field;
    };
    double best_keyword = 0;
    for (const auto& k : p.keywords)
      best_keyword = std::max(best_keyword, BigramOverlap(bigrams, k));
    int best = 0;
    const char* field = nullptr;
    for (const Candidate c :
         {Candidate{BigramOverlap(bigrams, p.name), 200, "fuzzy:name"},
          Candidate{best_keyword, 150, "fuzzy:keyword"},
          Candidate{BigramOverlap(bigrams, p.description), 100, "fuzzy:description"}}) {
      if (c.overlap < 0.5) continue;
      const int s = static_cast<int>(c.overlap * c.weight + 0.5);
      if (s > best) {
        best = s;
        field = c.field;
      }
    }
    if (field) Note(matched, field);
    score += best;
  }
  return score;
}

}  // namespace

Result<std::vector<PolicySearchHit>> SearchPolicies(const PolicyCatalog& catalog,
                                                    std::string_view query, size_t limit) {
  const auto decoded = DecodeUtf8(query);
  if (!decoded) return InvalidArgument("search query is not valid UTF-8", "query");
  if (decoded->size() > kMaxQueryChars) {
    return InvalidArgument("search query longer than 64 characters", "query");
  }
  const auto terms = Terms(*decoded);
  if (terms.empty()) return InvalidArgument("search query is empty", "query");

  std::vector<PolicySearchHit> hits;
  for (const Policy& policy : catalog.policies()) {
    IndexedPolicy p{&policy, Normalised(policy.name), {}, Normalised(policy.description)};
    for (const auto& k : policy.keywords) p.keywords.push_back(Normalised(k));
    PolicySearchHit hit;
    hit.policy = &policy;
    for (const auto& t : terms) hit.score += ScoreTerm(p, t, hit.matched);
    if (hit.score > 0) hits.push_back(std::move(hit));
  }
  // Stable: equal scores keep catalogue order.
  std::stable_sort(
      hits.begin(), hits.end(),
      [](const PolicySearchHit& a, const PolicySearchHit& b) { return a.score > b.score; });
  if (limit > 0 && hits.size() > limit) hits.resize(limit);
  return hits;
}

}  // namespace jiuzhu
