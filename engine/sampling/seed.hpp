// The seed of a post-audit draw (抽查种子): 32 bytes from the OS random
// source, written as 64 lowercase hex digits. The seed is generated and
// recorded (and shown to the auditor) before the draw, so the sample cannot
// be steered by trying seeds: the record shows the seed came first.
//
// Stateless; thread-safe.
#pragma once

#include <string>

#include "engine/common/status.hpp"

namespace jiuzhu {

inline constexpr size_t kSeedBytes = 32;

// A fresh seed, 64 lowercase hex digits. kInternal if the OS random source fails.
Result<std::string> GenerateSeed();
// Checks a given seed and returns it in canonical (lowercase) form.
// kInvalidArgument (field "seed") unless it is exactly 64 hex digits.
Result<std::string> ParseSeed(const std::string& text);

}  // namespace jiuzhu
