;; bench/c_api_bench.cc's module: a loop calling the host, and a function
;; for the host to call.
(module
  (import "host" "inc" (func $inc (param i32) (result i32)))
  (func (export "call_host") (param $n i32) (result i32)
    (local $acc i32)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (call $inc (local.get $acc)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))
    (local.get $acc))
  (func (export "id") (param i32) (result i32) (local.get 0)))
