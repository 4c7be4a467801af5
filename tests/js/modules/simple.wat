;; MDN's simple.wasm: exported_func calls my_namespace.imported_func(42).
(module
  (import "my_namespace" "imported_func" (func $i (param i32)))
  (func (export "exported_func") i32.const 42 call $i))
