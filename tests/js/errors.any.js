// CompileError, LinkError, RuntimeError: NativeError-shaped Error subclasses,
// and the errors the API throws and rejects with are of them.

for (const name of ['CompileError', 'LinkError', 'RuntimeError']) {
  test(() => {
    const E = WebAssembly[name];
    assert_equals(Object.getPrototypeOf(E), Error, 'constructor inherits from Error');
    assert_equals(Object.getPrototypeOf(E.prototype), Error.prototype, 'prototype chain');
    assert_equals(E.length, 1);
    assert_equals(E.prototype.name, name);
    assert_equals(E.prototype.message, '');
    assert_equals(E.prototype.constructor, E);
    const d = Object.getOwnPropertyDescriptor(E, 'prototype');
    assert_false(d.writable || d.enumerable || d.configurable, 'prototype is fixed');
  }, `${name}: constructor and prototype`);

  test(() => {
    const E = WebAssembly[name];
    const e = new E('msg');
    assert_true(e instanceof E && e instanceof Error);
    assert_equals(e.message, 'msg');
    assert_equals(e.name, name);
    assert_equals(String(e), `${name}: msg`);
    assert_equals(Object.prototype.toString.call(e), '[object Error]');
    assert_true(Object.prototype.hasOwnProperty.call(e, 'message'));
    assert_false(Object.prototype.hasOwnProperty.call(new E(), 'message'), 'no own message without one');
    const called = E('called');
    assert_true(called instanceof E, 'callable without new');
    const withCause = new E('m', {cause: 7});
    assert_equals(withCause.cause, 7, 'cause');
  }, `${name}: instances`);

  test(() => {
    class Sub extends WebAssembly[name] {}
    const s = new Sub('x');
    assert_true(s instanceof Sub && s instanceof WebAssembly[name]);
    assert_equals(s.message, 'x');
  }, `${name} can be subclassed`);
}

test(() => {
  assert_throws_js(WebAssembly.CompileError, () => new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1])));
  assert_throws_js(WebAssembly.CompileError, () => new WebAssembly.Module(new Uint8Array(0)));
}, 'new Module() of bad bytes throws CompileError');

test(() => {
  const m = new WebAssembly.Module(wasmBytes('add'));
  const i = new WebAssembly.Instance(m, {env: {log() {}, g: 1}});
  let error;
  try { i.exports.trap(); } catch (e) { error = e; }
  assert_true(error instanceof WebAssembly.RuntimeError);
  assert_equals(error.message, 'unreachable');
  assert_true(typeof error.stack === 'string', 'has a stack');
  assert_throws_js(WebAssembly.RuntimeError, () => i.exports.divide(1, 0));
}, 'a trap is a RuntimeError');

test(() => {
  const m = new WebAssembly.Module(wasmBytes('add'));
  const i = new WebAssembly.Instance(m, {env: {log() {}, g: 1}});
  assert_throws_js(RangeError, () => i.exports.recurse(0));
  assert_equals(i.exports.add(1, 2), 3, 'usable after the stack overflow');
}, 'call stack exhaustion is a RangeError');

promise_test(t => {
  return promise_rejects_js(t, WebAssembly.CompileError,
                            WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1])));
}, 'compile() of bad bytes rejects with CompileError');

promise_test(t => {
  return promise_rejects_js(t, WebAssembly.LinkError,
                            WebAssembly.instantiate(wasmBytes('add'), {env: {log: 1, g: 1}}));
}, 'instantiate() with a non-callable function import rejects with LinkError');
