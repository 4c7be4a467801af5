#!/usr/bin/env node
// A .wast → JSON converter for the spec scripts wabt 1.0.32's wast2json cannot
// parse (GC, typed function references, exnref, newer text syntax). It writes
// the same JSON shape as wast2json (one command list plus one file per module)
// so tests/spectest/wast_loader and wasm/runtime/wast/script_runner read both.
//
//   node tools/wast2json-wasmtools.mjs FILE.wast -o OUT.json [--tools DIR]
//
// Modules are encoded by wasm-tools' text parser, compiled to wasm and shipped
// in npm's @bytecodealliance/jco-transpile (installed by tools/fetch-test-tools
// into test-tools/, or DIR / $WASMSTREAM_TEST_TOOLS_DIR). That parser encodes
// one module and does not validate, so assert_invalid modules convert too; the
// script commands around the modules are read here with a small s-expression
// reader. Numeric literals are also encoded by wasm-tools (as globals of one
// constants module), so every literal form parses exactly as in a module.
//
// Values are written as wast2json does (i32/i64/f32/f64 as unsigned decimal
// bits, "nan:canonical"/"nan:arithmetic", v128 with lane_type and lanes,
// funcref/externref with "value":"null" or a host number). Reference forms
// wast2json lacks take the type names of wasm-tools' json-from-wast:
//   (ref.null ht)   {"type": T, "value": "null"} with T = funcref, externref,
//                   anyref, eqref, structref, arrayref, i31ref, exnref,
//                   nullref (none), nullfuncref, nullexternref, nullexnref
//   (ref.null)      {"type": "refnull", "value": "null"}   any null (results)
//   (ref.extern n)  {"type": "externref", "value": "n"}     host value n
//   (ref.host n)    {"type": "anyref", "value": "n"}        host value n as anyref
//   (ref.func) (ref.extern) (ref.any) (ref.eq) (ref.struct) (ref.array)
//   (ref.i31) (ref.exn)   {"type": funcref/externref/anyref/eqref/structref/
//                   arrayref/i31ref/exnref} without "value": any non-null
//                   reference of that kind (results only)
// Commands wast2json lacks, as json-from-wast writes them:
//   (module definition $M ...)   {"type": "module_definition", "name", "filename"}
//   (module instance $I $M)      {"type": "module_instance", "instance", "module"}
//
// Exit status: 0 converted, 1 the script cannot be converted (stderr says
// where and why), 2 usage, 3 the wasm-tools package is not installed.

