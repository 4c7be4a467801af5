;; The smallest round trip: wasm calls a host function, the host calls wasm.
(module
  (import "" "hello" (func $hello))
  (func (export "run") (call $hello)))
