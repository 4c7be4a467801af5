;; simple.wasm, as in MDN's WebAssembly examples: exported_func calls the
;; imported function with 42. Built with `wat2wasm simple.wat` (wabt).
(module
  (import "my_namespace" "imported_func" (func $i (param i32)))
  (func (export "exported_func")
    i32.const 42
    call $i))