import { readFileSync, writeFileSync, mkdirSync, realpathSync, existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Pinned in tools/fetch-test-tools too.
const kPackage = '@bytecodealliance/jco-transpile';
const kPackageEntry = 'dist/wasm-tools.js';  // its "./wasm-tools" export
// Deepest list nesting the reader accepts (the testsuite's deepest is 43);
// deeper input is an error, not a stack overflow.
const kMaxNesting = 1000;

class ConvertError extends Error {
  constructor(line, message) {
    super(message);
    this.line = line;
  }
}

// ---------------------------------------------------------------------------
// S-expression reader. The source is read as latin1 so that offsets are byte
// offsets and string escapes give bytes; module text is re-decoded as UTF-8.

class Reader {
  constructor(src) {
    this.s = src;
    this.i = 0;
    this.line = 1;
    this.depth = 0;
  }

  fail(message) {
    throw new ConvertError(this.line, message);
  }

  // Skips white space, ";;" line comments and nested "(; ;)" block comments.
  skipSpace() {
    const s = this.s;
    for (;;) {
      const c = s[this.i];
      if (c === '\n') {
        ++this.line;
        ++this.i;
      } else if (c === ' ' || c === '\t' || c === '\r') {
        ++this.i;
      } else if (c === ';' && s[this.i + 1] === ';') {
        while (this.i < s.length && s[this.i] !== '\n') ++this.i;
      } else if (c === '(' && s[this.i + 1] === ';') {
        this.skipBlockComment();
      } else {
        return;
      }
    }
  }

  skipBlockComment() {
    const s = this.s;
    const startLine = this.line;
    let depth = 0;
    while (this.i < s.length) {
      if (s[this.i] === '(' && s[this.i + 1] === ';') {
        ++depth;
        this.i += 2;
      } else if (s[this.i] === ';' && s[this.i + 1] === ')') {
        this.i += 2;
        if (--depth === 0) return;
      } else {
        if (s[this.i] === '\n') ++this.line;
        ++this.i;
      }
    }
    throw new ConvertError(startLine, 'unterminated block comment');
  }

  // Every top-level list but annotations.
  readAll() {
    const out = [];
    for (;;) {
      this.skipSpace();
      if (this.i >= this.s.length) return out;
      if (this.s[this.i] !== '(') this.fail(`unexpected "${this.s[this.i]}" at top level`);
      const node = this.readNode();
      if (!isAnnotation(node)) out.push(node);
    }
  }

  readNode() {
    this.skipSpace();
    const s = this.s;
    const start = this.i;
    const line = this.line;
    if (start >= s.length) this.fail('unexpected end of file');
    const c = s[start];
    if (c === '(') {
      if (++this.depth > kMaxNesting) this.fail(`lists nested deeper than ${kMaxNesting}`);
      ++this.i;
      const items = [];
      for (;;) {
        this.skipSpace();
        if (this.i >= s.length) throw new ConvertError(line, 'unclosed "("');
        if (s[this.i] === ')') {
          ++this.i;
          --this.depth;
          return { kind: 'list', items, start, end: this.i, line };
        }
        // Annotations "(@id ...)" may sit anywhere; the commands ignore them
        // (module text keeps them: it is passed on as source).
        const item = this.readNode();
        if (!isAnnotation(item)) items.push(item);
      }
    }
    if (c === ')') this.fail('unexpected ")"');
    if (c === '"') return this.readString();
    // An atom (keyword, number, $name, reserved token) ends at white space,
    // a parenthesis, a string or a comment.
    ++this.i;
    while (this.i < s.length && !' \t\r\n()"'.includes(s[this.i]) &&
           !(s[this.i] === ';' && s[this.i + 1] === ';')) {
      ++this.i;
    }
    return { kind: 'atom', text: s.slice(start, this.i), start, end: this.i, line };
  }

  readString() {
    const s = this.s;
    const start = this.i;
    const line = this.line;
    const bytes = [];
    ++this.i;
    for (;;) {
      if (this.i >= s.length) throw new ConvertError(line, 'unterminated string');
      const c = s[this.i++];
      if (c === '"') break;
      if (c === '\n') ++this.line;
      if (c !== '\\') {
        bytes.push(c.charCodeAt(0));
        continue;
      }
      const e = s[this.i++];
      const simple = { n: 10, t: 9, r: 13, '"': 34, "'": 39, '\\': 92 }[e];
      if (simple !== undefined) {
        bytes.push(simple);
      } else if (e === 'u') {
        const m = /^\{([0-9a-fA-F_]+)\}/.exec(s.slice(this.i, this.i + 12));
        if (!m) this.fail('bad \\u escape');
        this.i += m[0].length;
        const cp = parseInt(m[1].replaceAll('_', ''), 16);
        bytes.push(...Buffer.from(String.fromCodePoint(cp), 'utf8'));
      } else if (/[0-9a-fA-F]/.test(e) && /[0-9a-fA-F]/.test(s[this.i] ?? '')) {
        bytes.push(parseInt(e + s[this.i++], 16));
      } else {
        this.fail(`bad string escape "\\${e}"`);
      }
    }
    return { kind: 'str', bytes: Uint8Array.from(bytes), start, end: this.i, line };
  }
}

const isAnnotation = (n) => n.kind === 'list' && n.items[0]?.kind === 'atom' && n.items[0].text.startsWith('@');
const isAtom = (n, text) => n && n.kind === 'atom' && (text === undefined || n.text === text);
const isName = (n) => isAtom(n) && n.text.startsWith('$');
const utf8 = (bytes) => Buffer.from(bytes).toString('utf8');

// ---------------------------------------------------------------------------
// Values. Numeric literals are queued and encoded later in one module.

class Constants {
  constructor() {
    this.globals = [];  // [type, literal text, fill(bytes), script line]
  }

  // Queues `(type.const literal)`; fill gets the encoded value bytes.
  add(type, literal, fill, line) {
    this.globals.push([type, literal, fill, line]);
  }

  async resolve(parse) {
    if (this.globals.length === 0) return;
    const wat = '(module\n' +
        this.globals.map(([t, lit]) => `(global ${t} (${t}.const ${lit}))`).join('\n') + ')';
    let bytes;
    try {
      bytes = await parse(wat);
    } catch (e) {
      // Find the literal that does not parse, for a useful message.
      for (const [t, lit, , line] of this.globals) {
        try {
          await parse(`(module (global ${t} (${t}.const ${lit})))`);
        } catch {
          throw new ConvertError(line, `bad ${t} literal "${lit}"`);
        }
      }
      throw new ConvertError(0, `constants do not encode: ${errorText(e)}`);
    }
    const inits = globalInits(bytes);
    if (inits.length !== this.globals.length) throw new ConvertError(0, 'constants module mismatch');
    this.globals.forEach(([, , fill], i) => fill(inits[i]));
  }
}

// The init expressions' immediates of a module's global section, each as
// {op, bytes} (bytes: the LEB for i32/i64, raw little-endian for f32/f64/v128).
function globalInits(bytes) {
  let p = 8;
  const leb = () => {
    let v = 0n, shift = 0n, b;
    do {
      b = bytes[p++];
      v |= BigInt(b & 0x7f) << shift;
      shift += 7n;
    } while (b & 0x80);
    return [v, shift, b];
  };
  const out = [];
  while (p < bytes.length) {
    const id = bytes[p++];
    const [size] = leb();
    const end = p + Number(size);
    if (id !== 6) {
      p = end;
      continue;
    }
    const [count] = leb();
    for (let g = 0; g < Number(count); ++g) {
      p += 2;  // value type (one byte for numbers and v128), mutability
      const op = bytes[p++];
      if (op === 0x41 || op === 0x42) {
        const [v, shift, last] = leb();
        const signed = (last & 0x40) ? v - (1n << shift) : v;
        const width = op === 0x41 ? 32n : 64n;
        out.push(BigInt.asUintN(Number(width), signed));
      } else if (op === 0x43 || op === 0x44) {
        const n = op === 0x43 ? 4 : 8;
        out.push(leBytesToBigInt(bytes.subarray(p, p + n)));
        p += n;
      } else if (op === 0xfd) {
        p += 1;  // v128.const's opcode 12
        out.push(bytes.slice(p, p + 16));
        p += 16;
      } else {
        throw new ConvertError(0, `unexpected constant opcode ${op}`);
      }
      p += 1;  // end
    }
    p = end;
  }
  return out;
}

function leBytesToBigInt(b) {
  let v = 0n;
  for (let i = b.length - 1; i >= 0; --i) v = (v << 8n) | BigInt(b[i]);
  return v;
}

const kLaneWidth = { i8: 1, i16: 2, i32: 4, i64: 8, f32: 4, f64: 8 };
const kNanPatterns = new Set(['nan:canonical', 'nan:arithmetic']);

// (ref.null ht) → its JSON type name.
const kNullTypes = {
  func: 'funcref', extern: 'externref', any: 'anyref', eq: 'eqref', struct: 'structref',
  array: 'arrayref', i31: 'i31ref', exn: 'exnref', none: 'nullref', nofunc: 'nullfuncref',
  noextern: 'nullexternref', noexn: 'nullexnref',
};
// (ref.K) with no operand in a result → any non-null reference of that kind.
const kNonNullKinds = {
  'ref.func': 'funcref', 'ref.extern': 'externref', 'ref.any': 'anyref', 'ref.eq': 'eqref',
  'ref.struct': 'structref', 'ref.array': 'arrayref', 'ref.i31': 'i31ref', 'ref.exn': 'exnref',
};

// Converts a constant or result pattern node to its JSON value (numbers are
// filled in by consts.resolve()).
function value(node, consts, isResult) {
  if (node.kind !== 'list' || !isAtom(node.items[0])) {
    throw new ConvertError(node.line, 'expected a value like (i32.const 1)');
  }
  const head = node.items[0].text;
  const args = node.items.slice(1);
  if (head === 'either') {
    if (!isResult) throw new ConvertError(node.line, 'either is only a result pattern');
    return { type: 'either', values: args.map((a) => value(a, consts, true)) };
  }
  const atoms = args.map((a) => {
    if (!isAtom(a)) throw new ConvertError(node.line, `bad operand of ${head}`);
    return a.text;
  });
  const scalar = /^(i32|i64|f32|f64)\.const$/.exec(head);
  if (scalar) {
    const type = scalar[1];
    if (atoms.length !== 1) throw new ConvertError(node.line, `${head} takes one literal`);
    const v = { type, value: atoms[0] };
    if (type.startsWith('f') && kNanPatterns.has(atoms[0])) {
      if (!isResult) throw new ConvertError(node.line, `${atoms[0]} is only a result pattern`);
    } else {
      consts.add(type, atoms[0], (bits) => { v.value = bits.toString(); }, node.line);
    }
    return v;
  }
  if (head === 'v128.const') {
    const shape = /^(i8|i16|i32|i64|f32|f64)x(\d+)$/.exec(atoms[0] ?? '');
    if (!shape) throw new ConvertError(node.line, 'v128.const needs a shape like i32x4');
    const laneType = shape[1];
    const width = kLaneWidth[laneType];
    const lanes = atoms.slice(1);
    if (lanes.length !== 16 / width) throw new ConvertError(node.line, 'wrong number of v128 lanes');
    const v = { type: 'v128', lane_type: laneType, value: lanes.slice() };
    const patterns = lanes.map((l) => kNanPatterns.has(l));
    if (patterns.some((x) => x) && !isResult) {
      throw new ConvertError(node.line, 'NaN patterns are only result patterns');
    }
    const literal = `${atoms[0]} ${lanes.map((l, i) => (patterns[i] ? '0' : l)).join(' ')}`;
    consts.add('v128', literal, (bytes) => {
      for (let i = 0; i < lanes.length; ++i) {
        if (!patterns[i]) v.value[i] = leBytesToBigInt(bytes.subarray(i * width, (i + 1) * width)).toString();
      }
    }, node.line);
    return v;
  }
  if (head === 'ref.null') {
    if (atoms.length === 0) {
      if (!isResult) throw new ConvertError(node.line, '(ref.null) without a type is only a result pattern');
      return { type: 'refnull', value: 'null' };
    }
    const type = kNullTypes[atoms[0]];
    if (!type || atoms.length !== 1) {
      throw new ConvertError(node.line, `unsupported heap type in (ref.null ${atoms.join(' ')})`);
    }
    return { type, value: 'null' };
  }
  if ((head === 'ref.extern' || head === 'ref.host') && atoms.length === 1) {
    const n = parseHostNumber(atoms[0], node.line);
    return { type: head === 'ref.extern' ? 'externref' : 'anyref', value: n };
  }
  if (kNonNullKinds[head] && atoms.length === 0) {
    if (!isResult) throw new ConvertError(node.line, `(${head}) without an operand is only a result pattern`);
    return { type: kNonNullKinds[head] };
  }
  throw new ConvertError(node.line, `unsupported value (${head}${atoms.map((a) => ' ' + a).join('')})`);
}

function parseHostNumber(text, line) {
  const t = text.replaceAll('_', '');
  if (!/^(0x[0-9a-fA-F]+|[0-9]+)$/.test(t)) throw new ConvertError(line, `bad host value "${text}"`);
  return BigInt(t).toString();
}

// ---------------------------------------------------------------------------
// Commands.

function errorText(e) {
  const s = String(e?.message ?? e);
  const m = /kind: Custom\("((?:[^"\\]|\\.)*)"\)/.exec(s);
  return m ? m[1] : s.split('\n')[0].slice(0, 200);
}

