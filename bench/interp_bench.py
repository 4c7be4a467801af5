#!/usr/bin/env python3
"""Interpreter benchmark: C kernels compiled to wasm with Debian's clang, run by
wasmstream's interpreter, by wabt's wasm-interp and by node (V8, a JIT: the
ceiling), in the same run. Prints wall-clock seconds (whole process: start-up,
compile and run, best of --reps) and the ratios.

  bench/interp_bench.py [--wasmstream PATH] [--reps N] [--only fib,sort]

Without --wasmstream it builds //tools/wasmstream with Bazel (-c opt) first.
Kernels are compiled here, at bench time, never at build time:
  clang --target=wasm32 -nostdlib -fno-builtin -Wl,--no-entry -Wl,--export-all -O2
Each exports run() -> i32; all three engines must return the same value.
"""
import argparse
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

from benchlib import build_wasmstream, result_of, run_timed

ROOT = pathlib.Path(__file__).resolve().parent.parent
KERNELS = ["fib", "hash", "matmul", "sort", "vm"]

NODE_RUNNER = r"""
const fs = require('fs');
const bytes = fs.readFileSync(process.argv[2]);
WebAssembly.instantiate(bytes, {}).then(({instance}) => {
  const t0 = process.hrtime.bigint();
  const r = instance.exports.run() >>> 0;
  const t1 = process.hrtime.bigint();
  console.log(String(r));
  console.log('run_seconds ' + (Number(t1 - t0) / 1e9));
});
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wasmstream", help="path to a built wasmstream binary")
    ap.add_argument("--reps", type=int, default=1)
    ap.add_argument("--only", default="")
    args = ap.parse_args()

    for tool in ("clang", "wasm-ld", "wasm-interp", "node"):
        if not shutil.which(tool):
            sys.exit(f"interp_bench: '{tool}' not found (tools/setup installs it)")
    ws = args.wasmstream or build_wasmstream(ROOT)

    kernels = [k for k in KERNELS if not args.only or k in args.only.split(",")]
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="interp_bench_"))
    (tmp / "run.js").write_text(NODE_RUNNER)
    rows = []
    for k in kernels:
        wasm = tmp / f"{k}.wasm"
        subprocess.run(["clang", "--target=wasm32", "-nostdlib", "-fno-builtin", "-Wl,--no-entry",
                        "-Wl,--export-all", "-O2", str(ROOT / "bench/interp_kernels" / f"{k}.c"),
                        "-o", str(wasm)], check=True)
        t_ws, o_ws = run_timed([ws, "run", str(wasm), "--invoke", "run"], args.reps)
        t_wi, o_wi = run_timed(["wasm-interp", str(wasm), "--run-all-exports"], args.reps)
        t_nd, o_nd = run_timed(["node", str(tmp / "run.js"), str(wasm)], args.reps)
        results = {result_of(o_ws), result_of(o_wi), result_of(o_nd)}
        if len(results) != 1 or None in results:
            sys.exit(f"interp_bench: {k}: engines disagree: {o_ws!r} {o_wi!r} {o_nd!r}")
        t_jit = float(re.search(r"run_seconds ([0-9.e-]+)", o_nd).group(1))
        rows.append((k, t_ws, t_wi, t_nd, t_jit))

    print("whole process (start-up + compile + run), seconds; node run() alone in the last column")
    print(f"{'kernel':8} {'wasmstream':>11} {'wasm-interp':>12} {'node':>8} {'interp/ws':>10} "
          f"{'ws/node':>8} {'node run()':>11}")
    for k, a, b, c, d in rows:
        print(f"{k:8} {a:10.3f}s {b:11.3f}s {c:7.3f}s {b / a:9.1f}x {a / c:7.1f}x {d:10.3f}s")
    ta, tb, tc, td = (sum(r[i] for r in rows) for i in (1, 2, 3, 4))
    print(f"{'total':8} {ta:10.3f}s {tb:11.3f}s {tc:7.3f}s {tb / ta:9.1f}x {ta / tc:7.1f}x {td:10.3f}s")
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
