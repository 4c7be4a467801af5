#!/usr/bin/env python3
"""Code-cache write-back benchmark: the second run of a real module's
workload, with and without --cache-write-back, in CPU time (user + system
of the whole `wasmstream js` process, median of --runs), and the entry's
size before and after.

  bench/write_back.py [--wasmstream PATH] [--runs N] [--only swc,brotli] [--corpus DIR]

Workloads (bench/write_back/*.js), modules from the npm corpus
(tools/fetch-corpus fills corpus/):
  swc     @swc/wasm (18 MB, Rust) transforms and minifies a 20 KB JS file
  brotli  brotli-wasm (1 MB, Rust) compresses and decompresses 200 KB of text

Phases, each a fresh process:
  first        no entry: validated while streaming, each function compiled
               on its first call; the miss stores a metadata-only entry
  second       a hit on that entry: every called function compiled again
  write-back   a first run with --cache-write-back (the write-back included)
  second+wb    a hit on the written-back entry: called functions loaded from it
Without --wasmstream it builds //tools/wasmstream with Bazel (-c opt) first.
"""
import argparse
import pathlib
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile

from benchlib import build_wasmstream

ROOT = pathlib.Path(__file__).resolve().parent.parent

def workloads(corpus):
    """Per workload: the files served to it, from the corpus's npm packages."""
    npm = pathlib.Path(corpus) / "npm/node_modules"
    return {
        "swc": {"wasm_bg.wasm": npm / "@swc/wasm/wasm_bg.wasm", "wasm.js": npm / "@swc/wasm/wasm.js",
                "input.js": npm / "brotli-wasm/pkg.web/brotli_wasm.js"},
        "brotli": {"brotli_wasm_bg.wasm": npm / "brotli-wasm/pkg.web/brotli_wasm_bg.wasm"},
    }


def cpu_run(cmd):
    """User + system seconds of {cmd} (and its children), its stdout and stderr."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    p = subprocess.run(cmd, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0 or not p.stdout.startswith("ok"):
        raise RuntimeError(f"{' '.join(cmd)} failed ({p.returncode}): {p.stdout} {p.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, p.stdout, p.stderr


def entry_bytes(ws, db):
    out = subprocess.run([ws, "cache", "--cache", db, "list"], capture_output=True,
                         text=True, check=True).stdout
    m = re.search(r"payload\s+(\d+)", out)
    return int(m.group(1)) if m else 0


def bench(ws, name, files, runs, tmp):
    serve = tmp / name
    serve.mkdir()
    for dst, src in files.items():
        shutil.copy(src, serve / dst)
    script = ROOT / f"bench/write_back/{name}.js"

    def run(db, *extra):
        return cpu_run([ws, "js", "--serve", str(serve), "--cache", str(db), *extra, str(script)])

    def fresh(i, tag):
        return tmp / f"{name}-{tag}-{i}.db"

    times = {k: [] for k in ("first", "second", "write-back", "second+wb")}
    counts = ""
    for i in range(runs):
        times["first"].append(run(fresh(i, "first"))[0])
        cpu, _, err = run(fresh(i, "wb"), "--cache-write-back")
        times["write-back"].append(cpu)
        counts = err.strip().removeprefix("wasmstream: ")
    plain, written = fresh(0, "first"), fresh(0, "wb")
    for _ in range(runs):
        times["second"].append(run(plain)[0])
        cpu, _, err = run(written, "--cache-write-back")
        times["second+wb"].append(cpu)
        loaded = err.strip().removeprefix("wasmstream: ")
    med = {k: statistics.median(v) * 1000 for k, v in times.items()}
    print(f"{name}: CPU ms, median of {runs} (min-max)")
    for k, v in times.items():
        print(f"  {k:11s} {med[k]:7.0f}  ({min(v) * 1000:.0f}-{max(v) * 1000:.0f})")
    print(f"  entry bytes: {entry_bytes(ws, plain)} metadata only, "
          f"{entry_bytes(ws, written)} after the write-back")
    print(f"  first run, {counts}")
    print(f"  second run, {loaded}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasmstream")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only", default="swc,brotli")
    ap.add_argument("--corpus", default=str(ROOT / "corpus"))
    a = ap.parse_args()
    ws = a.wasmstream or build_wasmstream(ROOT)
    names = a.only.split(",")
    all_files = workloads(a.corpus)
    missing = [str(p) for n in names for p in all_files[n].values() if not p.exists()]
    if missing:
        sys.exit("missing (run tools/fetch-corpus): " + ", ".join(missing))
    with tempfile.TemporaryDirectory(prefix="wasmstream-write-back-") as t:
        for n in names:
            bench(ws, n, all_files[n], a.runs, pathlib.Path(t))


if __name__ == "__main__":
    main()
