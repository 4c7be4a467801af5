// The write-back benchmark's workload (bench/write_back.sh): @swc/wasm (Rust,
// wasm-bindgen, 18 MB; from the npm corpus) transforms a real JavaScript
// file (input.js) to ES5 and minifies it: parser, transforms, code
// generator and minifier, thousands of functions called once or a few
// times, so compiling them on their first call is a large part of the run.
// The module's own glue (wasm.js, wasm-bindgen's nodejs target) is used as
// shipped, except its last lines, which compile the module synchronously from
// a file: here it comes from compileStreaming(fetch()), the path the code
// cache serves. Prints "ok <output bytes>".
const shims = {util: {TextEncoder, TextDecoder}};
function require(name) {
  if (name in shims) return shims[name];
  throw new Error('bench: the glue asked for ' + name);
}

Promise.all([
  fetch('wasm.js').then(r => r.text()),
  fetch('input.js').then(r => r.text()),
  WebAssembly.compileStreaming(fetch('wasm_bg.wasm')),
]).then(([glue, input, compiled]) => {
  const cut = glue.indexOf("const path = require('path')");
  if (cut < 0) throw new Error('bench: unexpected glue');
  const module = {exports: {}};
  new Function('module', 'require', glue.slice(0, cut) +
               'module.exports.__setWasm = e => { wasm = e; };')(module, require);
  const swc = module.exports;
  return WebAssembly.instantiate(compiled, {__wbindgen_placeholder__: swc}).then(instance => {
    swc.__setWasm(instance.exports);
    const out = swc.transformSync(input, {
      jsc: {parser: {syntax: 'ecmascript'}, target: 'es5', minify: {compress: true, mangle: true}},
      minify: true,
    });
    console.log(out.code.length > 1000 ? 'ok ' + out.code.length : 'WRONG ' + out.code);
  });
}).catch(e => console.log('failed: ' + e + (e && e.stack ? '\n' + e.stack : '')));
