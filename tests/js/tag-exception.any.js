// WebAssembly.Tag and WebAssembly.Exception.

test(() => {
  const tag = new WebAssembly.Tag({parameters: ['i32', 'i64']});
  assert_equals(String(tag), '[object WebAssembly.Tag]');
  assert_throws_js(TypeError, () => new WebAssembly.Tag({}), 'no parameters');
  assert_throws_js(TypeError, () => new WebAssembly.Tag({parameters: ['i8']}), 'bad type');
  assert_throws_js(TypeError, () => new WebAssembly.Tag(), 'no descriptor');
}, 'new Tag()');

test(() => {
  const tag = new WebAssembly.Tag({parameters: ['i32', 'i64']});
  const e = new WebAssembly.Exception(tag, [42, 7n]);
  assert_equals(String(e), '[object WebAssembly.Exception]');
  assert_true(e.is(tag));
  assert_false(e.is(new WebAssembly.Tag({parameters: ['i32', 'i64']})), 'another tag');
  assert_equals(e.getArg(tag, 0), 42);
  assert_equals(e.getArg(tag, 1), 7n);
  assert_throws_js(RangeError, () => e.getArg(tag, 2));
  assert_throws_js(TypeError, () => e.getArg(new WebAssembly.Tag({parameters: []}), 0));
  assert_throws_js(TypeError, () => new WebAssembly.Exception(tag, [1]), 'wrong payload length');
  assert_throws_js(TypeError, () => new WebAssembly.Exception(tag, [1, 1]), 'a Number for i64');
}, 'new Exception() and its payload');

test(() => {
  const exports = new WebAssembly.Instance(new WebAssembly.Module(wasmBytes('add')),
                                           {env: {log() {}, g: 1}}).exports;
  assert_true(exports.tag instanceof WebAssembly.Tag);
  let caught;
  try { exports.throwTag(9); } catch (e) { caught = e; }
  assert_true(caught instanceof WebAssembly.Exception, 'an uncaught wasm exception is a WebAssembly.Exception');
  assert_true(caught.is(exports.tag));
  assert_equals(caught.getArg(exports.tag, 0), 9);
}, 'a wasm exception thrown out to JS');
