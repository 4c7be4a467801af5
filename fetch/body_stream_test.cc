#include "fetch/body_stream.h"

#include <gtest/gtest.h>

#include <thread>

namespace wasmstream::fetch {
namespace {

Bytes B(std::string_view s) { return Bytes(s.begin(), s.end()); }
std::string S(const BodyChunk& b) { return std::string(b.begin(), b.end()); }

TEST(BodyStreamTest, ChunksComeOutInOrderThenDone) {
  auto s = BodyStream::Create();
  EXPECT_TRUE(s->Push(B("ab")));
  EXPECT_TRUE(s->Push(B("cd")));
  s->Close();
  auto reader = s->GetReader();
  ASSERT_TRUE(reader.ok());
  auto& r = reader.value();
  EXPECT_EQ(S(r->ReadBlocking().chunk), "ab");
  EXPECT_EQ(S(r->ReadBlocking().chunk), "cd");
  EXPECT_TRUE(r->ReadBlocking().is_done());
  EXPECT_TRUE(r->ReadBlocking().is_done());
}

TEST(BodyStreamTest, ReaderLockAndDisturbed) {
  auto s = BodyStream::FromBytes(B("x"));
  EXPECT_FALSE(s->locked());
  EXPECT_FALSE(s->disturbed());
  {
    auto r = s->GetReader();
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(s->locked());
    auto second = s->GetReader();
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(second.error().message, "ReadableStream is locked");
    EXPECT_FALSE(s->disturbed());
    EXPECT_EQ(S(r.value()->ReadBlocking().chunk), "x");
    EXPECT_TRUE(s->disturbed());
    EXPECT_FALSE(s->Cancel().ok());  // locked: TypeError
  }
  EXPECT_FALSE(s->locked());  // reader destroyed releases the lock
  EXPECT_TRUE(s->GetReader().ok());
}

TEST(BodyStreamTest, PendingReadIsAnsweredByTheProducerThread) {
  auto s = BodyStream::Create();
  auto reader = std::move(s->GetReader().value());
  std::thread::id reader_thread;
  std::string got;
  std::thread producer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    s->Push(B("late"));
  });
  auto result = reader->ReadBlocking();
  producer.join();
  EXPECT_EQ(S(result.chunk), "late");
  EXPECT_EQ(s->buffered_bytes(), 0u);  // handed over, never buffered
}

TEST(BodyStreamTest, InlineReadWhenBuffered) {
  auto s = BodyStream::Create();
  s->Push(B("now"));
  auto reader = std::move(s->GetReader().value());
  bool called = false;
  reader->Read([&](ReadResult r) {
    called = true;
    EXPECT_EQ(S(r.chunk), "now");
  });
  EXPECT_TRUE(called);  // ran inline
}

TEST(BodyStreamTest, SecondConcurrentReadIsATypeError) {
  auto s = BodyStream::Create();
  auto reader = std::move(s->GetReader().value());
  reader->Read([](ReadResult) {});
  ReadResult second;
  reader->Read([&](ReadResult r) { second = std::move(r); });
  ASSERT_TRUE(second.is_error());
  EXPECT_EQ(second.error.kind, ErrorKind::kTypeError);
  s->Close();
}

TEST(BodyStreamTest, ErrorDropsTheQueueAndReachesTheReader) {
  auto s = BodyStream::Create();
  s->Push(B("lost"));
  s->Error(FetchError::Type("connection reset"));
  auto reader = std::move(s->GetReader().value());
  auto r = reader->ReadBlocking();
  ASSERT_TRUE(r.is_error());
  EXPECT_EQ(r.error.message, "connection reset");
  EXPECT_FALSE(s->Push(B("after")));
}

TEST(BodyStreamTest, BufferLimitPausesAndDrainingResumes) {
  auto s = BodyStream::Create(10);
  int resumes = 0, cancels = 0;
  s->SetProducerHooks([&] { ++resumes; }, [&] { ++cancels; });
  EXPECT_TRUE(s->Push(B("12345")));
  EXPECT_FALSE(s->Push(B("67890")));  // reached the limit: pause
  EXPECT_FALSE(s->WantsMore());
  auto reader = std::move(s->GetReader().value());
  reader->ReadBlocking();  // 5 left: at half the limit, resume
  EXPECT_EQ(resumes, 1);
  EXPECT_TRUE(s->WantsMore());
  reader->ReadBlocking();
  EXPECT_EQ(resumes, 1);  // no second resume without a new pause
  EXPECT_EQ(s->peak_buffered_bytes(), 10u);
  EXPECT_EQ(s->total_pushed_bytes(), 10u);
  reader->Cancel();
  EXPECT_EQ(cancels, 1);
}

