// Exported Functions and the value conversions (ToWebAssemblyValue,
// ToJSValue), host functions called from wasm, JS exceptions crossing wasm.

function make(imports = {}) {
  const m = new WebAssembly.Module(wasmBytes('add'));
  return new WebAssembly.Instance(m, {env: Object.assign({log() {}, g: 1}, imports)}).exports;
}

test(() => {
  const e = make();
  assert_equals(typeof e.add, 'function');
  assert_equals(Object.getPrototypeOf(e.add), Function.prototype);
  assert_equals(e.add.length, 2);
  assert_equals(e.inc64.length, 1);
  assert_equals(e.trap.length, 0);
  assert_true(/^\d+$/.test(e.add.name), 'name is the function index');
  const d = Object.getOwnPropertyDescriptor(e.add, 'name');
  assert_false(d.writable || d.enumerable, 'name');
  assert_true(d.configurable, 'name');
  const l = Object.getOwnPropertyDescriptor(e.add, 'length');
  assert_false(l.writable || l.enumerable, 'length');
  assert_true(l.configurable, 'length');
}, 'name and length');

test(() => {
  const e = make();
  assert_equals(e.tbl.get(0), e.add, 'table element is the same function object');
  assert_equals(e.funcref(e.add), e.add, 'funcref round trip');
  assert_equals(e.funcref(null), null);
}, 'the same function object each time');

test(() => {
  const e = make();
  assert_equals(e.add(2, 3), 5);
  assert_equals(e.add(0x7fffffff, 1), -0x80000000, 'i32 wraps and is signed');
  assert_equals(e.add('2', {valueOf: () => 3}), 5, 'ToInt32 of any value');
  assert_equals(e.add(), 0, 'missing arguments are undefined: 0');
  assert_equals(e.add(1.9, 2**32 + 1), 2, 'truncation and modulo');
  assert_equals(e.add(1, 2, 3), 3, 'extra arguments are ignored');
  assert_equals(e.f64(0.1), 0.1);
  assert_equals(e.f32(0.1), Math.fround(0.1));
  assert_true(Number.isNaN(e.f64('x')));
}, 'i32, f32, f64 conversions');

test(() => {
  const e = make();
  assert_equals(e.inc64(41n), 42n);
  assert_equals(e.inc64(2n ** 63n - 1n), -(2n ** 63n), 'wraps to signed');
  assert_equals(e.inc64(2n ** 64n + 1n), 2n, 'modulo 2^64');
  assert_equals(e.inc64(true), 2n, 'ToBigInt of a boolean');
  assert_equals(e.inc64('5'), 6n, 'ToBigInt of a string');
  assert_throws_js(TypeError, () => e.inc64(1), 'a Number is not a BigInt');
  assert_throws_js(TypeError, () => e.inc64(), 'undefined');
  assert_throws_js(SyntaxError, () => e.inc64('x'), 'an unparsable string');
  assert_equals(e.gi64.value, -1n, 'i64 global');
}, 'i64 is a BigInt');

test(() => {
  const e = make();
  assert_throws_js(TypeError, () => e.takesV128(), 'v128 parameter');
  assert_throws_js(TypeError, () => e.returnsV128(), 'v128 result');
}, 'v128 has no JS value: TypeError');

test(() => {
  const e = make();
  const o = {x: 1};
  assert_equals(e.identity(o), o, 'an object');
  assert_equals(e.identity(null), null);
  assert_equals(e.identity(undefined), undefined);
  assert_equals(e.identity('s'), 's');
  assert_equals(e.identity(1.5), 1.5);
  const sym = Symbol('x');
  assert_equals(e.identity(sym), sym);
}, 'externref carries any JS value through');

test(() => {
  const e = make();
  assert_throws_js(TypeError, () => e.funcref(() => 1), 'a JS function is not a funcref');
  assert_throws_js(TypeError, () => e.funcref({}), 'an object');
}, 'funcref takes null or an Exported Function');

test(() => {
  const e = make();
  const r = e.multi();
  assert_true(Array.isArray(r));
  assert_array_equals(r, [1, 2.5, 3n]);
}, 'several results are an array');

test(() => {
  const seen = [];
  const e = make({log: function (x) { 'use strict'; seen.push([x, this, arguments.length]); return 'ignored'; }});
  e.callLog(-7n);
  assert_equals(seen.length, 1);
  assert_equals(seen[0][0], -7n, 'i64 argument as BigInt');
  assert_equals(seen[0][1], undefined, 'this is undefined');
  assert_equals(seen[0][2], 1);
}, 'an imported JS function gets converted arguments');

test(() => {
  const error = new TypeError('from JS');
  const e = make({log() { throw error; }});
  assert_throws_exactly(error, () => e.callLog(1n));
  assert_equals(e.add(1, 1), 2, 'the instance stays usable');
}, 'a JS exception crosses wasm unchanged');

test(() => {
  const m = new WebAssembly.Module(wasmBytes('imports'));
  const make2 = f => new WebAssembly.Instance(m, {
    a: {f}, b: {mem: new WebAssembly.Memory({initial: 1})},
    c: {tbl: new WebAssembly.Table({element: 'anyfunc', initial: 1})},
    d: {g: new WebAssembly.Global({value: 'i32', mutable: true})},
    e: {tag: new WebAssembly.Tag({parameters: ['i32']})}, f: {c: 0}}).exports;
  assert_equals(make2(x => x + 0.9).call(1), 1, 'result ToInt32');
  assert_equals(make2(() => '12').call(0), 12);
  const sym = make2(() => Symbol());
  assert_throws_js(TypeError, () => sym.call(0), 'a Symbol result is a TypeError');
}, 'host function results are converted');

test(() => {
  const e = make();
  const recurse = () => e.add(1, 2);
  const outer = make({log() { assert_equals(recurse(), 3); }});
  outer.callLog(0n);
}, 'wasm -> JS -> wasm re-entry');

test(() => {
  const js = x => x;
  const m = new WebAssembly.Module(wasmBytes('imports'));
  const make2 = () => new WebAssembly.Instance(m, {
    a: {f: js}, b: {mem: new WebAssembly.Memory({initial: 1})},
    c: {tbl: new WebAssembly.Table({element: 'anyfunc', initial: 1})},
    d: {g: new WebAssembly.Global({value: 'i32', mutable: true})},
    e: {tag: new WebAssembly.Tag({parameters: ['i32']})}, f: {c: 0}}).exports;
  assert_equals(make2().call(3), 3);
  assert_equals(make2().call(4), 4, 'a JS function can be imported by several instances');
  const add = new WebAssembly.Instance(new WebAssembly.Module(wasmBytes('add')),
                                       {env: {log: js, g: 1}}).exports;
  assert_throws_js(TypeError, () => add.funcref(js), 'an imported JS function is still not an Exported Function');
}, 'a JS function imported twice, with different types');

promise_test(async t => {
  // (module (import "m" "f" (func)) (start 0))
  const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 2, 7, 1, 1, 109, 1, 102, 0, 0, 8, 1, 0]);
  const error = new Error('from the start function');
  await promise_rejects_exactly(t, error, WebAssembly.instantiate(bytes, {m: {f() { throw error; }}}));
  assert_throws_exactly(error, () => new WebAssembly.Instance(new WebAssembly.Module(bytes), {m: {f() { throw error; }}}));
  const exports = new WebAssembly.Instance(new WebAssembly.Module(wasmBytes('add')), {env: {log() {}, g: 1}}).exports;
  assert_throws_js(WebAssembly.RuntimeError, () => exports.trap(), 'no stale JS exception afterwards');
}, 'a JS exception in the start function rejects with that exception');
