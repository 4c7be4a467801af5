// libcurl is loaded by the first http(s) fetch, not at start: a process that
// only fetches file: and data: URLs never maps it (curl_library.h). This test
// program must not link libcurl itself (see its BUILD rule), or the library
// would be there from the start.
#include "fetch/curl_library.h"

#include <dlfcn.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "fetch/fetcher.h"
#include "tests/testing/http_server.h"

namespace wasmstream::fetch {
namespace {

bool CurlIsLoaded() {
  void* handle = dlopen(kCurlSoname, RTLD_NOW | RTLD_NOLOAD);
  if (handle) dlclose(handle);  // drops the reference RTLD_NOLOAD added
  return handle != nullptr;
}

std::string Body(const Response& r) {
  auto bytes = r.BytesBlocking();
  EXPECT_TRUE(bytes.ok());
  return bytes.ok() ? std::string(bytes.value().begin(), bytes.value().end()) : "";
}

Request Req(const std::string& url) {
  auto r = Request::Create(url);
  EXPECT_TRUE(r.ok()) << url;
  return std::move(r.value());
}

// One test, in order: what happens before the first http fetch is the point.
TEST(CurlLibraryTest, LoadedByTheFirstHttpFetchOnly) {
  ASSERT_FALSE(CurlIsLoaded()) << "this test program links libcurl: fix its BUILD rule";
  {
    Fetcher fetcher;
    std::string path = ::testing::TempDir() + "/curl_library_test.txt";
    std::ofstream(path) << "from a file";
    Response file = fetcher.FetchBlocking(Req("file://" + path));
    ASSERT_EQ(file.status(), 200);
    EXPECT_EQ(Body(file), "from a file");
    Response data = fetcher.FetchBlocking(Req("data:,inline"));
    ASSERT_EQ(data.status(), 200);
    EXPECT_EQ(Body(data), "inline");
    ::unlink(path.c_str());
  }
  EXPECT_FALSE(CurlIsLoaded()) << "a file: or data: fetch loaded libcurl";

  testserver::HttpServer server;
  server.Fixed("/hello", 200, {}, "over http");
  Fetcher fetcher;
  Response http = fetcher.FetchBlocking(Req(server.Url("/hello")));
  ASSERT_EQ(http.status(), 200);
  EXPECT_EQ(Body(http), "over http");
  EXPECT_TRUE(CurlIsLoaded());
  // The same Fetcher, now waiting in curl_multi_poll, still serves files.
  Response again = fetcher.FetchBlocking(Req("data:,after"));
  EXPECT_EQ(Body(again), "after");
}

TEST(CurlLibraryTest, LoadsOnceAndNamesItsVersion) {
  std::string error;
  const CurlLibrary* first = LoadCurl(&error);
  ASSERT_NE(first, nullptr) << error;
  EXPECT_EQ(LoadCurl(&error), first);
  const curl_version_info_data* info = first->version_info(CURLVERSION_NOW);
  ASSERT_NE(info, nullptr);
  EXPECT_STRNE(info->version, "");
}

}  // namespace
}  // namespace wasmstream::fetch
