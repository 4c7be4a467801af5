// WebAssembly.Global: types, mutability, value/valueOf, defaults.

test(() => {
  const g = new WebAssembly.Global({value: 'i32', mutable: true}, 42);
  assert_equals(String(g), '[object WebAssembly.Global]');
  assert_equals(g.value, 42);
  assert_equals(g.valueOf(), 42);
  g.value = 2 ** 31;
  assert_equals(g.value, -(2 ** 31), 'stored as i32');
}, 'a mutable i32 global');

test(() => {
  assert_equals(new WebAssembly.Global({value: 'i32'}).value, 0);
  assert_equals(new WebAssembly.Global({value: 'i64'}).value, 0n);
  assert_equals(new WebAssembly.Global({value: 'f32'}).value, 0);
  assert_equals(new WebAssembly.Global({value: 'f64'}).value, 0);
  assert_equals(new WebAssembly.Global({value: 'externref'}).value, undefined);
  assert_equals(new WebAssembly.Global({value: 'anyfunc'}).value, null);
  assert_equals(new WebAssembly.Global({value: 'i32'}, undefined).value, 0, 'undefined is the default');
}, 'default values');

test(() => {
  const g = new WebAssembly.Global({value: 'i64', mutable: true}, 5n);
  assert_equals(g.value, 5n);
  g.value = -1n;
  assert_equals(g.value, -1n);
  assert_throws_js(TypeError, () => { g.value = 1; }, 'a Number for i64');
  assert_throws_js(TypeError, () => new WebAssembly.Global({value: 'i64'}, 1));
  assert_equals(new WebAssembly.Global({value: 'f32'}, 0.1).value, Math.fround(0.1));
}, 'i64 and f32 values');

test(() => {
  const g = new WebAssembly.Global({value: 'f64'}, 1.5);
  assert_throws_js(TypeError, () => { g.value = 2; }, 'immutable');
  assert_equals(g.value, 1.5);
}, 'an immutable global cannot be set');

test(() => {
  assert_throws_js(TypeError, () => new WebAssembly.Global(), 'no descriptor');
  assert_throws_js(TypeError, () => new WebAssembly.Global({value: 'i8'}), 'bad type');
  assert_throws_js(TypeError, () => new WebAssembly.Global({}), 'no type');
  assert_throws_js(TypeError, () => new WebAssembly.Global({value: 'v128'}), 'v128');
  assert_throws_js(TypeError, () => WebAssembly.Global.prototype.valueOf.call({}));
}, 'errors');

test(() => {
  const exports = new WebAssembly.Instance(new WebAssembly.Module(wasmBytes('add')),
                                           {env: {log() {}, g: 1}}).exports;
  assert_true(exports.gm instanceof WebAssembly.Global);
  assert_equals(exports.gm.value, 7);
  exports.gm.value = 8;
  assert_equals(exports.gm.value, 8);
  assert_equals(exports.gm, exports.gm, 'the same Global object');
}, 'an exported global');

test(() => {
  const o = {};
  const g = new WebAssembly.Global({value: 'externref', mutable: true}, o);
  assert_equals(g.value, o);
  g.value = 'x';
  assert_equals(g.value, 'x');
}, 'an externref global holds any JS value');
