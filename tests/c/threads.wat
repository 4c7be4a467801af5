;; Called from many threads: each store's host function and global.
(module
  (import "host" "report" (func $report (param i32)))
  (import "host" "id" (global $id i32))
  (func (export "run") (param $n i32) (result i32)
    (local $i i32) (local $sum i32)
    (loop $l
      (local.set $sum (i32.add (local.get $sum) (global.get $id)))
      (call $report (local.get $i))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $sum)))
