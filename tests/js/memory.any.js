// WebAssembly.Memory: descriptor conversion, buffer over the linear memory
// without a copy, detached on grow, shared with wasm.

test(() => {
  const m = new WebAssembly.Memory({initial: 1, maximum: 3});
  assert_equals(String(m), '[object WebAssembly.Memory]');
  assert_true(m.buffer instanceof ArrayBuffer);
  assert_equals(m.buffer.byteLength, 65536);
  assert_equals(m.buffer, m.buffer, 'the same buffer until it grows');
  assert_equals(new WebAssembly.Memory({initial: 0}).buffer.byteLength, 0);
}, 'new Memory() and buffer');

test(() => {
  assert_throws_js(TypeError, () => new WebAssembly.Memory(), 'no descriptor');
  assert_throws_js(TypeError, () => new WebAssembly.Memory(1), 'not an object');
  assert_throws_js(TypeError, () => new WebAssembly.Memory({}), 'no initial');
  assert_throws_js(TypeError, () => new WebAssembly.Memory({initial: -1}), 'negative');
  assert_throws_js(TypeError, () => new WebAssembly.Memory({initial: 2 ** 32}), 'too big for unsigned long');
  assert_throws_js(TypeError, () => new WebAssembly.Memory({initial: NaN}), 'NaN');
  assert_throws_js(RangeError, () => new WebAssembly.Memory({initial: 2, maximum: 1}), 'maximum < initial');
  assert_throws_js(RangeError, () => new WebAssembly.Memory({initial: 65537}), 'above 65536 pages');
  assert_throws_js(TypeError, () => new WebAssembly.Memory({initial: 1, shared: true}), 'shared without maximum');
}, 'descriptor errors');

test(() => {
  const m = new WebAssembly.Memory({initial: 1, maximum: 3});
  const before = m.buffer;
  new Uint8Array(before)[10] = 42;
  assert_equals(m.grow(1), 1, 'old size in pages');
  assert_equals(before.byteLength, 0, 'the old buffer is detached');
  assert_true(before.detached, 'detached');
  const after = m.buffer;
  assert_not_equals(after, before);
  assert_equals(after.byteLength, 131072);
  assert_equals(new Uint8Array(after)[10], 42, 'contents kept');
  assert_equals(m.grow(0), 2, 'grow(0)');
  assert_equals(after.byteLength, 0, 'grow(0) detaches too');
  assert_throws_js(RangeError, () => m.grow(2), 'past the maximum');
  assert_equals(m.buffer.byteLength, 2 * 65536, 'unchanged by a failed grow');
  assert_throws_js(TypeError, () => m.grow(-1));
}, 'grow() detaches the old buffer');

test(() => {
  const exports = new WebAssembly.Instance(new WebAssembly.Module(wasmBytes('add')),
                                           {env: {log() {}, g: 1}}).exports;
  const mem = exports.mem;
  assert_true(mem instanceof WebAssembly.Memory);
  assert_equals(exports.mem, mem, 'the same Memory object');
  const bytes = new Uint8Array(mem.buffer);
  assert_equals(String.fromCharCode(bytes[0], bytes[1]), 'hi', 'the data segment, no copy');
  bytes[5] = 77;
  assert_equals(exports.load(5), 77, 'JS writes are what wasm reads');
  const before = mem.buffer;
  assert_equals(exports.grow(1), 1, 'memory.grow from wasm');
  assert_equals(before.byteLength, 0, 'detached by a grow inside wasm');
  assert_equals(mem.buffer.byteLength, 131072);
  assert_equals(new Uint8Array(mem.buffer)[5], 77);
}, 'an exported memory is the instance memory');

test(() => {
  const d = Object.getOwnPropertyDescriptor(WebAssembly.Memory.prototype, 'buffer');
  assert_equals(typeof d.get, 'function');
  assert_throws_js(TypeError, () => d.get.call({}));
  assert_throws_js(TypeError, () => WebAssembly.Memory.prototype.grow.call({}, 1));
  assert_equals(WebAssembly.Memory.prototype.grow.length, 1);
}, 'prototype members check their receiver');

test(() => {
  assert_throws_js(TypeError, () => new WebAssembly.Memory({initial: 1, address: 'i64'}), 'memory64 from JS');
  assert_throws_js(TypeError, () => new WebAssembly.Memory({initial: 1, address: 'x'}));
  assert_equals(new WebAssembly.Memory({initial: 1, address: 'i32'}).buffer.byteLength, 65536);
}, 'address');
