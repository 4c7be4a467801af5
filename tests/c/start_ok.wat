;; A start function that calls the host: it runs during instantiation.
(module
  (import "host" "started" (func $started (param i32)))
  (func $start (call $started (i32.const 42)))
  (start $start))
