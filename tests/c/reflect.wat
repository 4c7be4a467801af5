;; One of each kind of import and export, for reflection.
(module
  (import "env" "f" (func (param i32 i64) (result f32)))
  (import "env" "g" (global (mut f64)))
  (import "env" "t" (table 1 funcref))
  (import "env" "m" (memory 1 5))
  (func (export "func") (param i32 f64 externref) (result i64 funcref)
    (i64.const 0) (ref.null func))
  (global (export "global") i64 (i64.const 1))
  (table (export "table") 2 3 externref)
  (export "memory" (memory 0))
  (func (export "simd") (param v128))
  (tag (export "tag") (param i32)))
