// libcurl, loaded (dlopen) when the first http: or https: fetch needs it
// rather than linked. Linked, libcurl and the twenty-odd libraries under it
// (GnuTLS, Kerberos, LDAP, libssh2, librtmp, ...) were mapped and relocated
// at the start of every process using fetch/, about half of the wasmstream
// program's start, even when it only reads files (docs/startup.md). The
// Fetcher serves file: and data: URLs without it.
//
// The build still compiles against <curl/curl.h>: the types and constants are
// the headers', the functions come from here.
#ifndef WASMSTREAM_FETCH_CURL_LIBRARY_H_
#define WASMSTREAM_FETCH_CURL_LIBRARY_H_

#include <curl/curl.h>

#include <string>

namespace wasmstream::fetch {

// The soname loaded: the ABI of Debian's libcurl4 packages, the one the
// headers describe.
inline constexpr char kCurlSoname[] = "libcurl.so.4";

// The functions of libcurl the Fetcher calls.
struct CurlLibrary {
  decltype(&curl_global_init) global_init;
  decltype(&curl_version_info) version_info;
  decltype(&curl_easy_init) easy_init;
  decltype(&curl_easy_setopt) easy_setopt;
  decltype(&curl_easy_pause) easy_pause;
  decltype(&curl_easy_strerror) easy_strerror;
  decltype(&curl_easy_cleanup) easy_cleanup;
  decltype(&curl_multi_init) multi_init;
  decltype(&curl_multi_setopt) multi_setopt;
  decltype(&curl_multi_add_handle) multi_add_handle;
  decltype(&curl_multi_remove_handle) multi_remove_handle;
  decltype(&curl_multi_perform) multi_perform;
  decltype(&curl_multi_info_read) multi_info_read;
  decltype(&curl_multi_poll) multi_poll;
  decltype(&curl_multi_wakeup) multi_wakeup;
  decltype(&curl_multi_cleanup) multi_cleanup;
  decltype(&curl_slist_append) slist_append;
  decltype(&curl_slist_free_all) slist_free_all;
};

// libcurl with curl_global_init done, or null with {*error} saying why (no
// such library, a missing function, a failed init). Thread-safe: the first
// call loads and initializes, later calls return the same result. Never
// unloaded.
const CurlLibrary* LoadCurl(std::string* error);

}  // namespace wasmstream::fetch

#endif  // WASMSTREAM_FETCH_CURL_LIBRARY_H_
