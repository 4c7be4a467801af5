// The write-back benchmark's workload (bench/write_back.sh): brotli-wasm's
// module (Rust, wasm-bindgen; from the npm corpus) fetched with
// compileStreaming from the served directory, then a brotli compress and
// decompress of a text of a few hundred KB, checked byte for byte. The glue
// is the few wasm-bindgen imports the two calls use, as brotli_wasm.js
// defines them. Prints "ok <compressed bytes>".
const heap = new Array(32).fill(undefined);
heap.push(undefined, null, true, false);
let heapNext = heap.length;
let stackPointer = 32;
let wasm;

const bytes = () => new Uint8Array(wasm.memory.buffer);
const i32 = () => new Int32Array(wasm.memory.buffer);
const decoder = new TextDecoder();
const encoder = new TextEncoder();
const str = (ptr, len) => decoder.decode(bytes().subarray(ptr, ptr + len));
function addHeapObject(obj) {
  if (heapNext === heap.length) heap.push(heap.length + 1);
  const idx = heapNext;
  heapNext = heap[idx];
  heap[idx] = obj;
  return idx;
}
function takeObject(idx) {
  const obj = heap[idx];
  if (idx >= 36) {
    heap[idx] = heapNext;
    heapNext = idx;
  }
  return obj;
}
function passString(s, retptr) {
  const buf = encoder.encode(s);
  const ptr = wasm.__wbindgen_malloc(buf.length);
  bytes().set(buf, ptr);
  i32()[retptr / 4 + 0] = ptr;
  i32()[retptr / 4 + 1] = buf.length;
}
function passBytes(buf) {
  const ptr = wasm.__wbindgen_malloc(buf.length);
  bytes().set(buf, ptr);
  return ptr;
}

const imports = {wbg: {
  __wbindgen_is_undefined: idx => heap[idx] === undefined,
  __wbindgen_is_object: idx => typeof heap[idx] === 'object' && heap[idx] !== null,
  __wbindgen_string_new: (ptr, len) => addHeapObject(str(ptr, len)),
  __wbindgen_error_new: (ptr, len) => addHeapObject(new Error(str(ptr, len))),
  __wbindgen_json_serialize: (retptr, idx) =>
    passString(JSON.stringify(heap[idx] === undefined ? null : heap[idx]), retptr),
  __wbg_new_693216e109162396: () => addHeapObject(new Error()),
  __wbg_stack_0ddaca5d1abfb52f: (retptr, idx) => passString(String(heap[idx].stack), retptr),
  __wbg_error_09919627ac0992f5: (ptr, len) => console.error(str(ptr, len)),
  __wbindgen_object_drop_ref: idx => { takeObject(idx); },
  __wbindgen_throw: (ptr, len) => { throw new Error(str(ptr, len)); },
}};

// (retptr, ptr, len, ...) -> Uint8Array, as brotli_wasm.js calls them.
function call(fn, input, ...rest) {
  const retptr = wasm.__wbindgen_add_to_stack_pointer(-16);
  try {
    const ptr = passBytes(input);
    fn(retptr, ptr, input.length, ...rest);
    const [r0, r1, r2, r3] = i32().slice(retptr / 4, retptr / 4 + 4);
    if (r3) throw takeObject(r2);
    const out = bytes().slice(r0, r0 + r1);
    wasm.__wbindgen_free(r0, r1);
    return out;
  } finally {
    wasm.__wbindgen_add_to_stack_pointer(16);
  }
}

function text() {
  // Words of this file, shuffled deterministically: compressible, not trivial.
  const words = ('the write back benchmark compresses and decompresses a text with brotli '
      + 'in the interpreter every function called is compiled on its first call unless '
      + 'the cache entry holds its code').split(' ');
  let seed = 12345, out = '';
  while (out.length < 200_000) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    out += words[seed % words.length] + ((seed >>> 8) % 13 === 0 ? '.\n' : ' ');
  }
  return encoder.encode(out);
}

WebAssembly.instantiateStreaming(fetch('brotli_wasm_bg.wasm'), imports).then(({instance}) => {
  wasm = instance.exports;
  const input = text();
  heap[--stackPointer] = {quality: 5};
  const packed = call(wasm.compress, input, stackPointer);
  heap[stackPointer++] = undefined;
  const unpacked = call(wasm.decompress, packed);
  const same = unpacked.length === input.length && unpacked.every((b, i) => b === input[i]);
  console.log(same ? 'ok ' + packed.length : 'WRONG');
}, e => console.log('failed: ' + e));