class Converter {
  constructor(src, stem, outDir, parse) {
    this.src = src;
    this.stem = stem;
    this.outDir = outDir;
    this.parse = parse;
    this.files = 0;
    this.consts = new Constants();
  }

  // Writes one module file; returns its name.
  writeFile(ext, contents) {
    const name = `${this.stem}.${this.files++}.${ext}`;
    writeFileSync(join(this.outDir, name), contents);
    return name;
  }

  // A (module ...) node → {name, definition, file, module_type} or, for
  // (module instance ...), {instance: {instance, module}}.
  // `quoteAsText`: write (module quote ...) as text (assertions, like wast2json)
  // rather than encoding it.
  async module(node, quoteAsText) {
    const items = node.items;
    if (!isAtom(items[0], 'module')) throw new ConvertError(node.line, 'expected (module ...)');
    let i = 1;
    let definition = false;
    if (isAtom(items[i], 'instance')) {
      const names = items.slice(2);
      if (names.length < 1 || names.length > 2 || !names.every(isName)) {
        throw new ConvertError(node.line, 'expected (module instance $I $M?)');
      }
      return { instance: names.length === 2 ? { instance: names[0].text, module: names[1].text }
                                            : { module: names[0].text } };
    }
    if (isAtom(items[i], 'definition')) {
      definition = true;
      ++i;
    }
    let name;
    if (isName(items[i])) name = items[i++].text;
    const strings = () => items.slice(i + 1).map((n) => {
      if (n.kind !== 'str') throw new ConvertError(n.line, 'expected a string');
      return n.bytes;
    });
    if (isAtom(items[i], 'binary')) {
      const bytes = Buffer.concat(strings());
      return { name, definition, module_type: 'binary', file: this.writeFile('wasm', bytes) };
    }
    if (isAtom(items[i], 'quote')) {
      const text = Buffer.concat(strings().flatMap((b) => [Buffer.from(b), Buffer.from(' ')]));
      if (quoteAsText) {
        return { name, definition, module_type: 'text', file: this.writeFile('wat', text) };
      }
      const bytes = await this.encode(text.toString('utf8'), node.line);
      return { name, definition, module_type: 'binary', file: this.writeFile('wasm', bytes) };
    }
    // A text module: its source, less the "definition" keyword.
    let text = this.src.slice(node.start, node.end);
    if (definition) {
      const at = items[1].start - node.start;
      text = text.slice(0, at) + ' '.repeat('definition'.length) + text.slice(at + 'definition'.length);
    }
    const bytes = await this.encode(Buffer.from(text, 'latin1').toString('utf8'), node.line);
    return { name, definition, module_type: 'binary', file: this.writeFile('wasm', bytes) };
  }

