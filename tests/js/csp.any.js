// META: csp=script-src 'self'
// A page whose Content-Security-Policy allows neither 'wasm-unsafe-eval' nor
// 'unsafe-eval': compiling bytes is blocked (CompileError), validating is not.

test(() => {
  assert_true(WebAssembly.validate(wasmBytes('simple')), 'validate() is not gated');
  assert_throws_js(WebAssembly.CompileError, () => new WebAssembly.Module(wasmBytes('simple')));
}, 'new Module() is blocked');

promise_test(async t => {
  await promise_rejects_js(t, WebAssembly.CompileError, WebAssembly.compile(wasmBytes('simple')));
  await promise_rejects_js(t, WebAssembly.CompileError,
                           WebAssembly.instantiate(wasmBytes('simple'), {my_namespace: {imported_func() {}}}));
  await promise_rejects_js(t, WebAssembly.CompileError, WebAssembly.compileStreaming(fetch('simple.wasm')));
}, 'compile, instantiate(bytes) and compileStreaming reject with CompileError');
