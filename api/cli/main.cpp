#include <string>
#include <vector>

#include "api/cli/cli_app.hpp"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return jiuzhu::cli::RunCli(args);
}
