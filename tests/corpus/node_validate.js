// Prints one line per file: "<path>\t<true|false>" from V8's
// WebAssembly.validate (the oracle for tests/corpus).
const fs = require('fs');
for (const f of process.argv.slice(2)) {
  const ok = WebAssembly.validate(fs.readFileSync(f));
  process.stdout.write(`${f}\t${ok}\n`);
}
