// V8's side of bench/validate.sh: best-of-N seconds for new WebAssembly.Module
// (compile, which validates) and for WebAssembly.validate, per file.
const fs = require('fs');
const runs = Number(process.env.RUNS || 5);
for (const f of process.argv.slice(2)) {
  const bytes = fs.readFileSync(f);
  let bestModule = Infinity, bestValidate = Infinity;
  for (let i = 0; i < runs; i++) {
    let t0 = process.hrtime.bigint();
    new WebAssembly.Module(bytes);
    bestModule = Math.min(bestModule, Number(process.hrtime.bigint() - t0) / 1e9);
    t0 = process.hrtime.bigint();
    WebAssembly.validate(bytes);
    bestValidate = Math.min(bestValidate, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  const mb = bytes.length / 1e6;
  console.log(`${f.split('/').pop()}\t${(mb / bestModule).toFixed(1)}\t${(mb / bestValidate).toFixed(1)}`);
}
