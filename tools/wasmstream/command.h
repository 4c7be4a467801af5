// A subcommand of the wasmstream program. Each lives in its own cmd_*.cc file
// and registers itself with a static Command object:
//
//   static Command validate("validate", "FILE...  validate modules", RunValidate);
//
// The runner gets the arguments after the command name and returns the exit
// status (0 success, 1 the operation failed, 2 bad usage).
#ifndef WASMSTREAM_TOOLS_WASMSTREAM_COMMAND_H_
#define WASMSTREAM_TOOLS_WASMSTREAM_COMMAND_H_

#include <string>
#include <vector>

namespace wasmstream::cli {

using CommandFn = int (*)(const std::vector<std::string>& args);

struct Command {
  Command(const char* name, const char* summary, CommandFn run);
  const char* name;
  const char* summary;
  CommandFn run;
};

const std::vector<const Command*>& AllCommands();

}  // namespace wasmstream::cli

#endif  // WASMSTREAM_TOOLS_WASMSTREAM_COMMAND_H_
