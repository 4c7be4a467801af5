// One first call in a fresh process, for bench/compile_table.py:
//   node compile_node.js module|validate FILE
// prints "<wall ms> <cpu ms>" of new WebAssembly.Module(bytes) or
// WebAssembly.validate(bytes) (the file is read before timing).
const fs = require('fs');
const [mode, file] = process.argv.slice(2);
const bytes = fs.readFileSync(file);
const c0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
const ok = mode === 'validate' ? WebAssembly.validate(bytes) : !!new WebAssembly.Module(bytes);
const wall = Number(process.hrtime.bigint() - t0) / 1e6;
const c = process.cpuUsage(c0);
if (!ok) { console.error('invalid'); process.exit(1); }
console.log(`${wall.toFixed(1)} ${((c.user + c.system) / 1e3).toFixed(1)}`);
