// wasmstream js ARGS...: runs the wasmstream-js program (js_main.cc) with
// ARGS, in place of this process.
//
// JavaScriptCore brings ICU, glib, gio, gobject and more with it: linked into
// this program, the dynamic loader maps and relocates all of them at the start
// of every command, cache hits included. Only this command needs them, so
// they live in a sibling program, built with this one and found next to it
// (/proc/self/exe, so a symlink to wasmstream still finds it).
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "tools/wasmstream/command.h"

namespace wasmstream::cli {
namespace {

constexpr char kProgram[] = "wasmstream-js";

// The directory of the running program, with its trailing '/'; empty when
// /proc/self/exe cannot be read (errno says why).
std::string OwnDirectory() {
  std::string path(4096, '\0');
  ssize_t n = readlink("/proc/self/exe", path.data(), path.size());
  if (n <= 0 || static_cast<size_t>(n) >= path.size()) {
    if (n > 0) errno = ENAMETOOLONG;
    return "";
  }
  path.resize(static_cast<size_t>(n));
  return path.substr(0, path.rfind('/') + 1);
}

int RunJs(const std::vector<std::string>& args) {
  std::string dir = OwnDirectory();
  if (dir.empty()) {
    std::fprintf(stderr, "wasmstream js: cannot find this program's directory (/proc/self/exe: %s)\n",
                 std::strerror(errno));
    return 1;
  }
  std::string program = dir + kProgram;
  std::vector<char*> argv;
  argv.push_back(program.data());
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::fflush(nullptr);
  execv(program.c_str(), argv.data());
  // Only reached when the exec failed.
  std::fprintf(stderr,
               "wasmstream js: cannot run %s: %s\n"
               "  (the js command is the %s program, built with wasmstream and kept beside it)\n",
               program.c_str(), std::strerror(errno), kProgram);
  return 1;
}

Command js("js", "FILE.js...  run scripts with the WebAssembly JS API and fetch()", RunJs);

}  // namespace
}  // namespace wasmstream::cli
