// One script for wasmstream js and node (bench/js_bench.py runs both):
// 10M calls JS -> wasm of a small export, 10M calls wasm -> JS of an
// import, then compileStreaming / instantiateStreaming of the large modules
// listed in MODULES, fetched from the same loopback server. Prints one
// "name ms" line per measurement.
const base = typeof location !== 'undefined' ? location.href : process.env.BENCH_BASE;
const N = 10_000_000;
const MODULES = (typeof process !== 'undefined' ? process.env.BENCH_MODULES : globalThis.BENCH_MODULES || '')
    .split(',').filter(Boolean);

// Stubs for a module's function imports (the large modules import only
// functions, except duckdb: it is compiled, not instantiated).
function stubImports(module) {
  const imports = {};
  for (const {module: ns, name, kind} of WebAssembly.Module.imports(module)) {
    if (kind !== 'function') return null;
    (imports[ns] ??= {})[name] = () => 0;
  }
  return imports;
}

async function main() {
  const {instance} = await WebAssembly.instantiateStreaming(fetch(base + 'calls.wasm'),
                                                            {env: {tick: x => x + 1}});
  const inc = instance.exports.inc;
  let t = Date.now();
  let x = 0;
  for (let i = 0; i < N; i++) x = inc(x);
  console.log('js_to_wasm_10M', Date.now() - t, x === N ? '' : 'WRONG');
  t = Date.now();
  const r = instance.exports.callImport(N);
  console.log('wasm_to_js_10M', Date.now() - t, r === N ? '' : 'WRONG');

  for (const name of MODULES) {
    t = Date.now();
    const module = await WebAssembly.compileStreaming(fetch(base + name));
    console.log(`compileStreaming ${name}`, Date.now() - t);
    const imports = stubImports(module);
    if (!imports) continue;
    t = Date.now();
    await WebAssembly.instantiateStreaming(fetch(base + name), imports);
    console.log(`instantiateStreaming ${name}`, Date.now() - t);
  }
}
main().catch(e => { console.log('error', String(e)); throw e; });
