#include "engine/sampling/sample_parameters.hpp"

#include <algorithm>
#include <cmath>

#include "engine/common/crypto.hpp"

namespace jiuzhu {

namespace {

void AppendItem(std::string& out, const std::string& bytes) {
  out += std::to_string(bytes.size());
  out += ':';
  out += bytes;
  out += '\n';
}

constexpr char kParametersTag[] = "jiuzhu-sample-parameters-v1";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

const char* StratumKeyName(StratumKey k) {
  switch (k) {
    case StratumKey::kDistrict:
      return "district";
    case StratumKey::kStreet:
      return "street";
    case StratumKey::kApprover:
      return "approver";
    case StratumKey::kProgramme:
      return "programme";
  }
  return "?";
}

std::optional<StratumKey> ParseStratumKey(std::string_view name) {
  for (StratumKey k : {StratumKey::kDistrict, StratumKey::kStreet, StratumKey::kApprover,
                       StratumKey::kProgramme}) {
    if (name == StratumKeyName(k)) return k;
  }
  return std::nullopt;
}

Result<SampleParameters> CanonicalizeParameters(const SampleParameters& in) {
  SampleParameters p = in;
  if (p.period_from < 0) return InvalidArgument("period_from must not be negative", "period_from");
  if (p.period_to <= p.period_from) {
    return InvalidArgument("period_to must be after period_from", "period_to");
  }
  if (p.rate_basis_points < 1 || p.rate_basis_points > kRateScale) {
    return InvalidArgument("rate must be above 0 and at most 1 (1..10000 basis points), got " +
                               std::to_string(p.rate_basis_points) + " basis points",
                           "rate");
  }
  std::sort(p.strata.begin(), p.strata.end());
  if (std::adjacent_find(p.strata.begin(), p.strata.end()) != p.strata.end()) {
    return InvalidArgument("strata lists a key twice", "strata");
  }
  if (p.minimum_per_stratum < 0) {
    return InvalidArgument("minimum_per_stratum must be >= 0", "minimum_per_stratum");
  }
  for (const std::string& code : p.programmes) {
    if (code.empty()) return InvalidArgument("programmes holds an empty code", "programmes");
    if (!IsValidUtf8(code)) return InvalidArgument("programmes: code not UTF-8", "programmes");
  }
  std::sort(p.programmes.begin(), p.programmes.end());
  if (auto dup = std::adjacent_find(p.programmes.begin(), p.programmes.end());
      dup != p.programmes.end()) {
    return InvalidArgument("programmes lists " + *dup + " twice", "programmes");
  }
  const std::string& path = p.org_subtree_path;
  if (!path.empty()) {
    const bool shaped = path.size() >= 3 && path.front() == '/' && path.back() == '/' &&
                        path.find("//") == std::string::npos;
    if (!shaped || !IsValidUtf8(path)) {
      return InvalidArgument("org_subtree_path must be a unit path such as /640200/640202/",
                             "org_subtree_path");
    }
  }
  return p;
}

std::string CanonicalParameterEncoding(const SampleParameters& p) {
  std::string out = kParametersTag;
  AppendItem(out, std::to_string(p.period_from));
  AppendItem(out, std::to_string(p.period_to));
  AppendItem(out, std::to_string(p.rate_basis_points));
  std::string strata;
  for (StratumKey k : p.strata) {
    if (!strata.empty()) strata += ',';
    strata += StratumKeyName(k);
  }
  AppendItem(out, strata);
  AppendItem(out, std::to_string(p.minimum_per_stratum));
  AppendItem(out, p.always_include_flagged ? "1" : "0");
  AppendItem(out, std::to_string(p.programmes.size()));
  for (const std::string& code : p.programmes) AppendItem(out, code);
  AppendItem(out, p.org_subtree_path);
  return out;
}

std::string ParameterHash(const SampleParameters& p) {
  return Sha256Hex(CanonicalParameterEncoding(p));
}

Result<int> ParseRate(const std::string& text) {
  auto bad = [&] {
    return InvalidArgument(
        "rate must be a number above 0 and at most 1 (e.g. 0.10 or 10%) "
        "with at most a basis point of precision, got \"" +
            text + "\"",
        "rate");
  };
  std::string s = text;
  bool percent = false;
  if (!s.empty() && s.back() == '%') {
    percent = true;
    s.pop_back();
  }
  const size_t dot = s.find('.');
  const std::string whole = s.substr(0, dot);
  const std::string frac = dot == std::string::npos ? "" : s.substr(dot + 1);
  if (whole.empty() || whole.size() > 3 || (dot != std::string::npos && frac.empty())) {
    return bad();
  }
  if (!std::all_of(whole.begin(), whole.end(), IsDigit) ||
      !std::all_of(frac.begin(), frac.end(), IsDigit)) {
    return bad();
  }
  // Basis points = value x 10000 (fraction) or value x 100 (percent).
  const size_t scale_digits = percent ? 2 : 4;
  std::string digits = frac;
  while (digits.size() > scale_digits && digits.back() == '0') digits.pop_back();
  if (digits.size() > scale_digits) return bad();
  digits.append(scale_digits - digits.size(), '0');
  const long long bp = std::stoll(whole) * (percent ? 100 : 10000) + std::stoll(digits);
  if (bp < 1 || bp > kRateScale) return bad();
  return static_cast<int>(bp);
}

Result<int> RateFromDouble(double rate) {
  const double scaled = rate * kRateScale;
  if (!std::isfinite(scaled)) return InvalidArgument("rate is not a number", "rate");
  const double rounded = std::round(scaled);
  if (std::fabs(scaled - rounded) > 1e-9 * kRateScale || rounded < 1 || rounded > kRateScale) {
    return InvalidArgument(
        "rate must be above 0 and at most 1 with at most a basis point of "
        "precision",
        "rate");
  }
  return static_cast<int>(rounded);
}

bool MatchesFilters(const PopulationEntry& e, const SampleParameters& p) {
  if (e.approved_at < p.period_from || e.approved_at >= p.period_to) return false;
  if (!p.programmes.empty() &&
      !std::binary_search(p.programmes.begin(), p.programmes.end(), e.programme)) {
    return false;
  }
  if (!p.org_subtree_path.empty() &&
      e.org_path.compare(0, p.org_subtree_path.size(), p.org_subtree_path) != 0) {
    return false;
  }
  return true;
}

}  // namespace jiuzhu
