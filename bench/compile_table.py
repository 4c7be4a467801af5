#!/usr/bin/env python3
"""The streaming compile against V8 and against its own validator, on the four
large real modules (tools/fetch-bench-modules), in one run.

Every figure is one first call in a fresh process, the median of --runs:
  V8 26 Module        node 26 `new WebAssembly.Module` (its default: lazy)
  V8 26 Liftoff 1t    node 26 eager Liftoff on one thread
                      (--no-wasm-lazy-compilation --liftoff-only --single-threaded)
  V8 20/26 validate   `WebAssembly.validate`
  validator 1t / Nt   wasmstream's validator alone (bench:validate_bench), on one
                      thread and on the worker pool (one thread per core: V8's
                      validate checks bodies on its worker threads too, on a quiet
                      machine its CPU time is about twice its wall time)
  default             `wasmstream compile --json --no-cache FILE` module_ms (lazy:
                      bodies validated while streaming, code made on first call),
                      with its process's user and sys CPU and peak RSS
  eager 2w / 1w       the same with --eager, 2 workers / WASMSTREAM_WORKERS=1
Then the ratios the goals are stated in.

  bench/compile_table.py [--runs=3] [FILE.wasm ...]
"""
import json
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
import benchlib  # noqa: E402


def rusage_run(cmd, env=None):
    """Like run(), with the child's CPU and RSS (via os.wait4)."""
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    chunks = []
    while True:
        b = p.stdout.read(1 << 16)
        if not b:
            break
        chunks.append(b)
    _, status, ru = os.wait4(p.pid, 0)
    if status != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({status})")
    return b"".join(chunks).decode(), ru.ru_utime, ru.ru_stime, ru.ru_maxrss


def main():
    runs, files = benchlib.runs_and_modules(sys.argv[1:], ROOT)
    node26 = subprocess.run([os.path.join(ROOT, "tools/fetch-node-oracle")], check=True,
                            capture_output=True, text=True).stdout.strip()
    ws = benchlib.build_wasmstream(ROOT)
    subprocess.run(["bazel", "build", "-c", "opt", "//bench:validate_bench"], cwd=ROOT,
                   check=True, capture_output=True)
    bin_dir = subprocess.run(["bazel", "info", "-c", "opt", "bazel-bin"], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout.strip()
    vbench = os.path.join(bin_dir, "bench/validate_bench")
    js = os.path.join(ROOT, "bench/compile_node.js")

    def node_ms(node, flags, mode, f):
        return statistics.median(
            [float(subprocess.run([node, *flags, js, mode, f], check=True, capture_output=True,
                                  text=True).stdout.split()[0]) for _ in range(runs)])

    def validator_ms(f):
        """(one thread, all threads) in ms."""
        size = os.path.getsize(f)
        out = [subprocess.run([vbench, "--runs", "1", f], check=True, capture_output=True,
                              text=True).stdout.splitlines()[1].split() for _ in range(runs)]
        return tuple(statistics.median([size / 1e3 / float(o[col]) for o in out])
                     for col in (2, 6))

    def ws_compile(f, extra, workers=None):
        env = dict(os.environ)
        if workers:
            env["WASMSTREAM_WORKERS"] = str(workers)
        rows = []
        for _ in range(runs):
            out, user, sys_, rss = rusage_run([ws, "compile", "--json", "--no-cache", *extra, f],
                                              env)
            rows.append((json.loads(out)["timings"]["module_ms"], user, sys_, rss))
        rows.sort()
        return rows[len(rows) // 2]

    head = ("module", "MB", "V8-26 Module", "V8-26 Liftoff 1t", "V8-20 validate",
            "V8-26 validate", "validator 1t", "validator Nt", "default", "user s", "sys s", "RSS MB",
            "eager 2w", "eager 1w")
    print(f"runs: median of {runs}, one first call per fresh process, ms")
    print("\t".join(head))
    ratios = []
    for f in files:
        mb = os.path.getsize(f) / 1e6
        v8m = node_ms(node26, [], "module", f)
        lift = node_ms(node26, ["--no-wasm-lazy-compilation", "--liftoff-only",
                                "--single-threaded"], "module", f)
        v20 = node_ms("node", [], "validate", f)
        v26 = node_ms(node26, [], "validate", f)
        val, val_n = validator_ms(f)
        d_ms, d_user, d_sys, d_rss = ws_compile(f, [])
        e2 = ws_compile(f, ["--eager"])[0]
        e1 = ws_compile(f, ["--eager"], workers=1)[0]
        name = os.path.basename(f)
        print("\t".join([name, f"{mb:.1f}"] + [f"{x:.0f}" for x in (v8m, lift, v20, v26, val, val_n, d_ms)]
                        + [f"{d_user:.2f}", f"{d_sys:.2f}", f"{d_rss / 1024:.0f}",
                           f"{e2:.0f}", f"{e1:.0f}"]))
        ratios.append((name, d_ms / val, d_sys / max(d_user, 1e-9),
                       f"{v20 / val:.2f} / {v26 / val:.2f}", f"{v20 / val_n:.2f} / {v26 / val_n:.2f}",
                       lift / e1, e2 / e1, d_rss / 1024 / (2 * mb + 64)))
    print()
    print("module\tdefault/validator (goal<=1.2)\tsys/user (goal<0.1)\t"
          "validator 1t vs V8-20 / V8-26 validate (goal>1)\tvalidator Nt vs V8-20 / V8-26\t"
          "Liftoff-1t / eager-1w (goal>=2)\t"
          "eager 2w/1w (goal<=0.6)\tRSS/(2*wire+64MB) (goal<=1)")
    for r in ratios:
        print(f"{r[0]}\t{r[1]:.2f}\t{r[2]:.2f}\t{r[3]}\t{r[4]}\t{r[5]:.2f}\t{r[6]:.2f}\t{r[7]:.2f}")


if __name__ == "__main__":
    main()
