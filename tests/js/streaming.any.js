// compileStreaming / instantiateStreaming against the loopback server: the
// controller's checks in spec order and the kinds they reject with.

const simpleImports = log => ({my_namespace: {imported_func: log}});

promise_test(async () => {
  const module = await WebAssembly.compileStreaming(fetch('simple.wasm'));
  assert_true(module instanceof WebAssembly.Module);
  const seen = [];
  const instance = await WebAssembly.instantiate(module, simpleImports(x => seen.push(x)));
  instance.exports.exported_func();
  assert_array_equals(seen, [42]);
}, 'compileStreaming(fetch(url)): the MDN example');

promise_test(async () => {
  const seen = [];
  const result = await WebAssembly.instantiateStreaming(fetch('simple.wasm'), simpleImports(x => seen.push(x)));
  assert_array_equals(Object.keys(result), ['module', 'instance']);
  result.instance.exports.exported_func();
  assert_array_equals(seen, [42]);
}, 'instantiateStreaming(fetch(url), imports)');

promise_test(async () => {
  const response = await fetch('simple.wasm');
  const module = await WebAssembly.compileStreaming(response);
  assert_true(module instanceof WebAssembly.Module, 'a Response, not a promise');
  assert_true(response.bodyUsed, 'the body was consumed');
}, 'a Response directly');

promise_test(async () => {
  const module = await WebAssembly.compileStreaming(
      new Response(wasmBytes('simple'), {headers: {'Content-Type': 'application/wasm'}}));
  assert_true(module instanceof WebAssembly.Module);
}, 'a Response built from bytes');

promise_test(t => {
  return promise_rejects_js(t, TypeError, WebAssembly.compileStreaming(fetch('wrong-mime.wasm')));
}, 'a wrong MIME type is a TypeError');

promise_test(t => {
  return promise_rejects_js(t, TypeError, WebAssembly.compileStreaming(fetch('mime-params.wasm')));
}, 'MIME type parameters are not allowed');

promise_test(t => {
  return promise_rejects_js(t, TypeError, WebAssembly.compileStreaming(new Response(wasmBytes('simple'))));
}, 'a Response without Content-Type is a TypeError');

promise_test(t => {
  return promise_rejects_js(t, TypeError, WebAssembly.compileStreaming(fetch('not-found.wasm')));
}, 'a status that is not ok is a TypeError');

promise_test(t => {
  return promise_rejects_js(t, WebAssembly.CompileError, WebAssembly.compileStreaming(fetch('invalid.wasm')));
}, 'bad bytes are a CompileError');

promise_test(t => {
  return promise_rejects_js(t, WebAssembly.CompileError, WebAssembly.compileStreaming(fetch('empty.wasm')));
}, 'an empty body is a CompileError');

promise_test(async t => {
  for (const v of [undefined, null, 1, 'simple.wasm', {}, new ArrayBuffer(8)]) {
    await promise_rejects_js(t, TypeError, WebAssembly.compileStreaming(v), String(v));
    await promise_rejects_js(t, TypeError, WebAssembly.instantiateStreaming(v, {}), String(v));
  }
}, 'an argument that is not a Response is a TypeError');

promise_test(async t => {
  const reason = new Error('the source failed');
  await promise_rejects_exactly(t, reason, WebAssembly.compileStreaming(Promise.reject(reason)));
  await promise_rejects_exactly(t, reason, WebAssembly.instantiateStreaming(Promise.reject(reason)));
}, 'a rejected source rejects with the same reason');

promise_test(async t => {
  const response = await fetch('simple.wasm');
  await response.arrayBuffer();
  await promise_rejects_js(t, TypeError, WebAssembly.compileStreaming(response));
}, 'a used body is a TypeError');

promise_test(async t => {
  await promise_rejects_js(t, TypeError, WebAssembly.compileStreaming(fetch(CROSS_ORIGIN + '/simple.wasm')));
}, 'a cross-origin response without CORS is a network error: TypeError');

promise_test(async t => {
  await promise_rejects_js(t, TypeError,
                           WebAssembly.compileStreaming(fetch(CROSS_ORIGIN + '/simple.wasm', {mode: 'no-cors'})));
}, 'an opaque response is a TypeError');

promise_test(async () => {
  const module = await WebAssembly.compileStreaming(fetch(CROSS_ORIGIN + '/cors/simple.wasm'));
  assert_true(module instanceof WebAssembly.Module);
}, 'a cross-origin response with CORS compiles');

promise_test(async () => {
  const response = await fetch('redirect.wasm');
  assert_true(response.redirected);
  const module = await WebAssembly.compileStreaming(response);
  assert_true(module instanceof WebAssembly.Module);
}, 'a redirected response compiles');

promise_test(async () => {
  const module = await WebAssembly.compileStreaming(fetch('slow.wasm'));
  assert_true(module instanceof WebAssembly.Module);
}, 'a body that trickles in, 8 bytes at a time');

promise_test(async t => {
  // imports are looked at only once the module is compiled
  let read = false;
  const imports = {get my_namespace() { read = true; return {imported_func() {}}; }};
  const p = WebAssembly.instantiateStreaming(fetch('simple.wasm'), imports);
  assert_false(read, 'not read synchronously');
  await p;
  assert_true(read);
  await promise_rejects_js(t, TypeError, WebAssembly.instantiateStreaming(fetch('simple.wasm'), {}));
  await promise_rejects_js(t, WebAssembly.LinkError,
                           WebAssembly.instantiateStreaming(fetch('simple.wasm'), {my_namespace: {}}));
}, 'instantiateStreaming reads the imports after compiling');

promise_test(async () => {
  const a = await WebAssembly.compileStreaming(fetch('simple.wasm'));
  const b = await WebAssembly.compileStreaming(fetch('simple.wasm'));
  assert_not_equals(a, b, 'a new Module object per compile');
}, 'each compile gives a new Module');
