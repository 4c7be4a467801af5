// wasmstream: the command-line program. Each subcommand lives in its own file
// (cmd_*.cc) and registers itself (command.h); this file only dispatches.
#include <malloc.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <sqlite3.h>

#include "fetch/curl_library.h"
#include "tools/wasmstream/command.h"

namespace wasmstream::cli {
namespace {

constexpr const char kVersion[] = "0.1.0";

std::vector<const Command*>& Registry() {
  static std::vector<const Command*> commands;
  return commands;
}

void PrintHelp(FILE* out) {
  std::fprintf(out,
               "usage: wasmstream <command> [options]\n"
               "\n"
               "WebAssembly.compileStreaming(fetch(url)) outside a browser.\n"
               "\n"
               "commands:\n");
  std::vector<const Command*> sorted = AllCommands();
  std::sort(sorted.begin(), sorted.end(),
            [](const Command* a, const Command* b) { return std::strcmp(a->name, b->name) < 0; });
  for (const Command* c : sorted) std::fprintf(out, "  %-10s %s\n", c->name, c->summary);
  std::fprintf(out,
               "  --version  print the version and the libraries in use\n"
               "  --help     print this help\n");
}

void PrintVersion() {
  // libcurl is loaded on demand (fetch/curl_library.h): here, to name it.
  std::string error;
  const fetch::CurlLibrary* curl = fetch::LoadCurl(&error);
  std::string libcurl = curl ? std::string("libcurl ") + curl->version_info(CURLVERSION_NOW)->version
                             : "no libcurl: " + error;
  std::printf("wasmstream %s (%s, SQLite %s)\n", kVersion, libcurl.c_str(), sqlite3_libversion());
}

}  // namespace

Command::Command(const char* n, const char* s, CommandFn r) : name(n), summary(s), run(r) {
  Registry().push_back(this);
}

const std::vector<const Command*>& AllCommands() { return Registry(); }

}  // namespace wasmstream::cli

int main(int argc, char** argv) {
  using namespace wasmstream::cli;
  // Each heap grows by at least 64 MiB at a time. glibc's default (128 KiB)
  // grows a worker thread's heap with one mprotect per few pages: 54,600
  // calls, each taking the address-space lock, in an eager compile of a
  // 60 MB module. A setting for the whole process, so the program's, not the
  // library's: untouched pages cost only address space.
  mallopt(M_TOP_PAD, 64 << 20);
  if (argc < 2) {
    PrintHelp(stderr);
    return 2;
  }
  std::string cmd = argv[1];
  if (cmd == "--version" || cmd == "version") {
    PrintVersion();
    return 0;
  }
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    PrintHelp(stdout);
    return 0;
  }
  for (const Command* c : AllCommands()) {
    if (cmd == c->name) return c->run(std::vector<std::string>(argv + 2, argv + argc));
  }
  std::fprintf(stderr, "wasmstream: unknown command '%s'\n\n", argv[1]);
  PrintHelp(stderr);
  return 2;
}
