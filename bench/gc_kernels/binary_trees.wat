;; The Benchmarks Game's binary-trees on WebAssembly GC structs: a stretch
;; tree, a long-lived tree, then many short-lived trees of growing depth.
;; Nearly all of the work is allocation and collection. run(depth) returns
;; the sum of every tree's node count (the same on every engine).
(module
  (type $tree (struct (field $left (ref null $tree)) (field $right (ref null $tree))))

  (func $bottom_up (param $d i32) (result (ref $tree))
    (if (result (ref $tree)) (i32.eqz (local.get $d))
      (then (struct.new $tree (ref.null $tree) (ref.null $tree)))
      (else
        (local.set $d (i32.sub (local.get $d) (i32.const 1)))
        (struct.new $tree (call $bottom_up (local.get $d)) (call $bottom_up (local.get $d))))))

  (func $check (param $t (ref $tree)) (result i32)
    (local $l (ref null $tree))
    (local.set $l (struct.get $tree $left (local.get $t)))
    (if (result i32) (ref.is_null (local.get $l))
      (then (i32.const 1))
      (else
        (i32.add (i32.const 1)
          (i32.add (call $check (ref.as_non_null (local.get $l)))
                   (call $check (ref.as_non_null (struct.get $tree $right (local.get $t)))))))))

  (func (export "run") (param $max i32) (result i32)
    (local $sum i32) (local $long (ref null $tree)) (local $d i32) (local $i i32)
    (local.set $sum (call $check (call $bottom_up (i32.add (local.get $max) (i32.const 1)))))
    (local.set $long (call $bottom_up (local.get $max)))
    (local.set $d (i32.const 4))
    (block $done
      (loop $depths
        (br_if $done (i32.gt_s (local.get $d) (local.get $max)))
        (local.set $i (i32.shl (i32.const 1)
                               (i32.add (i32.sub (local.get $max) (local.get $d)) (i32.const 4))))
        (loop $trees
          (local.set $sum (i32.add (local.get $sum) (call $check (call $bottom_up (local.get $d)))))
          (local.tee $i (i32.sub (local.get $i) (i32.const 1)))
          (br_if $trees))
        (local.set $d (i32.add (local.get $d) (i32.const 2)))
        (br $depths)))
    (i32.add (local.get $sum) (call $check (ref.as_non_null (local.get $long))))))
