// WebAssembly.Instance: the constructor, reading the imports, the exports object.

const addImports = () => ({env: {log() {}, g: 1}});

test(() => {
  const m = new WebAssembly.Module(wasmBytes('add'));
  const i = new WebAssembly.Instance(m, addImports());
  assert_equals(Object.getPrototypeOf(i), WebAssembly.Instance.prototype);
  assert_equals(String(i), '[object WebAssembly.Instance]');
  const exports = i.exports;
  assert_equals(Object.getPrototypeOf(exports), null, 'null prototype');
  assert_true(Object.isFrozen(exports), 'frozen');
  assert_equals(i.exports, exports, 'the same object each time');
  const d = Object.getOwnPropertyDescriptor(exports, 'add');
  assert_true(d.enumerable && !d.writable && !d.configurable);
}, 'Instance and its exports object');

test(() => {
  const d = Object.getOwnPropertyDescriptor(WebAssembly.Instance.prototype, 'exports');
  assert_equals(typeof d.get, 'function');
  assert_equals(d.set, undefined);
  assert_true(d.enumerable && d.configurable);
  assert_throws_js(TypeError, () => d.get.call({}));
}, 'Instance.prototype.exports is an accessor that checks its receiver');

test(() => {
  const m = new WebAssembly.Module(wasmBytes('add'));
  assert_throws_js(TypeError, () => new WebAssembly.Instance(m), 'no import object');
  assert_throws_js(TypeError, () => new WebAssembly.Instance(m, 1), 'not an object');
  assert_throws_js(TypeError, () => new WebAssembly.Instance(m, {}), 'missing namespace');
  assert_throws_js(TypeError, () => new WebAssembly.Instance(m, {env: 1}), 'namespace not an object');
  assert_throws_js(WebAssembly.LinkError, () => new WebAssembly.Instance(m, {env: {g: 1}}), 'missing function');
  assert_throws_js(WebAssembly.LinkError, () => new WebAssembly.Instance(m, {env: {log: {}, g: 1}}), 'not callable');
  assert_throws_js(WebAssembly.LinkError, () => new WebAssembly.Instance(m, {env: {log() {}, g: 1n}}), 'BigInt for i32');
  assert_throws_js(WebAssembly.LinkError, () => new WebAssembly.Instance(m, {env: {log() {}, g: 'x'}}), 'string for a global');
  assert_throws_js(TypeError, () => new WebAssembly.Instance({}, {}), 'not a Module');
}, 'import errors: TypeError for the objects, LinkError for the values');

test(() => {
  const m = new WebAssembly.Module(wasmBytes('imports'));
  const order = [];
  const ns = (name, fields) => new Proxy(fields, {
    get(target, key) { order.push(`${name}.${String(key)}`); return target[key]; },
  });
  const memory = new WebAssembly.Memory({initial: 1});
  const table = new WebAssembly.Table({element: 'anyfunc', initial: 1});
  const global = new WebAssembly.Global({value: 'i32', mutable: true}, 4);
  const tag = new WebAssembly.Tag({parameters: ['i32']});
  const importObject = new Proxy({
    a: ns('a', {f: x => x * 2}), b: ns('b', {mem: memory}), c: ns('c', {tbl: table}),
    d: ns('d', {g: global}), e: ns('e', {tag}), f: ns('f', {c: 1.5}),
  }, {get(target, key) { order.push(String(key)); return target[key]; }});
  const i = new WebAssembly.Instance(m, importObject);
  assert_array_equals(order, ['a', 'a.f', 'b', 'b.mem', 'c', 'c.tbl', 'd', 'd.g', 'e', 'e.tag', 'f', 'f.c']);
  assert_equals(i.exports.call(21), 42, 'the imported JS function is called');
  assert_equals(i.exports.g(), 4, 'the imported global');
  global.value = 5;
  assert_equals(i.exports.g(), 5, 'a mutable global import is shared');
}, 'imports are read in order, module object first');

test(() => {
  const m = new WebAssembly.Module(wasmBytes('add'));
  const error = new Error('from a getter');
  const importObject = {get env() { throw error; }};
  assert_throws_exactly(error, () => new WebAssembly.Instance(m, importObject));
}, 'an exception from reading the imports propagates as is');

test(() => {
  const m = new WebAssembly.Module(wasmBytes('add'));
  const a = new WebAssembly.Instance(m, addImports());
  const b = new WebAssembly.Instance(m, addImports());
  assert_not_equals(a.exports.add, b.exports.add, 'each instance has its functions');
  assert_not_equals(a.exports.mem, b.exports.mem);
  const importsModule = new WebAssembly.Module(wasmBytes('imports'));
  const imports = f => ({a: {f}, b: {mem: a.exports.mem}, c: {tbl: a.exports.tbl},
                         d: {g: a.exports.gm}, e: {tag: a.exports.tag}, f: {c: 0}});
  const imp = new WebAssembly.Instance(importsModule, imports(a.exports.load));
  assert_equals(imp.exports.g(), 7, 'an exported global re-imported');
  assert_equals(imp.exports.call(0), 104, 'an exported function re-imported: the same function');
  assert_throws_js(WebAssembly.LinkError, () => new WebAssembly.Instance(importsModule, imports(a.exports.add)),
                   'an exported function of another type');
}, 'exports of one instance are imports of another');

promise_test(async () => {
  const m = await WebAssembly.compile(wasmBytes('add'));
  const i = await WebAssembly.instantiate(m, addImports());
  assert_true(i instanceof WebAssembly.Instance, 'instantiate(module) gives an Instance');
  const r = await WebAssembly.instantiate(wasmBytes('add'), addImports());
  assert_array_equals(Object.keys(r), ['module', 'instance']);
  assert_true(r.module instanceof WebAssembly.Module);
  assert_true(r.instance instanceof WebAssembly.Instance);
}, 'instantiate(): both overloads');

promise_test(async t => {
  await promise_rejects_js(t, TypeError, WebAssembly.instantiate(wasmBytes('add')), 'no imports');
  await promise_rejects_js(t, TypeError, WebAssembly.instantiate(wasmBytes('add'), 1), 'bad import object');
  await promise_rejects_js(t, TypeError, WebAssembly.instantiate(1), 'not bytes or a Module');
  const m = new WebAssembly.Module(wasmBytes('add'));
  await promise_rejects_js(t, WebAssembly.LinkError, WebAssembly.instantiate(m, {env: {log: 0, g: 1}}));
}, 'instantiate() rejects, never throws');

promise_test(async () => {
  let started = false;
  const p = WebAssembly.instantiate(new WebAssembly.Module(wasmBytes('add')), addImports());
  p.then(() => { started = true; });
  assert_false(started, 'not settled synchronously');
  await p;
}, 'instantiate() settles later');
