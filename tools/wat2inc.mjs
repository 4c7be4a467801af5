#!/usr/bin/env node
// Assembles .wat files with wasm-tools' text parser (the one
// tools/fetch-test-tools installs into test-tools/) and prints each as a C++
// array, for tests that embed GC modules
// (wabt 1.0.32 cannot assemble GC text, and tests must not need node).
//   node tools/wat2inc.mjs NAME=FILE.wat... [--tools DIR] > x.inc
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
let tools = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-tools');
const files = [];
for (let i = 0; i < args.length; ++i) {
  if (args[i] === '--tools') tools = resolve(args[++i]);
  else files.push(args[i]);
}
if (files.length === 0 || files.some((f) => !f.includes('='))) {
  process.stderr.write('usage: wat2inc.mjs NAME=FILE.wat... [--tools DIR]\n');
  process.exit(2);
}
const entry = join(tools, 'node_modules', '@bytecodealliance/jco-transpile', 'dist/wasm-tools.js');
const { parse } = await import(pathToFileURL(entry).href);
for (const spec of files) {
  const [name, file] = spec.split('=');
  const text = readFileSync(file, 'utf8');
  const bytes = await parse(text);
  let out = `// ${file}\n`;
  out += `constexpr uint8_t ${name}[] = {`;
  bytes.forEach((b, i) => { out += (i % 16 ? ' ' : '\n    ') + '0x' + b.toString(16).padStart(2, '0') + ','; });
  process.stdout.write(out + '\n};\n\n');
}
