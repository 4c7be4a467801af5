// The WebAssembly namespace object: its property, its operations'
// descriptors, names and lengths, validate().

test(() => {
  const d = Object.getOwnPropertyDescriptor(globalThis, 'WebAssembly');
  assert_equals(typeof d.value, 'object');
  assert_true(d.writable, 'writable');
  assert_false(d.enumerable, 'enumerable');
  assert_true(d.configurable, 'configurable');
  assert_equals(Object.getPrototypeOf(WebAssembly), Object.prototype);
}, 'WebAssembly is a writable, configurable, non-enumerable global');

test(() => {
  assert_equals(String(WebAssembly), '[object WebAssembly]');
  const d = Object.getOwnPropertyDescriptor(WebAssembly, Symbol.toStringTag);
  assert_equals(d.value, 'WebAssembly');
  assert_false(d.writable);
  assert_false(d.enumerable);
  assert_true(d.configurable);
}, 'toString tag');

for (const [name, length] of [['validate', 1], ['compile', 1], ['instantiate', 1],
                               ['compileStreaming', 1], ['instantiateStreaming', 1]]) {
  test(() => {
    const d = Object.getOwnPropertyDescriptor(WebAssembly, name);
    assert_equals(typeof d.value, 'function');
    assert_true(d.writable && d.enumerable && d.configurable, 'writable, enumerable, configurable');
    assert_equals(d.value.name, name);
    assert_equals(d.value.length, length);
  }, `WebAssembly.${name}: descriptor, name and length`);
}

for (const name of ['Module', 'Instance', 'Memory', 'Table', 'Global', 'Tag', 'Exception',
                    'CompileError', 'LinkError', 'RuntimeError']) {
  test(() => {
    const d = Object.getOwnPropertyDescriptor(WebAssembly, name);
    assert_equals(typeof d.value, 'function');
    assert_true(d.writable, 'writable');
    assert_false(d.enumerable, 'enumerable');
    assert_true(d.configurable, 'configurable');
    assert_equals(d.value.name, name);
  }, `WebAssembly.${name} is an interface object`);
}

test(() => {
  assert_true(WebAssembly.validate(wasmBytes('add')), 'a valid module');
  assert_true(WebAssembly.validate(wasmBytes('add').buffer), 'as an ArrayBuffer');
  assert_false(WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1])), 'truncated');
  assert_false(WebAssembly.validate(new Uint8Array(0)), 'empty');
  assert_false(WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 2, 0, 0, 0])), 'wrong version');
}, 'validate() of valid and invalid bytes');

test(() => {
  const bytes = wasmBytes('add');
  const view = new DataView(bytes.buffer);
  assert_true(WebAssembly.validate(view), 'a DataView');
  const padded = new Uint8Array(bytes.length + 4);
  padded.set(bytes, 2);
  assert_true(WebAssembly.validate(new Uint8Array(padded.buffer, 2, bytes.length)), 'a view with an offset');
}, 'validate() reads exactly the view it is given');

test(() => {
  for (const v of [undefined, null, 1, 'bytes', {}, [0, 97, 115, 109]]) {
    assert_throws_js(TypeError, () => WebAssembly.validate(v), String(v));
  }
  assert_throws_js(TypeError, () => WebAssembly.validate());
}, 'validate() of a non-BufferSource is a TypeError');

test(() => {
  assert_equals(typeof WebAssembly.Module.prototype, 'object');
  assert_equals(Object.getPrototypeOf(WebAssembly.CompileError.prototype), Error.prototype);
  assert_throws_js(TypeError, () => WebAssembly.Module(wasmBytes('add')), 'called without new');
  assert_throws_js(TypeError, () => WebAssembly.Instance(), 'called without new');
}, 'interfaces must be constructed with new');
