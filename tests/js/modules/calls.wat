;; Call overhead: a small export, and a loop calling an import.
(module
  (import "env" "tick" (func $tick (param i32) (result i32)))
  (func (export "inc") (param i32) (result i32) local.get 0 i32.const 1 i32.add)
  (func (export "callImport") (param $n i32) (result i32) (local $acc i32)
    (block $done
      (loop $l
        local.get $n i32.eqz br_if $done
        local.get $acc call $tick local.set $acc
        local.get $n i32.const 1 i32.sub local.set $n
        br $l))
    local.get $acc))
