;; Array-heavy WebAssembly GC work: a sieve on a byte array, an int vector
;; grown by doubling (array.new + array.copy), and an array of boxed ints.
;; run(n) returns a checksum (the same on every engine).
(module
  (type $bytes (array (mut i8)))
  (type $ints (array (mut i32)))
  (type $box (struct (field (mut i32))))
  (type $boxes (array (mut (ref null $box))))

  ;; Primes below n.
  (func $sieve (param $n i32) (result i32)
    (local $a (ref $bytes)) (local $i i32) (local $j i32) (local $count i32)
    (local.set $a (array.new_default $bytes (local.get $n)))
    (local.set $i (i32.const 2))
    (block $done
      (loop $outer
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (if (i32.eqz (array.get_u $bytes (local.get $a) (local.get $i)))
          (then
            (local.set $count (i32.add (local.get $count) (i32.const 1)))
            (local.set $j (i32.mul (local.get $i) (local.get $i)))
            (block $marked
              (loop $inner
                (br_if $marked (i32.ge_u (local.get $j) (local.get $n)))
                (br_if $marked (i32.gt_u (local.get $i) (i32.const 46340)))
                (array.set $bytes (local.get $a) (local.get $j) (i32.const 1))
                (local.set $j (i32.add (local.get $j) (local.get $i)))
                (br $inner)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $outer)))
    (local.get $count))

  ;; Pushes 0..n-1 onto a vector that doubles when full; returns the sum.
  (func $vector (param $n i32) (result i32)
    (local $v (ref $ints)) (local $len i32) (local $bigger (ref $ints)) (local $sum i32) (local $i i32)
    (local.set $v (array.new_default $ints (i32.const 4)))
    (block $done
      (loop $push
        (br_if $done (i32.ge_u (local.get $len) (local.get $n)))
        (if (i32.eq (local.get $len) (array.len (local.get $v)))
          (then
            (local.set $bigger (array.new_default $ints (i32.shl (local.get $len) (i32.const 1))))
            (array.copy $ints $ints (local.get $bigger) (i32.const 0) (local.get $v) (i32.const 0)
                        (local.get $len))
            (local.set $v (local.get $bigger))))
        (array.set $ints (local.get $v) (local.get $len) (local.get $len))
        (local.set $len (i32.add (local.get $len) (i32.const 1)))
        (br $push)))
    (block $summed
      (loop $add
        (br_if $summed (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $sum (i32.add (local.get $sum) (array.get $ints (local.get $v) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $add)))
    (local.get $sum))

  ;; n boxed ints in an array, then their sum through the boxes.
  (func $boxes (param $n i32) (result i32)
    (local $a (ref $boxes)) (local $i i32) (local $sum i32)
    (local.set $a (array.new_default $boxes (local.get $n)))
    (block $filled
      (loop $fill
        (br_if $filled (i32.ge_u (local.get $i) (local.get $n)))
        (array.set $boxes (local.get $a) (local.get $i) (struct.new $box (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $fill)))
    (local.set $i (i32.const 0))
    (block $summed
      (loop $add
        (br_if $summed (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $sum (i32.add (local.get $sum)
          (struct.get $box 0 (ref.as_non_null (array.get $boxes (local.get $a) (local.get $i))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $add)))
    (local.get $sum))

  ;; Each part {rounds} times; n scales the work.
  (func (export "run") (param $n i32) (result i32)
    (local $round i32) (local $sum i32)
    (loop $rounds
      (local.set $sum (i32.add (local.get $sum)
        (i32.add (call $sieve (i32.mul (local.get $n) (i32.const 100000)))
          (i32.add (call $vector (i32.mul (local.get $n) (i32.const 100000)))
                   (call $boxes (i32.mul (local.get $n) (i32.const 50000)))))))
      (local.tee $round (i32.add (local.get $round) (i32.const 1)))
      (br_if $rounds (i32.lt_u (i32.const 10))))
    (local.get $sum)))
