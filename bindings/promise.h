// Promise<T>: a JS promise for C++ code on an EventLoop.
//
// - Settled exactly once: Resolve()/Reject() after the first call are ignored
//   (they return false), like the resolving functions' [[AlreadyResolved]].
// - Resolving with a Promise<T> adopts it (two microtasks later, as
//   NewPromiseResolveThenableJob does); resolving with itself rejects with
//   TypeError.
// - Every reaction runs as a microtask on the loop thread, never synchronously
//   inside Then() or Resolve(), even when the promise is already settled.
// - A promise rejected with no reaction attached by the end of the microtask
//   checkpoint is reported to EventLoop's unhandled-rejection hook.
//
// A reaction handler returns one of: void (the derived promise is a
// Promise<Done>), a value U (Promise<U>), a Settled<U> (value or Error: the
// C++ way to "throw"), or a Promise<U> (adopted).
//
// Loop thread only. Threads with a result post a task that settles the
// promise (EventLoop::PostTask). T must be copyable: several reactions may
// each see the value.
#ifndef WASMSTREAM_BINDINGS_PROMISE_H_
#define WASMSTREAM_BINDINGS_PROMISE_H_

#include <functional>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "bindings/error.h"
#include "bindings/event_loop.h"

namespace wasmstream::bindings {

// The value of a promise that fulfils with nothing (JS undefined).
struct Done {
  bool operator==(const Done&) const = default;
};

// A value or an Error: what a reaction returns to fulfil or reject.
template <typename U>
class Settled {
 public:
  Settled(U value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Settled(Error error) : v_(std::move(error)) {}  // NOLINT
  bool ok() const { return v_.index() == 0; }
  U& value() { return std::get<0>(v_); }
  Error& error() { return std::get<1>(v_); }

 private:
  std::variant<U, Error> v_;
};

template <typename T>
class Promise;

namespace promise_internal {

template <typename R>
struct Traits {
  using Value = R;
};
template <>
struct Traits<void> {
  using Value = Done;
};
template <typename U>
struct Traits<Settled<U>> {
  using Value = U;
};
template <typename U>
struct Traits<Promise<U>> {
  using Value = U;
};

enum class State { kPending, kFulfilled, kRejected };

template <typename T>
struct Core {
  explicit Core(EventLoop* l) : loop(l) {}
  EventLoop* loop;
  State state = State::kPending;
  bool already_resolved = false;
  bool handled = false;
  std::optional<T> value;
  std::optional<Error> reason;
  std::vector<std::function<void()>> reactions;  // run, as microtasks, on settlement
};

}  // namespace promise_internal

template <typename T>
class Promise {
 public:
  using value_type = T;

  // A new pending promise on |loop|.
  explicit Promise(EventLoop& loop)
      : core_(std::make_shared<promise_internal::Core<T>>(&loop)) {}

  static Promise Resolved(EventLoop& loop, T value) {
    Promise p(loop);
    p.Resolve(std::move(value));
    return p;
  }
  static Promise Rejected(EventLoop& loop, Error reason) {
    Promise p(loop);
    p.Reject(std::move(reason));
    return p;
  }

  bool Resolve(T value) {
    if (!TakeResolve()) return false;
    Fulfill(std::move(value));
    return true;
  }
  // Adopts |other|: this promise settles as |other| does.
  bool Resolve(const Promise<T>& other) {
    if (core_->already_resolved) return false;
    if (other.core_ == core_) {
      return Reject(Error::Type("Chaining cycle detected for promise"));
    }
    core_->already_resolved = true;
    auto self = core_;
    auto src = other.core_;
    core_->loop->QueueMicrotask([self, src] {
      Promise<T>(src).AddReaction([self, src] {
        Promise<T> me(self);
        if (src->state == promise_internal::State::kFulfilled) {
          me.Fulfill(*src->value);
        } else {
          me.RejectNow(*src->reason);
        }
      });
    });
    return true;
  }
  bool Resolve(Settled<T> s) { return s.ok() ? Resolve(std::move(s.value())) : Reject(std::move(s.error())); }
  bool Reject(Error reason) {
    if (!TakeResolve()) return false;
    RejectNow(std::move(reason));
    return true;
  }

