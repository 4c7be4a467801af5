;; Host functions with and without an environment, called with arguments
;; and returning results into wasm.
(module
  (import "host" "print" (func $print (param i32) (result i32)))
  (import "host" "closure" (func $closure (result i32)))
  (func (export "run") (param $a i32) (param $b i32) (result i32)
    (i32.add (call $print (i32.add (local.get $a) (local.get $b)))
             (call $closure))))