  async encode(wat, line) {
    try {
      return await this.parse(wat);
    } catch (e) {
      throw new ConvertError(line, `wasm-tools cannot encode the module: ${errorText(e)}`);
    }
  }

  // (invoke $M? "name" args...) or (get $M? "name").
  action(node) {
    const items = node.items;
    const kind = items[0]?.text;
    if (kind !== 'invoke' && kind !== 'get') {
      throw new ConvertError(node.line, `expected an action (invoke/get), got ${kind}`);
    }
    let i = 1;
    const action = { type: kind };
    if (isName(items[i])) action.module = items[i++].text;
    if (items[i]?.kind !== 'str') throw new ConvertError(node.line, `${kind} needs an export name`);
    action.field = utf8(items[i++].bytes);
    if (kind === 'invoke') {
      action.args = items.slice(i).map((a) => value(a, this.consts, false));
    } else if (i !== items.length) {
      throw new ConvertError(node.line, 'get takes no arguments');
    }
    return action;
  }

  static message(node, index) {
    const m = node.items[index];
    if (!m || m.kind !== 'str') throw new ConvertError(node.line, 'expected the expected-error text');
    return utf8(m.bytes);
  }

  async command(node) {
    const head = node.items[0];
    if (!isAtom(head)) throw new ConvertError(node.line, 'expected a command');
    const type = head.text;
    const line = node.line;
    const items = node.items;
    switch (type) {
      case 'module': {
        const m = await this.module(node, false);
        if (m.instance) return { type: 'module_instance', line, ...m.instance };
        const c = { type: m.definition ? 'module_definition' : 'module', line };
        if (m.name) c.name = m.name;
        c.filename = m.file;
        c.module_type = m.module_type;
        return c;
      }
      case 'register': {
        if (items[1]?.kind !== 'str') throw new ConvertError(line, 'register needs a name');
        const c = { type: 'register', line, as: utf8(items[1].bytes) };
        if (isName(items[2])) c.name = items[2].text;
        return c;
      }
      case 'invoke':
      case 'get':
        return { type: 'action', line, action: this.action(node), expected: [] };
      case 'assert_return':
        return {
          type, line, action: this.action(items[1]),
          expected: items.slice(2).map((r) => value(r, this.consts, true)),
        };
      case 'assert_trap': {
        if (isAtom(items[1]?.items?.[0], 'module')) {
          const m = await this.module(items[1], false);
          return { type: 'assert_uninstantiable', line, filename: m.file,
                   text: Converter.message(node, 2), module_type: m.module_type };
        }
        return { type, line, action: this.action(items[1]), text: Converter.message(node, 2) };
      }
      case 'assert_exhaustion':
        return { type, line, action: this.action(items[1]), text: Converter.message(node, 2) };
      case 'assert_exception':
        return { type, line, action: this.action(items[1]) };
      case 'assert_invalid':
      case 'assert_malformed':
      case 'assert_unlinkable':
      case 'assert_uninstantiable': {
        if (!isAtom(items[1]?.items?.[0], 'module')) throw new ConvertError(line, `${type} needs a module`);
        const m = await this.module(items[1], true);
        return { type, line, filename: m.file, text: Converter.message(node, 2),
                 module_type: m.module_type };
      }
      default:
        throw new ConvertError(line, `unsupported command ${type}`);
    }
  }