  bool is_pending() const { return core_->state == promise_internal::State::kPending; }
  bool is_fulfilled() const { return core_->state == promise_internal::State::kFulfilled; }
  bool is_rejected() const { return core_->state == promise_internal::State::kRejected; }
  const T& value() const { return *core_->value; }
  const Error& reason() const { return *core_->reason; }
  EventLoop& loop() const { return *core_->loop; }

  // then(onFulfilled): a rejection passes through unchanged.
  template <typename F>
  auto Then(F on_fulfilled) const {
    using R = std::invoke_result_t<F, const T&>;
    using U = typename promise_internal::Traits<R>::Value;
    Promise<U> derived(*core_->loop);
    auto src = core_;
    AddReaction([src, derived, f = std::move(on_fulfilled)]() mutable {
      if (src->state == promise_internal::State::kFulfilled) {
        SettleWith<R>(derived, [&]() -> R { return f(*src->value); });
      } else {
        derived.Reject(*src->reason);
      }
    });
    return derived;
  }

  // then(onFulfilled, onRejected): both must give the same value type.
  template <typename F, typename G>
  auto Then(F on_fulfilled, G on_rejected) const {
    using R = std::invoke_result_t<F, const T&>;
    using RR = std::invoke_result_t<G, const Error&>;
    using U = typename promise_internal::Traits<R>::Value;
    static_assert(std::is_same_v<U, typename promise_internal::Traits<RR>::Value>,
                  "both handlers must settle the derived promise with the same type");
    Promise<U> derived(*core_->loop);
    auto src = core_;
    AddReaction([src, derived, f = std::move(on_fulfilled), g = std::move(on_rejected)]() mutable {
      if (src->state == promise_internal::State::kFulfilled) {
        SettleWith<R>(derived, [&]() -> R { return f(*src->value); });
      } else {
        SettleWith<RR>(derived, [&]() -> RR { return g(*src->reason); });
      }
    });
    return derived;
  }

  // catch(onRejected): the handler gives a T (or Settled<T>, Promise<T>).
  template <typename G>
  Promise<T> Catch(G on_rejected) const {
    return Then([](const T& v) { return v; }, std::move(on_rejected));
  }

 private:
  template <typename U>
  friend class Promise;

  explicit Promise(std::shared_ptr<promise_internal::Core<T>> core) : core_(std::move(core)) {}

  bool TakeResolve() {
    core_->loop->CheckLoopThread("Promise::Resolve/Reject");
    if (core_->already_resolved) return false;
    core_->already_resolved = true;
    return true;
  }

  void Fulfill(T value) {
    core_->value.emplace(std::move(value));
    core_->state = promise_internal::State::kFulfilled;
    Trigger();
  }
  void RejectNow(Error reason) {
    core_->reason.emplace(std::move(reason));
    core_->state = promise_internal::State::kRejected;
    if (!core_->handled) core_->loop->NoteRejectedWithoutHandler(core_.get(), *core_->reason);
    Trigger();
  }
  void Trigger() {
    auto reactions = std::move(core_->reactions);
    core_->reactions.clear();
    for (auto& r : reactions) core_->loop->QueueMicrotask(std::move(r));
  }

  // Runs |reaction| as a microtask once settled (now, if already settled).
  void AddReaction(std::function<void()> reaction) const {
    core_->loop->CheckLoopThread("Promise::Then");
    if (!core_->handled && core_->state == promise_internal::State::kRejected) {
      core_->loop->NoteHandlerAdded(core_.get());
    }
    core_->handled = true;
    if (core_->state == promise_internal::State::kPending) {
      core_->reactions.push_back(std::move(reaction));
    } else {
      core_->loop->QueueMicrotask(std::move(reaction));
    }
  }

  // Settles |derived| with what |call| returns (see the header comment).
  template <typename R, typename U, typename Call>
  static void SettleWith(Promise<U>& derived, Call&& call) {
    if constexpr (std::is_void_v<R>) {
      call();
      derived.Resolve(Done{});
    } else {
      derived.Resolve(call());
    }
  }

  std::shared_ptr<promise_internal::Core<T>> core_;
};

}  // namespace wasmstream::bindings

#endif  // WASMSTREAM_BINDINGS_PROMISE_H_
