// MDN's WebAssembly.compileStreaming() example, as a page script:
//   wasmstream js --serve examples/js examples/js/main.js      prints 42
const importObject = {
  my_namespace: { imported_func: (arg) => console.log(arg) },
};

WebAssembly.compileStreaming(fetch("simple.wasm"))
  .then((module) => WebAssembly.instantiate(module, importObject))
  .then((instance) => instance.exports.exported_func());
