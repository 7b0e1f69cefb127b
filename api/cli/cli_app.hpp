// The `jiuzhu` command-line program: subcommands over the engine.
// Every command prints what it did, or a clear error on stderr and a
// non-zero exit code, and changes nothing when it fails.
#pragma once

#include <string>
#include <vector>

namespace jiuzhu::cli {

// Exit codes: 0 success, 1 the command failed (or verification found
// problems), 2 usage error.
int RunCli(const std::vector<std::string>& argv);

}  // namespace jiuzhu::cli
