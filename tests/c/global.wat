;; Globals imported from the host and defined by the module, read and
;; written from both sides.
(module
  (import "host" "const_f32" (global $cf32 f32))
  (import "host" "var_i64" (global $vi64 (mut i64)))
  (global $own_var (mut i32) (i32.const 7))
  (global $own_const f64 (f64.const 2.5))
  (export "own_var" (global $own_var))
  (export "own_const" (global $own_const))
  (export "var_i64" (global $vi64))
  (func (export "get_cf32") (result f32) (global.get $cf32))
  (func (export "get_vi64") (result i64) (global.get $vi64))
  (func (export "set_vi64") (param i64) (global.set $vi64 (local.get 0)))
  (func (export "get_own_var") (result i32) (global.get $own_var)))
