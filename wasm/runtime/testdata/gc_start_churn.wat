(module
  (type $node (struct (field $val i32)))
  (type $bytes (array (mut i8)))
  (global $g (ref $node) (struct.new $node (i32.const 42)))
  (func $churn
    (local $n i32)
    (local.set $n (i32.const 600))
    (loop $l
      (drop (array.new_default $bytes (i32.const 65536)))
      (local.tee $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l)))
  (start $churn)
  (func (export "get") (result i32) (struct.get $node $val (global.get $g)))
)