  async run() {
    const nodes = new Reader(this.src).readAll();
    const commands = [];
    for (const node of nodes) {
      commands.push(await this.command(node));
    }
    await this.consts.resolve(this.parse);
    return commands;
  }
}

// ---------------------------------------------------------------------------

function usage() {
  process.stderr.write('usage: wast2json-wasmtools.mjs FILE.wast -o OUT.json [--tools DIR]\n' +
                       '       wast2json-wasmtools.mjs --out-dir DIR FILE.wast... [--tools DIR]\n' +
                       '       wast2json-wasmtools.mjs --check [--tools DIR]\n');
  process.exit(2);
}

async function loadParse(toolsDir) {
  const entry = join(toolsDir, 'node_modules', kPackage, kPackageEntry);
  if (!existsSync(entry)) {
    process.stderr.write(`wast2json-wasmtools: ${kPackage} is not installed in ${toolsDir} ` +
                         '(run tools/fetch-test-tools)\n');
    process.exit(3);
  }
  return (await import(pathToFileURL(entry).href)).parse;
}

// Converts one script to {output} (its modules beside it); false on failure.
async function convertFile(parse, input, output) {
  let src;
  try {
    src = readFileSync(input).toString('latin1');
  } catch (e) {
    process.stderr.write(`${input}:0: cannot read: ${e.message}\n`);
    return false;
  }
  const outDir = dirname(resolve(output));
  mkdirSync(outDir, { recursive: true });
  const stem = basename(output).replace(/\.json$/, '');
  try {
    const commands = await new Converter(src, stem, outDir, parse).run();
    writeFileSync(output, JSON.stringify({ source_filename: input, commands }, null, 1) + '\n');
    return true;
  } catch (e) {
    if (!(e instanceof ConvertError)) throw e;
    process.stderr.write(`${input}:${e.line}: ${e.message}\n`);
    return false;
  }
}

