#include "bindings/promise.h"

#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace wasmstream::bindings {
namespace {

class PromiseTest : public ::testing::Test {
 protected:
  PromiseTest() {
    loop_.SetUnhandledRejectionHook([this](const Error& e) { unhandled_.push_back(e); });
  }
  EventLoop loop_;
  std::vector<Error> unhandled_;
};

TEST_F(PromiseTest, ReactionIsAMicrotaskEvenWhenAlreadySettled) {
  auto p = Promise<int>::Resolved(loop_, 7);
  int seen = 0;
  p.Then([&](const int& v) { seen = v; });
  EXPECT_EQ(seen, 0);  // not synchronous
  loop_.PerformMicrotaskCheckpoint();
  EXPECT_EQ(seen, 7);
}

TEST_F(PromiseTest, SettledExactlyOnce) {
  Promise<int> p(loop_);
  EXPECT_TRUE(p.Resolve(1));
  EXPECT_FALSE(p.Resolve(2));
  EXPECT_FALSE(p.Reject(Error::Type("late")));
  loop_.PerformMicrotaskCheckpoint();
  EXPECT_TRUE(p.is_fulfilled());
  EXPECT_EQ(p.value(), 1);
  EXPECT_TRUE(unhandled_.empty());
}

TEST_F(PromiseTest, ChainingTransformsValues) {
  Promise<int> p(loop_);
  std::string out;
  p.Then([](const int& v) { return v * 2; })
      .Then([](const int& v) { return std::to_string(v); })
      .Then([&](const std::string& s) { out = s; });
  p.Resolve(21);
  loop_.PerformMicrotaskCheckpoint();
  EXPECT_EQ(out, "42");
}

TEST_F(PromiseTest, RejectionPassesThroughThenToCatchUnchanged) {
  Promise<int> p(loop_);
  Error reason = Error::Make(ErrorKind::kError, "mine");
  Error seen;
  bool fulfilled_ran = false;
  p.Then([&](const int&) {
     fulfilled_ran = true;
     return 0;
   }).Catch([&](const Error& e) {
    seen = e;
    return -1;
  });
  p.Reject(reason);
  loop_.PerformMicrotaskCheckpoint();
  EXPECT_FALSE(fulfilled_ran);
  EXPECT_TRUE(seen.SameObject(reason));
  EXPECT_TRUE(unhandled_.empty());
}

TEST_F(PromiseTest, HandlerReturningSettledErrorRejects) {
  auto p = Promise<int>::Resolved(loop_, 1);
  auto q = p.Then([](const int&) -> Settled<int> { return Error::Range("too big"); });
  Error seen;
  q.Catch([&](const Error& e) {
    seen = e;
    return 0;
  });
  loop_.PerformMicrotaskCheckpoint();
  EXPECT_EQ(seen.kind, ErrorKind::kRangeError);
  EXPECT_EQ(seen.message, "too big");
}

TEST_F(PromiseTest, ResolveWithPromiseAdopts) {
  Promise<int> inner(loop_);
  Promise<int> outer(loop_);
  EXPECT_TRUE(outer.Resolve(inner));
  EXPECT_FALSE(outer.Resolve(5));  // already resolved, though still pending
  loop_.PerformMicrotaskCheckpoint();
  EXPECT_TRUE(outer.is_pending());
  inner.Resolve(9);
  loop_.PerformMicrotaskCheckpoint();
  ASSERT_TRUE(outer.is_fulfilled());
  EXPECT_EQ(outer.value(), 9);
}

TEST_F(PromiseTest, AdoptsRejectionWithSameReason) {
  Error reason = Error::Type("x");
  auto inner = Promise<int>::Rejected(loop_, reason);
  Promise<int> outer(loop_);
  outer.Resolve(inner);
  Error seen;
  outer.Catch([&](const Error& e) {
    seen = e;
    return 0;
  });
  loop_.PerformMicrotaskCheckpoint();
  EXPECT_TRUE(seen.SameObject(reason));
  EXPECT_TRUE(unhandled_.empty());  // inner handled by adoption, outer by Catch
}

TEST_F(PromiseTest, HandlerReturningPromiseIsAdopted) {
  Promise<std::string> later(loop_);
  auto p = Promise<int>::Resolved(loop_, 1);
  std::string out;
  p.Then([&](const int&) { return later; }).Then([&](const std::string& s) { out = s; });
  loop_.PerformMicrotaskCheckpoint();
  EXPECT_EQ(out, "");
  later.Resolve("late");
  loop_.PerformMicrotaskCheckpoint();
  EXPECT_EQ(out, "late");
}

TEST_F(PromiseTest, ResolveWithItselfIsTypeError) {
  Promise<int> p(loop_);
  p.Resolve(p);
  Error seen;
  p.Catch([&](const Error& e) {
    seen = e;
    return 0;
  });
  loop_.PerformMicrotaskCheckpoint();
  EXPECT_EQ(seen.kind, ErrorKind::kTypeError);
}

TEST_F(PromiseTest, ReactionsRunInRegistrationOrder) {
  Promise<int> p(loop_);
  std::string log;
  p.Then([&](const int&) { log += "a"; });
  p.Then([&](const int&) { log += "b"; });
  p.Resolve(0);
  p.Then([&](const int&) { log += "c"; });
  loop_.PerformMicrotaskCheckpoint();
  EXPECT_EQ(log, "abc");
}

TEST_F(PromiseTest, UnhandledRejectionIsReported) {
  Promise<int> p(loop_);
  p.Reject(Error::Type("nobody listens"));
  loop_.PerformMicrotaskCheckpoint();
  ASSERT_EQ(unhandled_.size(), 1u);
  EXPECT_EQ(unhandled_[0].message, "nobody listens");
}

TEST_F(PromiseTest, HandlerAttachedBeforeCheckpointIsNotUnhandled) {
  Promise<int> p(loop_);
  p.Reject(Error::Type("late handler"));
  p.Catch([](const Error&) { return 0; });
  loop_.PerformMicrotaskCheckpoint();
  EXPECT_TRUE(unhandled_.empty());
}

TEST_F(PromiseTest, UnhandledRejectionOfDerivedPromiseIsReported) {
  Promise<int> p(loop_);
  p.Then([](const int& v) { return v; });  // derived promise has no handler
  p.Reject(Error::Compile("bad"));
  loop_.PerformMicrotaskCheckpoint();
  ASSERT_EQ(unhandled_.size(), 1u);
  EXPECT_EQ(unhandled_[0].kind, ErrorKind::kCompileError);
}

TEST_F(PromiseTest, ResultFromAnotherThreadIsPostedBack) {
  Promise<int> p(loop_);
  EventLoop::KeepAlive hold = loop_.Hold();
  std::thread worker([this, p, h = std::move(hold)]() mutable {
    loop_.PostTask([p]() mutable { p.Resolve(123); });
    h.Reset();
  });
  int seen = 0;
  bool on_loop = false;
  p.Then([&](const int& v) {
    seen = v;
    on_loop = loop_.IsLoopThread();
  });
  EXPECT_TRUE(loop_.RunUntilIdle());
  worker.join();
  EXPECT_EQ(seen, 123);
  EXPECT_TRUE(on_loop);
}

TEST_F(PromiseTest, ThenWithBothHandlers) {
  auto p = Promise<int>::Rejected(loop_, Error::Link("l"));
  std::string out;
  p.Then([](const int&) { return std::string("ok"); },
         [](const Error& e) { return std::string(e.name()); })
      .Then([&](const std::string& s) { out = s; });
  loop_.PerformMicrotaskCheckpoint();
  EXPECT_EQ(out, "LinkError");
}

}  // namespace
}  // namespace wasmstream::bindings
