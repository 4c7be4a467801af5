;; References through wasm: externref and funcref in globals, tables,
;; parameters and results.
(module
  (import "host" "check" (func $check (param externref) (result externref)))
  (global $g (export "global") (mut externref) (ref.null extern))
  (table $t (export "table") 2 externref)
  (func (export "identity") (param externref) (result externref)
    (call $check (local.get 0)))
  (func (export "store") (param i32 externref)
    (table.set $t (local.get 0) (local.get 1)))
  (func (export "load") (param i32) (result externref)
    (table.get $t (local.get 0)))
  (func $f (export "func") (result i32) (i32.const 3))
  (func (export "funcref") (result funcref) (ref.func $f))
  (func (export "is_null") (param externref) (result i32) (ref.is_null (local.get 0))))