TEST(BodyStreamTest, CancelDiscardsAndEndsPendingRead) {
  auto s = BodyStream::Create();
  int cancels = 0;
  s->SetProducerHooks([] {}, [&] { ++cancels; });
  s->Push(B("x"));
  EXPECT_TRUE(s->Cancel().ok());
  EXPECT_TRUE(s->disturbed());
  EXPECT_TRUE(s->cancelled());
  EXPECT_EQ(s->buffered_bytes(), 0u);
  EXPECT_EQ(cancels, 1);
  EXPECT_FALSE(s->Push(B("y")));
  auto reader = std::move(s->GetReader().value());
  EXPECT_TRUE(reader->ReadBlocking().is_done());
}

TEST(BodyStreamTest, ReleasingTheReaderFailsItsPendingRead) {
  auto s = BodyStream::Create();
  ReadResult got;
  {
    auto reader = std::move(s->GetReader().value());
    reader->Read([&](ReadResult r) { got = std::move(r); });
  }
  ASSERT_TRUE(got.is_error());
  EXPECT_EQ(got.error.kind, ErrorKind::kTypeError);
}

std::string Drain(const std::shared_ptr<BodyStream>& s) {
  auto reader = std::move(s->GetReader().value());
  std::string out;
  for (;;) {
    auto r = reader->ReadBlocking();
    if (!r.is_chunk()) {
      if (r.is_error()) out += "<error:" + r.error.message + ">";
      return out;
    }
    out += S(r.chunk);
  }
}

TEST(BodyStreamTest, TeeGivesEveryChunkToBothBranches) {
  auto s = BodyStream::Create();
  auto tee = s->Tee();
  ASSERT_TRUE(tee.ok());
  EXPECT_TRUE(s->locked());
  std::thread producer([&] {
    for (int i = 0; i < 100; ++i) s->Push(B(std::to_string(i) + ","));
    s->Close();
  });
  std::string a, b;
  std::thread ta([&] { a = Drain(tee.value().first); });
  b = Drain(tee.value().second);
  ta.join();
  producer.join();
  std::string expected;
  for (int i = 0; i < 100; ++i) expected += std::to_string(i) + ",";
  EXPECT_EQ(a, expected);
  EXPECT_EQ(b, expected);
}

TEST(BodyStreamTest, TeeBranchesShareBackpressure) {
  auto s = BodyStream::Create(8);
  bool source_paused = false;
  int resumes = 0;
  s->SetProducerHooks([&] { ++resumes; }, [] {});
  auto tee = s->Tee();
  ASSERT_TRUE(tee.ok());
  // Nobody reads branch b: the tee stops pulling once b is full.
  for (int i = 0; i < 10 && !source_paused; ++i) source_paused = !s->Push(B("xxxx"));
  EXPECT_TRUE(source_paused);
  EXPECT_LE(tee.value().second->buffered_bytes(), 8u);
  // Draining the branches lets the tee pull again; the source drains and
  // its producer is resumed.
  auto a = tee.value().first, b = tee.value().second;
  auto ra = std::move(a->GetReader().value());
  auto rb = std::move(b->GetReader().value());
  std::string got_a, got_b;
  while (a->buffered_bytes() > 0 || b->buffered_bytes() > 0 || s->buffered_bytes() > 0) {
    if (a->buffered_bytes() > 0) got_a += S(ra->ReadBlocking().chunk);
    if (b->buffered_bytes() > 0) got_b += S(rb->ReadBlocking().chunk);
  }
  EXPECT_GE(resumes, 1);
  s->Close();
  EXPECT_TRUE(ra->ReadBlocking().is_done());
  EXPECT_TRUE(rb->ReadBlocking().is_done());
  EXPECT_EQ(got_a, got_b);
  EXPECT_EQ(got_a.size(), s->total_pushed_bytes());
}

TEST(BodyStreamTest, TeeErrorReachesBothBranches) {
  auto s = BodyStream::Create();
  auto tee = s->Tee();
  ASSERT_TRUE(tee.ok());
  s->Push(B("a"));
  s->Error(FetchError::Abort());
  // Like ReadableStream, an errored branch drops its unread queue.
  EXPECT_EQ(Drain(tee.value().first), "<error:The operation was aborted.>");
  EXPECT_EQ(Drain(tee.value().second), "<error:The operation was aborted.>");
}

TEST(BodyStreamTest, CancellingBothTeeBranchesCancelsTheSource) {
  auto s = BodyStream::Create();
  int cancels = 0;
  s->SetProducerHooks([] {}, [&] { ++cancels; });
  auto tee = s->Tee();
  ASSERT_TRUE(tee.ok());
  EXPECT_TRUE(tee.value().first->Cancel().ok());
  EXPECT_EQ(cancels, 0);
  EXPECT_TRUE(tee.value().second->Cancel().ok());
  EXPECT_EQ(cancels, 1);
}

}  // namespace
}  // namespace wasmstream::fetch
