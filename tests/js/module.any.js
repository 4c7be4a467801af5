// WebAssembly.Module: the constructor, exports(), imports(), customSections().

// A module of one custom section per [name, payload] pair.
function customModule(sections) {
  const bytes = [0, 97, 115, 109, 1, 0, 0, 0];
  const enc = new TextEncoder();
  for (const [name, payload] of sections) {
    const n = Array.from(enc.encode(name));
    const body = [n.length, ...n, ...payload];
    bytes.push(0, body.length, ...body);
  }
  return new Uint8Array(bytes);
}

test(() => {
  const m = new WebAssembly.Module(wasmBytes('add'));
  assert_equals(Object.getPrototypeOf(m), WebAssembly.Module.prototype);
  assert_true(Object.isExtensible(m));
  assert_equals(String(m), '[object WebAssembly.Module]');
  assert_equals(WebAssembly.Module.length, 1);
}, 'new Module(bytes)');

test(() => {
  assert_throws_js(TypeError, () => new WebAssembly.Module());
  for (const v of [undefined, null, 1, '', {}, []]) {
    assert_throws_js(TypeError, () => new WebAssembly.Module(v), String(v));
  }
}, 'new Module() of a non-BufferSource is a TypeError');

test(() => {
  const bytes = wasmBytes('simple');
  const m = new WebAssembly.Module(bytes);
  bytes.fill(0);  // the module copied the bytes
  const i = new WebAssembly.Instance(m, {my_namespace: {imported_func() {}}});
  assert_equals(typeof i.exports.exported_func, 'function');
}, 'the constructor copies the bytes');

test(() => {
  const m = new WebAssembly.Module(wasmBytes('add'));
  const exports = WebAssembly.Module.exports(m);
  assert_true(Array.isArray(exports));
  const byName = Object.fromEntries(exports.map(e => [e.name, e.kind]));
  assert_equals(byName.mem, 'memory');
  assert_equals(byName.tbl, 'table');
  assert_equals(byName.gm, 'global');
  assert_equals(byName.tag, 'tag');
  assert_equals(byName.add, 'function');
  assert_array_equals(Object.keys(exports[0]), ['name', 'kind'], 'own keys in order');
  assert_equals(exports[0].name, 'mem', 'module order');
  assert_not_equals(WebAssembly.Module.exports(m), exports, 'a new array each call');
}, 'Module.exports()');

test(() => {
  const m = new WebAssembly.Module(wasmBytes('imports'));
  const imports = WebAssembly.Module.imports(m);
  assert_array_equals(imports.map(i => `${i.module}.${i.name}:${i.kind}`),
                      ['a.f:function', 'b.mem:memory', 'c.tbl:table', 'd.g:global', 'e.tag:tag', 'f.c:global']);
  assert_array_equals(Object.keys(imports[0]), ['module', 'name', 'kind']);
}, 'Module.imports()');

test(() => {
  for (const f of ['exports', 'imports', 'customSections']) {
    assert_throws_js(TypeError, () => WebAssembly.Module[f]({}, 'x'), f);
    assert_throws_js(TypeError, () => WebAssembly.Module[f](), f);
  }
}, 'the static functions need a Module');

test(() => {
  const m = new WebAssembly.Module(customModule([['meta', [1, 2]], ['other', [3]], ['meta', [4, 5, 6]]]));
  const sections = WebAssembly.Module.customSections(m, 'meta');
  assert_equals(sections.length, 2);
  assert_true(sections[0] instanceof ArrayBuffer);
  assert_array_equals(Array.from(new Uint8Array(sections[0])), [1, 2]);
  assert_array_equals(Array.from(new Uint8Array(sections[1])), [4, 5, 6]);
  assert_equals(WebAssembly.Module.customSections(m, 'none').length, 0);
  assert_not_equals(WebAssembly.Module.customSections(m, 'meta')[0], sections[0], 'new buffers');
  assert_throws_js(TypeError, () => WebAssembly.Module.customSections(m));
}, 'Module.customSections()');

test(() => {
  const m = new WebAssembly.Module(customModule([['\u00e9t\u00e9', [9]]]));
  assert_equals(WebAssembly.Module.customSections(m, '\u00e9t\u00e9').length, 1, 'UTF-8 names');
  assert_equals(WebAssembly.Module.customSections(m, 'ete').length, 0);
}, 'customSections() compares names as UTF-8');

test(() => {
  for (const f of ['exports', 'imports', 'customSections']) {
    const d = Object.getOwnPropertyDescriptor(WebAssembly.Module, f);
    assert_true(d.enumerable && d.writable && d.configurable, f);
  }
}, 'static operations are enumerable, writable, configurable');
