;; Traps from wasm itself and from a host function, passed through wasm.
(module
  (import "host" "fail" (func $fail))
  (func (export "unreachable") (unreachable))
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "call_host") (call $fail))
  (func $deep (export "recurse") (call $deep)))
