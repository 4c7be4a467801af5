// V8's side of bench/validate.sh: best-of-N for new WebAssembly.Module
// (compile, which validates) and for WebAssembly.validate, per file, as MB/s
// by wall time, and WebAssembly.validate by process CPU time (user + system,
// the steadier figure on a shared machine; validate_bench reports ours so).
const fs = require('fs');
const runs = Number(process.env.RUNS || 5);
const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
for (const f of process.argv.slice(2)) {
  const bytes = fs.readFileSync(f);
  let bestModule = Infinity, bestValidate = Infinity, bestValidateCpu = Infinity;
  for (let i = 0; i < runs; i++) {
    let t0 = process.hrtime.bigint();
    new WebAssembly.Module(bytes);
    bestModule = Math.min(bestModule, Number(process.hrtime.bigint() - t0) / 1e9);
    const c0 = cpuSeconds();
    t0 = process.hrtime.bigint();
    WebAssembly.validate(bytes);
    bestValidate = Math.min(bestValidate, Number(process.hrtime.bigint() - t0) / 1e9);
    bestValidateCpu = Math.min(bestValidateCpu, cpuSeconds() - c0);
  }
  const mb = bytes.length / 1e6;
  console.log(`${f.split('/').pop()}\t${(mb / bestModule).toFixed(1)}\t${(mb / bestValidate).toFixed(1)}` +
              `\t${(mb / bestValidateCpu).toFixed(1)}`);
}
