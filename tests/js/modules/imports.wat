;; One import of each kind, read in this order.
(module
  (import "a" "f" (func (param i32) (result i32)))
  (import "b" "mem" (memory 1))
  (import "c" "tbl" (table 1 funcref))
  (import "d" "g" (global (mut i32)))
  (import "e" "tag" (tag (param i32)))
  (import "f" "c" (global f64))
  (func (export "call") (param i32) (result i32) local.get 0 call 0)
  (func (export "g") (result i32) global.get 0))
