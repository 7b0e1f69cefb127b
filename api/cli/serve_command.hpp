// `jiuzhu serve`: the HTTP server on the configured database.
#pragma once

#include "api/cli/args.hpp"

namespace jiuzhu::cli {

// Blocks until SIGINT/SIGTERM; returns the process exit code.
int CmdServe(const Args& args);
// Options `serve` accepts besides the global ones.
const std::set<std::string>& ServeOptions();

}  // namespace jiuzhu::cli
