;; A funcref table exported to the host and used by call_indirect.
(module
  (type $i2i (func (param i32) (result i32)))
  (table $t (export "table") 2 10 funcref)
  (elem (i32.const 1) $neg)
  (func $neg (type $i2i) (i32.sub (i32.const 0) (local.get 0)))
  (func (export "call_indirect") (param i32 i32) (result i32)
    (call_indirect (type $i2i) (local.get 0) (local.get 1)))
  (func (export "size") (result i32) (table.size $t)))