async function main() {
  const argv = process.argv.slice(2);
  const inputs = [];
  let output, outDir, check = false;
  let toolsDir = process.env.WASMSTREAM_TEST_TOOLS_DIR ||
      join(dirname(realpathSync(fileURLToPath(import.meta.url))), '..', 'test-tools');
  for (let i = 0; i < argv.length; ++i) {
    if (argv[i] === '-o' && i + 1 < argv.length) output = argv[++i];
    else if (argv[i] === '--out-dir' && i + 1 < argv.length) outDir = argv[++i];
    else if (argv[i] === '--tools' && i + 1 < argv.length) toolsDir = argv[++i];
    else if (argv[i] === '--check') check = true;
    else if (!argv[i].startsWith('-')) inputs.push(argv[i]);
    else usage();
  }
  if (check ? inputs.length || output || outDir
            : outDir ? output || !inputs.length : !output || inputs.length !== 1) {
    usage();
  }
  const parse = await loadParse(resolve(toolsDir));
  if (check) return;
  // Many scripts in one process: loading wasm-tools dominates a small script.
  let ok = true;
  for (const input of inputs) {
    const out = output ?? join(outDir, basename(input).replace(/\.wast$/, '') + '.json');
    if (!(await convertFile(parse, input, out))) ok = false;
  }
  process.exitCode = ok ? 0 : 1;
}

await main();
