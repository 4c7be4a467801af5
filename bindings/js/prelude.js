// The WebAssembly JS API and the Web host's classes, in the shape WebIDL
// gives them. Runs once, before any page script, as a function of
// (natives, global). Every object's native handle is kept in a WeakMap of
// this closure, so scripts cannot reach or forge one; the natives do the
// work through the C++ bindings, which hold the rules. See js_runtime.h.
(function (natives, global) {
'use strict';

const {defineProperty, defineProperties, getOwnPropertyDescriptor, create, freeze,
       setPrototypeOf} = Object;

// ---- WebIDL shapes ---------------------------------------------------------

// A brand: the API objects of one interface and their native handles.
class Brand {
  constructor(name) { this.name = name; this.map = new WeakMap(); }
  set(object, handle) { this.map.set(object, handle); return object; }
  has(object) { return typeof object === 'object' && object !== null && this.map.has(object); }
  get(object, what) {
    if (!this.has(object)) {
      throw new TypeError(`${what}: Receiver is not a ${this.name}`);
    }
    return this.map.get(object);
  }
}

// Operations and attributes of an interface are enumerable (WebIDL), unlike
// class members; the prototype gets its toString tag.
function interfaceShape(cls, tag) {
  for (const target of [cls.prototype, cls]) {
    for (const key of Reflect.ownKeys(target)) {
      if (target === cls.prototype ? key === 'constructor'
                                   : key === 'prototype' || key === 'length' || key === 'name') {
        continue;
      }
      const d = getOwnPropertyDescriptor(target, key);
      d.enumerable = true;
      defineProperty(target, key, d);
    }
  }
  defineProperty(cls.prototype, Symbol.toStringTag, {value: tag, configurable: true});
  return cls;
}

// An interface on a namespace or the global: writable, configurable, not enumerable.
function exposeOn(target, name, value) {
  defineProperty(target, name, {value, writable: true, configurable: true, enumerable: false});
}

function toArray(iterable) { return Array.from(iterable); }

// [EnforceRange] unsigned long (or unsigned long long with {max}).
function enforceRange(v, what, max = 0xFFFFFFFF) {
  const n = Number(v);
  if (!Number.isFinite(n)) throw new TypeError(`${what} must be a finite number`);
  const t = Math.trunc(n);
  if (t < 0 || t > max) throw new TypeError(`${what} is out of range`);
  return t;
}

function requireObject(v, what) {
  if ((typeof v !== 'object' || v === null) && typeof v !== 'function') {
    throw new TypeError(`${what} must be an object`);
  }
  return v;
}

// A BufferSource as the Uint8Array natives read (the bytes are copied by
// whoever keeps them).
function bytesOf(source, what) {
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (ArrayBuffer.isView(source)) {
    return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  }
  throw new TypeError(`${what}: Argument 0 must be a buffer source`);
}

// The object a promise-returning operation rejects with when its argument
// conversion throws, instead of throwing.
function promiseOf(fn) {
  try { return fn(); } catch (e) { return Promise.reject(e); }
}

// ---- DOMException (AbortError) ----------------------------------------------

const domExceptionCodes = {AbortError: 20, TimeoutError: 23, NotSupportedError: 9,
                           InvalidStateError: 11, DataCloneError: 25};
class DOMException extends Error {
  #name;
  constructor(message = '', name = 'Error') {
    super(String(message));
    this.#name = String(name);
  }
  get name() { return this.#name; }
  get code() { return domExceptionCodes[this.#name] || 0; }
}
interfaceShape(DOMException, 'DOMException');
if (typeof global.DOMException === 'undefined') exposeOn(global, 'DOMException', DOMException);

// ---- WebAssembly errors ----------------------------------------------------

// CompileError, LinkError, RuntimeError: NativeError-shaped (callable with
// or without new, prototype chain to Error.prototype, name and message on
// the prototype).
function nativeError(name) {
  const E = function (message, options) {
    return Reflect.construct(Error, [message, options], new.target || E);
  };
  defineProperty(E, 'name', {value: name, configurable: true});
  defineProperty(E, 'length', {value: 1, configurable: true});
  setPrototypeOf(E, Error);
  E.prototype = create(Error.prototype, {
    constructor: {value: E, writable: true, configurable: true},
    name: {value: name, writable: true, configurable: true},
    message: {value: '', writable: true, configurable: true},
  });
  defineProperty(E, 'prototype', {writable: false, enumerable: false, configurable: false});
  return E;
}
const CompileError = nativeError('CompileError');
const LinkError = nativeError('LinkError');
const RuntimeError = nativeError('RuntimeError');

// ---- Module ----------------------------------------------------------------

const moduleBrand = new Brand('WebAssembly.Module');
function wrapModule(handle) { return moduleBrand.set(create(Module.prototype), handle); }

class Module {
  constructor(bytes) {
    if (arguments.length < 1) throw new TypeError('WebAssembly.Module(): Argument 0 must be a buffer source');
    moduleBrand.set(this, natives.moduleNew(bytesOf(bytes, 'WebAssembly.Module()')));
  }
  static exports(moduleObject) {
    return natives.moduleExports(moduleBrand.get(moduleObject, 'WebAssembly.Module.exports()'));
  }
  static imports(moduleObject) {
    return natives.moduleImports(moduleBrand.get(moduleObject, 'WebAssembly.Module.imports()'));
  }
  static customSections(moduleObject, sectionName) {
    const h = moduleBrand.get(moduleObject, 'WebAssembly.Module.customSections()');
    if (arguments.length < 2) throw new TypeError('WebAssembly.Module.customSections(): Argument 1 is required');
    return natives.moduleCustomSections(h, String(sectionName));
  }
}
interfaceShape(Module, 'WebAssembly.Module');

// ---- Instance --------------------------------------------------------------

const instanceBrand = new Brand('WebAssembly.Instance');
const exportsOf = new WeakMap();
// API objects of memories, tables, globals and tags, by their native key:
// one JS object per entity, whichever instance exports it.
const externObjects = new Map();

function wrapExtern(kind, handle) {
  const key = natives.externKey(handle);
  let object = externObjects.get(key);
  if (object === undefined) {
    const cls = {memory: Memory, table: Table, global: Global, tag: Tag}[kind];
    object = brands[kind].set(create(cls.prototype), handle);
    externObjects.set(key, object);
  }
  return object;
}

function wrapInstance(handle) {
  const instance = instanceBrand.set(create(Instance.prototype), handle);
  exportsOf.set(instance, exportsObject(handle));
  return instance;
}

function exportsObject(handle) {
  const exports = create(null);
  for (const [name, kind, value] of natives.instanceExports(handle)) {
    const v = kind === 'function' ? value : wrapExtern(kind, value);
    defineProperty(exports, name, {value: v, writable: false, enumerable: true, configurable: false});
  }
  return freeze(exports);
}

function checkImportObject(importObject, what) {
  if (importObject !== undefined && (typeof importObject !== 'object' || importObject === null) &&
      typeof importObject !== 'function') {
    throw new TypeError(`${what}: Argument 1 must be an object`);
  }
}

class Instance {
  constructor(module, importObject = undefined) {
    const h = moduleBrand.get(module, 'WebAssembly.Instance()');
    checkImportObject(importObject, 'WebAssembly.Instance()');
    const ih = natives.instanceNew(h, importObject);
    instanceBrand.set(this, ih);
    exportsOf.set(this, exportsObject(ih));
  }
  get exports() {
    instanceBrand.get(this, 'WebAssembly.Instance.exports');
    return exportsOf.get(this);
  }
}
interfaceShape(Instance, 'WebAssembly.Instance');

// ---- Memory ----------------------------------------------------------------

const memoryBrand = new Brand('WebAssembly.Memory');
class Memory {
  constructor(descriptor) {
    requireObject(descriptor, 'WebAssembly.Memory(): Argument 0');
    const index = descriptor.address;
    if (index !== undefined && index !== 'i32') {
      // 'i64' needs the memory64 JS API (BigInt limits): not supported here.
      throw new TypeError(`WebAssembly.Memory(): address ${String(index)} is not supported`);
    }
    if (descriptor.initial === undefined) {
      throw new TypeError("WebAssembly.Memory(): Property 'initial' is required");
    }
    const initial = enforceRange(descriptor.initial, "WebAssembly.Memory(): Property 'initial'");
    const maxValue = descriptor.maximum;
    const maximum = maxValue === undefined ? undefined :
        enforceRange(maxValue, "WebAssembly.Memory(): Property 'maximum'");
    const shared = Boolean(descriptor.shared);
    if (maximum !== undefined && maximum < initial) {
      throw new RangeError("WebAssembly.Memory(): Property 'maximum' is smaller than 'initial'");
    }
    memoryBrand.set(this, natives.memoryNew(initial, maximum, shared));
  }
  grow(delta) {
    const h = memoryBrand.get(this, 'WebAssembly.Memory.grow()');
    return natives.memoryGrow(h, enforceRange(delta, 'WebAssembly.Memory.grow(): Argument 0'));
  }
  get buffer() { return natives.memoryBuffer(memoryBrand.get(this, 'WebAssembly.Memory.buffer')); }
}
interfaceShape(Memory, 'WebAssembly.Memory');

// ---- Table -----------------------------------------------------------------

const tableBrand = new Brand('WebAssembly.Table');
class Table {
  constructor(descriptor, value = undefined) {
    requireObject(descriptor, 'WebAssembly.Table(): Argument 0');
    let element = descriptor.element;
    element = String(element);
    if (element !== 'anyfunc' && element !== 'funcref' && element !== 'externref' &&
        element !== 'anyref') {
      throw new TypeError("WebAssembly.Table(): Descriptor property 'element' must be a WebAssembly reference type");
    }
    if (descriptor.initial === undefined) {
      throw new TypeError("WebAssembly.Table(): Property 'initial' is required");
    }
    const initial = enforceRange(descriptor.initial, "WebAssembly.Table(): Property 'initial'");
    const maximum = descriptor.maximum === undefined ? undefined :
        enforceRange(descriptor.maximum, "WebAssembly.Table(): Property 'maximum'");
    if (maximum !== undefined && maximum < initial) {
      throw new RangeError("WebAssembly.Table(): Property 'maximum' is smaller than 'initial'");
    }
    const withValue = arguments.length >= 2;
    tableBrand.set(this, natives.tableNew(element === 'anyfunc' ? 'funcref' : element, initial,
                                          maximum, withValue, value));
  }
  get length() { return natives.tableLength(tableBrand.get(this, 'WebAssembly.Table.length')); }
  get(index) {
    const h = tableBrand.get(this, 'WebAssembly.Table.get()');
    return natives.tableGet(h, enforceRange(index, 'WebAssembly.Table.get(): Argument 0'));
  }
  set(index, value = undefined) {
    const h = tableBrand.get(this, 'WebAssembly.Table.set()');
    const i = enforceRange(index, 'WebAssembly.Table.set(): Argument 0');
    natives.tableSet(h, i, arguments.length >= 2, value);
  }
  grow(delta, value = undefined) {
    const h = tableBrand.get(this, 'WebAssembly.Table.grow()');
    const d = enforceRange(delta, 'WebAssembly.Table.grow(): Argument 0');
    return natives.tableGrow(h, d, arguments.length >= 2, value);
  }
}
interfaceShape(Table, 'WebAssembly.Table');

// ---- Global ----------------------------------------------------------------

const globalBrand = new Brand('WebAssembly.Global');
const valueTypes = ['i32', 'i64', 'f32', 'f64', 'v128', 'externref', 'anyfunc', 'funcref', 'anyref'];
class Global {
  constructor(descriptor, v = undefined) {
    requireObject(descriptor, 'WebAssembly.Global(): Argument 0');
    const mutable = Boolean(descriptor.mutable);
    const type = String(descriptor.value);
    if (!valueTypes.includes(type)) {
      throw new TypeError("WebAssembly.Global(): Descriptor property 'value' must be a WebAssembly type");
    }
    if (type === 'v128') throw new TypeError('WebAssembly.Global(): v128 has no JavaScript value');
    globalBrand.set(this, natives.globalNew(type === 'anyfunc' ? 'funcref' : type, mutable,
                                            arguments.length >= 2 && v !== undefined, v));
  }
  valueOf() { return natives.globalGet(globalBrand.get(this, 'WebAssembly.Global.valueOf()')); }
  get value() { return natives.globalGet(globalBrand.get(this, 'WebAssembly.Global.value')); }
  set value(v) {
    const h = globalBrand.get(this, 'WebAssembly.Global.value');
    if (arguments.length < 1) throw new TypeError('WebAssembly.Global.value: Argument 0 is required');
    natives.globalSet(h, v);
  }
}
interfaceShape(Global, 'WebAssembly.Global');

// ---- Tag and Exception -----------------------------------------------------

const tagBrand = new Brand('WebAssembly.Tag');
class Tag {
  constructor(type) {
    requireObject(type, 'WebAssembly.Tag(): Argument 0');
    const parameters = type.parameters;
    if (parameters === undefined) throw new TypeError("WebAssembly.Tag(): Property 'parameters' is required");
    const list = toArray(parameters).map(String);
    for (const t of list) {
      if (!valueTypes.includes(t)) {
        throw new TypeError(`WebAssembly.Tag(): '${t}' is not a WebAssembly value type`);
      }
    }
    tagBrand.set(this, natives.tagNew(list.map(t => t === 'anyfunc' ? 'funcref' : t)));
  }
}
interfaceShape(Tag, 'WebAssembly.Tag');

const exceptionBrand = new Brand('WebAssembly.Exception');
// A thrown wasm exception: its tag's handle and payload (converted values).
function wrapException(tagHandle, payload) {
  const e = create(Exception.prototype);
  exceptionBrand.set(e, {tag: tagHandle, payload});
  return e;
}
class Exception {
  constructor(exceptionTag, payload, options = undefined) {
    const tag = tagBrand.get(exceptionTag, 'WebAssembly.Exception()');
    const values = toArray(payload);
    exceptionBrand.set(this, {tag, payload: natives.tagCheckPayload(tag, values)});
    if (options !== undefined && options !== null && options.traceStack) {
      defineProperty(this, 'stack', {value: new Error().stack, writable: true, configurable: true});
    }
  }
  getArg(exceptionTag, index) {
    const data = exceptionBrand.get(this, 'WebAssembly.Exception.getArg()');
    const tag = tagBrand.get(exceptionTag, 'WebAssembly.Exception.getArg()');
    if (natives.externKey(tag) !== natives.externKey(data.tag)) {
      throw new TypeError('WebAssembly.Exception.getArg(): First argument does not match the exception tag');
    }
    const i = enforceRange(index, 'WebAssembly.Exception.getArg(): Argument 1');
    if (i >= data.payload.length) throw new RangeError('WebAssembly.Exception.getArg(): Index out of range');
    return data.payload[i];
  }
  is(exceptionTag) {
    const data = exceptionBrand.get(this, 'WebAssembly.Exception.is()');
    const tag = tagBrand.get(exceptionTag, 'WebAssembly.Exception.is()');
    return natives.externKey(tag) === natives.externKey(data.tag);
  }
}
interfaceShape(Exception, 'WebAssembly.Exception');

const brands = {memory: memoryBrand, table: tableBrand, global: globalBrand, tag: tagBrand};

// Natives see Memory/Table/Global/Tag objects as their handles.
function handleOfExtern(v) {
  for (const b of [memoryBrand, tableBrand, globalBrand, tagBrand]) {
    if (b.has(v)) return b.map.get(v);
  }
  return undefined;
}

// ---- the namespace ---------------------------------------------------------

const WebAssembly = {};
const operations = {
  validate(bytes) {
    return natives.validate(bytesOf(bytes, 'WebAssembly.validate()'));
  },
  compile(bytes) {
    return promiseOf(() => natives.compile(bytesOf(bytes, 'WebAssembly.compile()')))
        .then(wrapModule);
  },
  instantiate(source, importObject = undefined) {
    return promiseOf(() => {
      checkImportObject(importObject, 'WebAssembly.instantiate()');
      if (moduleBrand.has(source)) {
        return natives.instantiate(moduleBrand.get(source), importObject).then(wrapInstance);
      }
      return natives.compile(bytesOf(source, 'WebAssembly.instantiate()'))
          .then(h => instantiateModule(wrapModule(h), importObject));
    });
  },
  compileStreaming(source) {
    return streamingModule(source, 'WebAssembly.compileStreaming()');
  },
  instantiateStreaming(source, importObject = undefined) {
    return promiseOf(() => {
      checkImportObject(importObject, 'WebAssembly.instantiateStreaming()');
      return streamingModule(source, 'WebAssembly.instantiateStreaming()')
          .then(module => instantiateModule(module, importObject));
    });
  },
};

// "instantiate a promise of a module": {module, instance}.
function instantiateModule(module, importObject) {
  return natives.instantiate(moduleBrand.get(module), importObject)
      .then(h => ({module, instance: wrapInstance(h)}));
}

// The argument may be a Response, a promise of one, or anything; the checks
// on what it settles to (a Response? ok? MIME? CORS?) are the controller's.
function streamingModule(source, what) {
  return Promise.resolve(source).then(value => {
    const h = responseBrand.has(value) ? responseBrand.map.get(value) : undefined;
    return natives.compileStreaming(h, h === undefined ? describe(value) : '');
  }).then(wrapModule);
}

function describe(v) {
  if (v === null) return 'null';
  if (typeof v === 'object') return v.constructor && v.constructor.name ? `a ${v.constructor.name}` : 'an object';
  if (typeof v === 'string') return JSON.stringify(v);
  return String(v);
}

for (const [name, fn] of Object.entries(operations)) {
  defineProperty(WebAssembly, name, {value: fn, writable: true, enumerable: true, configurable: true});
}
for (const [name, value] of Object.entries({Module, Instance, Memory, Table, Global, Tag, Exception,
                                             CompileError, LinkError, RuntimeError})) {
  exposeOn(WebAssembly, name, value);
}
defineProperty(WebAssembly, Symbol.toStringTag, {value: 'WebAssembly', configurable: true});
exposeOn(global, 'WebAssembly', WebAssembly);

// ---- the Web host ----------------------------------------------------------

global.self = global;

function format(v, depth = 0) {
  if (typeof v === 'string') return depth ? JSON.stringify(v) : v;
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'symbol') return v.toString();
  if (typeof v === 'function') return `[Function: ${v.name || '(anonymous)'}]`;
  if (v instanceof Error) return v.stack ? `${v.name}: ${v.message}\n${v.stack}` : String(v);
  if (typeof v !== 'object' || v === null) return String(v);
  if (depth > 2) return '[Object]';
  if (Array.isArray(v)) return `[ ${v.map(x => format(x, depth + 1)).join(', ')} ]`;
  const tag = Object.prototype.toString.call(v).slice(8, -1);
  const keys = Object.keys(v);
  const body = keys.map(k => `${k}: ${format(v[k], depth + 1)}`).join(', ');
  const prefix = tag === 'Object' ? '' : `${tag} `;
  return keys.length ? `${prefix}{ ${body} }` : `${prefix}{}`;
}
function printer(stream) {
  return function (...args) { natives.print(stream, args.map(a => format(a)).join(' ')); };
}
const console = {log: printer(1), info: printer(1), debug: printer(1), warn: printer(2),
                 error: printer(2)};
exposeOn(global, 'console', console);

function setTimeout(handler, timeout = 0, ...args) {
  if (typeof handler !== 'function') {
    throw new TypeError('setTimeout: string handlers are not supported');
  }
  const ms = Number(timeout) || 0;
  return natives.setTimeout(() => handler(...args), ms > 0 ? ms : 0);
}
function clearTimeout(id = 0) { natives.clearTimeout(Number(id) || 0); }
function queueMicrotask(callback) {
  if (typeof callback !== 'function') throw new TypeError('queueMicrotask: Argument 0 must be a function');
  Promise.resolve().then(() => {
    try { callback(); } catch (e) { natives.reportError(e); }
  });
}
exposeOn(global, 'setTimeout', setTimeout);
exposeOn(global, 'clearTimeout', clearTimeout);
exposeOn(global, 'queueMicrotask', queueMicrotask);

// location: the page URL (read-only here: no navigation).
if (natives.location) {
  const url = natives.location;
  const parts = natives.parseUrl(url);
  const location = create(null);
  for (const [k, v] of Object.entries(parts)) defineProperty(location, k, {value: v, enumerable: true});
  defineProperty(location, 'toString', {value: () => url});
  exposeOn(global, 'location', freeze(location));
}

// ---- Headers -----------------------------------------------------------------

class Headers {
  #list = [];       // [name lowercased, value], in insertion order
  #immutable = false;
  constructor(init = undefined) {
    if (init === undefined || init === null) return;
    if (init instanceof Headers) init = [...init];
    const pairs = typeof init[Symbol.iterator] === 'function' ? toArray(init).map(toArray) :
        Object.entries(requireObject(init, 'Headers()'));
    for (const pair of pairs) {
      if (pair.length !== 2) throw new TypeError('Headers(): a header needs a name and a value');
      this.append(pair[0], pair[1]);
    }
  }
  static fromList(list) {
    const h = new Headers(list);
    h.#immutable = true;
    return h;
  }
  #check(name, value) {
    if (this.#immutable) throw new TypeError('Headers are immutable');
    name = String(name);
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) throw new TypeError(`Invalid header name '${name}'`);
    if (value === undefined) return [name.toLowerCase()];
    value = String(value).replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');
    if (/[\0\r\n]/.test(value)) throw new TypeError(`Invalid value for header '${name}'`);
    return [name.toLowerCase(), value];
  }
  append(name, value) { this.#list.push(this.#check(name, value)); }
  set(name, value) {
    const [n, v] = this.#check(name, value);
    const i = this.#list.findIndex(e => e[0] === n);
    this.#list = this.#list.filter((e, j) => e[0] !== n || j === i);
    if (i < 0) this.#list.push([n, v]); else this.#list[this.#list.findIndex(e => e[0] === n)] = [n, v];
  }
  delete(name) { const [n] = this.#check(name); this.#list = this.#list.filter(e => e[0] !== n); }
  get(name) {
    const n = String(name).toLowerCase();
    const values = this.#list.filter(e => e[0] === n).map(e => e[1]);
    return values.length ? values.join(', ') : null;
  }
  has(name) { const n = String(name).toLowerCase(); return this.#list.some(e => e[0] === n); }
  *entries() {
    const names = [...new Set(this.#list.map(e => e[0]))].sort();
    for (const n of names) yield [n, this.get(n)];
  }
  keys() { return Array.from(this.entries(), e => e[0])[Symbol.iterator](); }
  values() { return Array.from(this.entries(), e => e[1])[Symbol.iterator](); }
  forEach(callback, thisArg = undefined) {
    for (const [k, v] of this.entries()) callback.call(thisArg, v, k, this);
  }
  [Symbol.iterator]() { return this.entries(); }
}
interfaceShape(Headers, 'Headers');
exposeOn(global, 'Headers', Headers);

// ---- AbortController / AbortSignal -------------------------------------------

const signalBrand = new Brand('AbortSignal');
// Signals are made without running the constructor; their state lives here.
const signalState = new WeakMap();
class AbortSignal {
  constructor() { throw new TypeError('Illegal constructor'); }
  get aborted() { return natives.abortAborted(signalBrand.get(this, 'AbortSignal.aborted')); }
  get reason() { signalBrand.get(this, 'AbortSignal.reason'); return signalState.get(this).reason; }
  throwIfAborted() { if (this.aborted) throw signalState.get(this).reason; }
  addEventListener(type, listener) {
    signalBrand.get(this, 'AbortSignal.addEventListener()');
    if (type === 'abort' && typeof listener === 'function') signalState.get(this).listeners.push(listener);
  }
  removeEventListener(type, listener) {
    const st = signalState.get(this);
    if (st) st.listeners = st.listeners.filter(l => l !== listener);
  }
  static abort(reason = undefined) {
    const c = new AbortController();
    c.abort(reason);
    return c.signal;
  }
}
interfaceShape(AbortSignal, 'AbortSignal');

const controllerBrand = new Brand('AbortController');
class AbortController {
  #signal;
  constructor() {
    const h = natives.abortNew();
    controllerBrand.set(this, h);
    this.#signal = signalBrand.set(create(AbortSignal.prototype), h);
    signalState.set(this.#signal, {reason: undefined, listeners: []});
    defineProperty(this.#signal, 'onabort', {value: null, writable: true, enumerable: true});
  }
  get signal() { return this.#signal; }
  abort(reason = undefined) {
    const h = controllerBrand.get(this, 'AbortController.abort()');
    if (natives.abortAborted(h)) return;
    if (reason === undefined) reason = new DOMException('signal is aborted without reason', 'AbortError');
    const st = signalState.get(this.#signal);
    st.reason = reason;
    natives.abortAbort(h);
    const event = {type: 'abort', target: this.#signal};
    if (typeof this.#signal.onabort === 'function') this.#signal.onabort(event);
    for (const l of st.listeners) l.call(this.#signal, event);
  }
}
interfaceShape(AbortController, 'AbortController');
exposeOn(global, 'AbortController', AbortController);
exposeOn(global, 'AbortSignal', AbortSignal);

// ---- Response and fetch ------------------------------------------------------

const responseBrand = new Brand('Response');
const responseHeaders = new WeakMap();
function wrapResponse(handle) {
  const r = responseBrand.set(create(ResponseClass.prototype), handle);
  responseHeaders.set(r, Headers.fromList(natives.responseHeaders(handle)));
  return r;
}

class ResponseClass {
  constructor(body = null, init = {}) {
    requireObject(init ?? {}, 'Response(): Argument 1');
    init = init ?? {};
    const status = init.status === undefined ? 200 : enforceRange(init.status, 'Response(): status', 0xFFFF);
    const statusText = init.statusText === undefined ? '' : String(init.statusText);
    const headers = new Headers(init.headers);
    let bytes = null;
    if (body !== null && body !== undefined) {
      if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) {
        bytes = bytesOf(body, 'Response()');
      } else {
        bytes = new TextEncoder().encode(String(body));
        if (!headers.has('content-type')) headers.set('content-type', 'text/plain;charset=UTF-8');
      }
    }
    const h = natives.responseNew(bytes, status, statusText, [...headers]);
    responseBrand.set(this, h);
    responseHeaders.set(this, Headers.fromList([...headers]));
  }
  static error() { return wrapResponse(natives.responseError()); }
  get type() { return natives.responseInfo(responseBrand.get(this, 'Response.type')).type; }
  get url() { return natives.responseInfo(responseBrand.get(this, 'Response.url')).url; }
  get redirected() { return natives.responseInfo(responseBrand.get(this, 'Response.redirected')).redirected; }
  get status() { return natives.responseInfo(responseBrand.get(this, 'Response.status')).status; }
  get ok() { return natives.responseInfo(responseBrand.get(this, 'Response.ok')).ok; }
  get statusText() { return natives.responseInfo(responseBrand.get(this, 'Response.statusText')).statusText; }
  get headers() { responseBrand.get(this, 'Response.headers'); return responseHeaders.get(this); }
  get bodyUsed() { return natives.responseInfo(responseBrand.get(this, 'Response.bodyUsed')).bodyUsed; }
  clone() { return wrapResponse(natives.responseClone(responseBrand.get(this, 'Response.clone()'))); }
  arrayBuffer() {
    return promiseOf(() => natives.responseBytes(responseBrand.get(this, 'Response.arrayBuffer()')));
  }
  bytes() { return this.arrayBuffer().then(b => new Uint8Array(b)); }
  text() { return this.arrayBuffer().then(b => new TextDecoder().decode(b)); }
  json() { return this.text().then(JSON.parse); }
}
defineProperty(ResponseClass, 'name', {value: 'Response'});
interfaceShape(ResponseClass, 'Response');
exposeOn(global, 'Response', ResponseClass);

function fetch(input, init = {}) {
  return promiseOf(() => {
    init = init ?? {};
    const url = String(input instanceof URLLike ? input.href : input);
    const headers = [...new Headers(init.headers)];
    let signal;
    if (init.signal !== undefined && init.signal !== null) {
      signal = signalBrand.get(init.signal, 'fetch(): signal');
      if (natives.abortAborted(signal)) return Promise.reject(signalState.get(init.signal).reason);
    }
    const mode = init.mode === undefined ? 'cors' : String(init.mode);
    const redirect = init.redirect === undefined ? 'follow' : String(init.redirect);
    const p = natives.fetch(url, headers, signal, mode, redirect).then(wrapResponse);
    if (signal === undefined) return p;
    // An abort rejects with the signal's reason (an AbortError by default).
    return p.catch(e => {
      if (natives.abortAborted(signal)) throw signalState.get(init.signal).reason;
      throw e;
    });
  });
}
// Only for `input.href`: URL objects (JSC has URL only in WebKit).
const URLLike = typeof global.URL === 'function' ? global.URL : class {};
exposeOn(global, 'fetch', fetch);

if (typeof global.TextEncoder === 'undefined' || typeof global.TextDecoder === 'undefined') {
  class TextEncoder {
    get encoding() { return 'utf-8'; }
    encode(s = '') { return new Uint8Array(natives.utf8Encode(String(s))); }
  }
  class TextDecoder {
    get encoding() { return 'utf-8'; }
    decode(b = new Uint8Array(0)) {
      return natives.utf8Decode(b instanceof ArrayBuffer ? new Uint8Array(b) : bytesOf(b, 'TextDecoder.decode()'));
    }
  }
  exposeOn(global, 'TextEncoder', TextEncoder);
  exposeOn(global, 'TextDecoder', TextDecoder);
}

// Host functions are called with an undefined `this` (the C API would
// pass the global object): through these strict-mode trampolines, by arity.
const callHost = [f => f(), (f, a) => f(a), (f, a, b) => f(a, b), (f, a, b, c) => f(a, b, c),
                  (f, ...rest) => f(...rest)];

// What the natives call back into.
return {
  callHost,
  errors: {Error, TypeError, RangeError, CompileError, LinkError, RuntimeError,
           AbortError: function AbortError(message) { return new DOMException(message, 'AbortError'); }},
  toArray,
  detach(buffer) { if (buffer.byteLength > 0 || !buffer.detached) buffer.transfer(0); },
  wrapException,
  handleOfExtern,
};
})
