// WebAssembly.Table: descriptor, get/set/grow, element types and defaults.

test(() => {
  const t = new WebAssembly.Table({element: 'anyfunc', initial: 2, maximum: 4});
  assert_equals(String(t), '[object WebAssembly.Table]');
  assert_equals(t.length, 2);
  assert_equals(t.get(0), null, 'funcref default is null');
  assert_equals(t.grow(1), 2, 'old length');
  assert_equals(t.length, 3);
  assert_throws_js(RangeError, () => t.grow(2), 'past the maximum');
  assert_throws_js(RangeError, () => t.get(3), 'get out of range');
  assert_throws_js(RangeError, () => t.set(3, null), 'set out of range');
}, 'a funcref table');

test(() => {
  const exports = new WebAssembly.Instance(new WebAssembly.Module(wasmBytes('add')),
                                           {env: {log() {}, g: 1}}).exports;
  const t = new WebAssembly.Table({element: 'funcref', initial: 1});
  t.set(0, exports.add);
  assert_equals(t.get(0), exports.add);
  t.set(0);
  assert_equals(t.get(0), null, 'set() without a value stores the default');
  assert_throws_js(TypeError, () => t.set(0, () => 1), 'a JS function is not a funcref');
  assert_equals(exports.tbl.get(0), exports.add, 'an exported table holds the element segment');
  assert_equals(exports.tbl, exports.tbl, 'the same Table object');
  t.grow(1, exports.add);
  assert_equals(t.get(1), exports.add, 'grow() fills with the given value');
}, 'funcref elements are Exported Functions');

test(() => {
  const t = new WebAssembly.Table({element: 'externref', initial: 2});
  assert_equals(t.get(0), undefined, 'externref default is undefined');
  const o = {};
  t.set(1, o);
  assert_equals(t.get(1), o);
  t.set(1, null);
  assert_equals(t.get(1), null);
  const u = new WebAssembly.Table({element: 'externref', initial: 1}, 'init');
  assert_equals(u.get(0), 'init', 'the initial value');
}, 'an externref table');

test(() => {
  assert_throws_js(TypeError, () => new WebAssembly.Table(), 'no descriptor');
  assert_throws_js(TypeError, () => new WebAssembly.Table({initial: 1}), 'no element');
  assert_throws_js(TypeError, () => new WebAssembly.Table({element: 'i32', initial: 1}), 'not a reference type');
  assert_throws_js(TypeError, () => new WebAssembly.Table({element: 'anyfunc'}), 'no initial');
  assert_throws_js(RangeError, () => new WebAssembly.Table({element: 'anyfunc', initial: 2, maximum: 1}));
  assert_throws_js(TypeError, () => new WebAssembly.Table({element: 'anyfunc', initial: -1}));
}, 'descriptor errors');

test(() => {
  const t = new WebAssembly.Table({element: 'anyfunc', initial: 1});
  assert_throws_js(TypeError, () => t.get(-1), 'negative index');
  assert_throws_js(TypeError, () => t.get(2 ** 32), 'index past unsigned long');
  assert_throws_js(TypeError, () => WebAssembly.Table.prototype.get.call({}, 0), 'receiver');
  const d = Object.getOwnPropertyDescriptor(WebAssembly.Table.prototype, 'length');
  assert_equals(typeof d.get, 'function');
  assert_true(d.enumerable);
}, 'argument and receiver checks');

test(() => {
  const t = new WebAssembly.Table({element: 'anyref', initial: 3});
  assert_equals(t.get(0), null, 'anyref default is null');
  t.set(0, 5);
  assert_equals(t.get(0), 5, 'a small integer is an i31');
  t.set(1, -(2 ** 30));
  assert_equals(t.get(1), -(2 ** 30), 'the smallest i31');
  const o = {};
  t.set(2, o);
  assert_equals(t.get(2), o, 'other values are host values');
  t.set(2, 2 ** 30);
  assert_equals(t.get(2), 2 ** 30, 'a number outside i31 range is a host value');
}, 'an anyref table');
