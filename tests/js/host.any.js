// The host: self, location, console, timers, microtasks, one event loop.

test(() => {
  assert_equals(self, globalThis);
  assert_equals(typeof console.log, 'function');
  assert_equals(location.origin, location.protocol + '//' + location.host);
  assert_equals(location.pathname, '/');
  assert_equals(String(location), location.href);
}, 'self, console, location');

async_test(t => {
  const order = [];
  setTimeout(t.step_func(() => order.push('timeout 20')), 20);
  setTimeout(t.step_func(() => order.push('timeout 0')), 0);
  const cancelled = setTimeout(t.unreached_func('a cleared timer ran'), 5);
  clearTimeout(cancelled);
  queueMicrotask(() => order.push('microtask'));
  Promise.resolve().then(() => order.push('promise'));
  order.push('sync');
  setTimeout(t.step_func_done(() => {
    assert_array_equals(order, ['sync', 'microtask', 'promise', 'timeout 0', 'timeout 20']);
  }), 40);
}, 'timers run as tasks, after microtasks, in due order');

async_test(t => {
  setTimeout(t.step_func((a, b) => {
    assert_equals(a, 1);
    assert_equals(b, 'two');
    t.done();
  }), 0, 1, 'two');
}, 'setTimeout passes extra arguments');

promise_test(async () => {
  // A compile's result (a task from the worker) and JS promise jobs
  // interleave on one loop: every reaction runs, none is lost.
  const results = await Promise.all(Array.from({length: 20}, (_, i) =>
      WebAssembly.compile(wasmBytes('simple')).then(() => i)));
  assert_equals(results.length, 20);
}, 'many compiles settle on the one loop');

test(() => {
  assert_throws_js(TypeError, () => queueMicrotask(1));
  assert_equals(typeof setTimeout(() => {}, 0), 'number');
}, 'argument checks');
