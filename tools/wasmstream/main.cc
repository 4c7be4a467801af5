// wasmstream: the command-line program. Each subcommand lives in its own file
// (cmd_*.cc) as the layers land; this file only dispatches.
#include <cstdio>
#include <cstring>
#include <string_view>

#include <curl/curl.h>
#include <sqlite3.h>

namespace {

constexpr const char kVersion[] = "0.1.0";

void PrintHelp(FILE* out) {
  std::fprintf(out,
               "usage: wasmstream <command> [options]\n"
               "\n"
               "WebAssembly.compileStreaming(fetch(url)) outside a browser.\n"
               "\n"
               "commands:\n"
               "  --version   print the version and the libraries in use\n"
               "  --help      print this help\n");
}

void PrintVersion() {
  std::printf("wasmstream %s (libcurl %s, SQLite %s)\n", kVersion,
              curl_version_info(CURLVERSION_NOW)->version, sqlite3_libversion());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    PrintHelp(stderr);
    return 2;
  }
  std::string_view cmd = argv[1];
  if (cmd == "--version" || cmd == "version") {
    PrintVersion();
    return 0;
  }
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    PrintHelp(stdout);
    return 0;
  }
  std::fprintf(stderr, "wasmstream: unknown command '%s'\n\n", argv[1]);
  PrintHelp(stderr);
  return 2;
}
