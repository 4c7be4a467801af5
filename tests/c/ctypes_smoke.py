"""Loads libwasmstream.so with ctypes (no compiler, no headers) and calls a
wasm export: the C API is a plain C ABI.

    python3 ctypes_smoke.py LIBWASMSTREAM_SO ADD_WASM
"""
import ctypes
import sys


class ByteVec(ctypes.Structure):
    _fields_ = [("size", ctypes.c_size_t), ("data", ctypes.POINTER(ctypes.c_char))]


class PtrVec(ctypes.Structure):
    _fields_ = [("size", ctypes.c_size_t), ("data", ctypes.POINTER(ctypes.c_void_p))]


class ValUnion(ctypes.Union):
    _fields_ = [("i32", ctypes.c_int32), ("i64", ctypes.c_int64), ("f32", ctypes.c_float),
                ("f64", ctypes.c_double), ("ref", ctypes.c_void_p)]


class Val(ctypes.Structure):
    _fields_ = [("kind", ctypes.c_uint8), ("of", ValUnion)]


class ValVec(ctypes.Structure):
    _fields_ = [("size", ctypes.c_size_t), ("data", ctypes.POINTER(Val))]


WASM_I32 = 0


def main():
    lib = ctypes.CDLL(sys.argv[1])
    p = ctypes.c_void_p
    for name, res, args in [
        ("wasm_engine_new", p, []),
        ("wasm_store_new", p, [p]),
        ("wasm_module_new", p, [p, ctypes.POINTER(ByteVec)]),
        ("wasm_instance_new", p, [p, p, ctypes.POINTER(PtrVec), p]),
        ("wasm_instance_exports", None, [p, ctypes.POINTER(PtrVec)]),
        ("wasm_extern_as_func", p, [p]),
        ("wasm_func_call", p, [p, ctypes.POINTER(ValVec), ctypes.POINTER(ValVec)]),
        ("wasm_extern_vec_delete", None, [ctypes.POINTER(PtrVec)]),
        ("wasm_instance_delete", None, [p]),
        ("wasm_module_delete", None, [p]),
        ("wasm_store_delete", None, [p]),
        ("wasm_engine_delete", None, [p]),
        ("wasmstream_error_message", ctypes.c_char_p, []),
    ]:
        fn = getattr(lib, name)
        fn.restype = res
        fn.argtypes = args

    engine = lib.wasm_engine_new()
    store = lib.wasm_store_new(engine)
    data = open(sys.argv[2], "rb").read()
    buf = ctypes.create_string_buffer(data, len(data))
    module = lib.wasm_module_new(store, ctypes.byref(ByteVec(len(data), buf)))
    assert module, lib.wasmstream_error_message()

    # Bad bytes: NULL and a reason, not a crash.
    junk = ctypes.create_string_buffer(b"\0asm\x02\0\0\0", 8)
    assert not lib.wasm_module_new(store, ctypes.byref(ByteVec(8, junk)))
    print("bad module:", lib.wasmstream_error_message().decode())

    imports = PtrVec(0, None)
    instance = lib.wasm_instance_new(store, module, ctypes.byref(imports), None)
    assert instance, lib.wasmstream_error_message()
    exports = PtrVec()
    lib.wasm_instance_exports(instance, ctypes.byref(exports))
    add = lib.wasm_extern_as_func(exports.data[0])

    args = (Val * 2)(Val(WASM_I32, ValUnion(i32=40)), Val(WASM_I32, ValUnion(i32=2)))
    results = (Val * 1)()
    trap = lib.wasm_func_call(add, ctypes.byref(ValVec(2, args)), ctypes.byref(ValVec(1, results)))
    assert not trap
    print("add(40, 2) =", results[0].of.i32)

    lib.wasm_extern_vec_delete(ctypes.byref(exports))
    lib.wasm_instance_delete(instance)
    lib.wasm_module_delete(module)
    lib.wasm_store_delete(store)
    lib.wasm_engine_delete(engine)


if __name__ == "__main__":
    main()
