#!/usr/bin/env python3
"""GC benchmark: WebAssembly GC kernels (bench/gc_kernels/*.wat: binary-trees,
arrays) run by
wasmstream's interpreter and collector and by a V8 that knows final
WebAssembly GC (node 26 from npm: Debian's node 20 predates it), in the same
run. Prints wall-clock seconds (whole process, best of --reps), node's run()
alone, the ratio, and each process's peak RSS (a collector keeps it bounded:
without one, binary-trees at depth 18 would allocate ~2 GiB).

  bench/gc_bench.py [--wasmstream PATH] [--reps N] [--depth N] [--scale N]

Without --wasmstream it builds //tools/wasmstream with Bazel (-c opt) first.
The .wat kernels are assembled here by wasm-tools' parser (tools/fetch-test-tools);
node 26 comes from tools/fetch-node-oracle. Both are npm packages, fetched
once into gitignored folders. Both engines must return the same value.
"""
import argparse
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

from benchlib import build_wasmstream, result_of, run_timed

ROOT = pathlib.Path(__file__).resolve().parent.parent
# Each kernel's run() argument comes from the option named here.
KERNELS = {"binary_trees": "depth", "arrays": "scale"}

ASSEMBLE = r"""
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
const [tools, wat, out] = process.argv.slice(2);
const entry = tools + '/node_modules/@bytecodealliance/jco-transpile/dist/wasm-tools.js';
const { parse } = await import(pathToFileURL(entry).href);
writeFileSync(out, await parse(readFileSync(wat, 'utf8')));
"""

NODE_RUNNER = r"""
const fs = require('fs');
const bytes = fs.readFileSync(process.argv[2]);
WebAssembly.instantiate(bytes, {}).then(({instance}) => {
  const t0 = process.hrtime.bigint();
  const r = instance.exports.run(Number(process.argv[3])) >>> 0;
  const t1 = process.hrtime.bigint();
  console.log(String(r));
  console.log('run_seconds ' + (Number(t1 - t0) / 1e9));
});
"""


def peak_rss_mib(cmd):
    """Runs {cmd} once more and returns its peak resident set in MiB."""
    pid = os.fork()
    if pid == 0:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.execvp(cmd[0], cmd)
    _, status, usage = os.wait4(pid, 0)
    if status != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed (status {status})")
    return usage.ru_maxrss / 1024


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wasmstream", help="path to a built wasmstream binary")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--depth", type=int, default=18, help="binary-trees depth")
    ap.add_argument("--scale", type=int, default=10, help="arrays: n x 100,000 elements")
    args = ap.parse_args()

    subprocess.run([str(ROOT / "tools/fetch-test-tools")], check=True)
    node26 = subprocess.run([str(ROOT / "tools/fetch-node-oracle")], check=True,
                            capture_output=True, text=True).stdout.strip().splitlines()[-1]
    node26 = str(ROOT / node26)
    ws = args.wasmstream or build_wasmstream(ROOT)

    tmp = pathlib.Path(tempfile.mkdtemp(prefix="gc_bench_"))
    (tmp / "assemble.mjs").write_text(ASSEMBLE)
    (tmp / "run.js").write_text(NODE_RUNNER)
    rows = []
    for k, option in KERNELS.items():
        arg = str(getattr(args, option))
        wasm = tmp / f"{k}.wasm"
        subprocess.run(["node", str(tmp / "assemble.mjs"), str(ROOT / "test-tools"),
                        str(ROOT / "bench/gc_kernels" / f"{k}.wat"), str(wasm)], check=True)
        ws_cmd = [ws, "run", str(wasm), "--no-cache", "--invoke", "run", arg]
        nd_cmd = [node26, str(tmp / "run.js"), str(wasm), arg]
        t_ws, o_ws = run_timed(ws_cmd, args.reps)
        t_nd, o_nd = run_timed(nd_cmd, args.reps)
        if result_of(o_ws) is None or result_of(o_ws) != result_of(o_nd):
            sys.exit(f"gc_bench: {k}: engines disagree: {o_ws!r} {o_nd!r}")
        t_run = float(re.search(r"run_seconds ([0-9.e-]+)", o_nd).group(1))
        rows.append((f"{k}({arg})", t_ws, t_nd, t_run, peak_rss_mib(ws_cmd), peak_rss_mib(nd_cmd)))

    print(f"whole process, best of {args.reps}, seconds; node = {node26.split('/')[-4]} (V8)")
    print(f"{'kernel':16} {'wasmstream':>11} {'node':>8} {'node run()':>11} {'ws/node':>8} "
          f"{'ws RSS':>8} {'node RSS':>9}")
    for k, a, b, c, ra, rb in rows:
        print(f"{k:16} {a:10.3f}s {b:7.3f}s {c:10.3f}s {a / b:7.1f}x "
              f"{ra:6.0f}MiB {rb:7.0f}MiB")
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
