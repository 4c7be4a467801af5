;; Needs the SIMD feature.
(module
  (func (export "splat") (result v128) (i32x4.splat (i32.const 1))))
