#!/usr/bin/env python3
"""The code cache through the CLI, on the four large npm modules
(tools/fetch-bench-modules), default (lazy) and --eager, in one run:

  no-cache   `wasmstream compile --json --no-cache FILE`: whole process (ms)
  cold       the first run with a fresh cache file (compiles and stores)
  hit        later runs: whole process, and last byte -> Module (ms)
  entry      the entry's bytes on disk (payload; `cache list`), and / wire size
  answer     what the cache said on the hit runs ("hit", or the miss reason)
  goals      which of the cache's goals the row misses: hit/no-cache <= 0.25
             (modules of 5 MB or more), last byte -> Module <= 10 ms, entry <= 1.5x
             the wire size

Medians of --runs fresh processes.
  bench/cache_table.py [--runs=3] [FILE.wasm ...]
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
import benchlib  # noqa: E402


def compile_once(ws, args):
    # The record goes to a file, not a pipe: duckdb's is 9.3 MB (75k export
    # names), and Python draining a pipe of that size adds ~25 ms to the
    # process's wall time, the same with or without a cache.
    with tempfile.TemporaryFile() as out:
        t0 = time.perf_counter()
        p = subprocess.run([ws, "compile", "--json", *args], stdout=out, stderr=subprocess.PIPE,
                           text=True)
        wall = (time.perf_counter() - t0) * 1e3
        if p.returncode != 0:
            raise RuntimeError(f"compile {' '.join(args)} failed: {p.stderr.strip()[:300]}")
        out.seek(0)
        return wall, json.load(out)


def main():
    runs, files = benchlib.runs_and_modules(sys.argv[1:], ROOT)
    ws = benchlib.build_wasmstream(ROOT)
    print(f"median of {runs} fresh processes; ms")
    print("module\tmode\tno-cache\tcold\thit\thit/no-cache\tlast byte->Module (hit)\t"
          "entry MB\tentry/wire\tanswer\tgoals missed")
    for f in files:
        wire = os.path.getsize(f)
        for mode, extra in (("default", []), ("eager", ["--eager"])):
            nocache = statistics.median(
                [compile_once(ws, ["--no-cache", *extra, f])[0] for _ in range(runs)])
            with tempfile.TemporaryDirectory() as d:
                db = os.path.join(d, "cache.db")
                cold, _ = compile_once(ws, ["--cache", db, *extra, f])
                hits, after, answers = [], [], []
                for _ in range(runs):
                    wall, rec = compile_once(ws, ["--cache", db, *extra, f])
                    hits.append(wall)
                    after.append(rec["timings"].get("last_byte_to_module_ms", 0))
                    answers.append(rec.get("cache", "?"))
                listing = subprocess.run([ws, "cache", "--cache", db, "list"], capture_output=True,
                                         text=True).stdout
                stats = subprocess.run([ws, "cache", "--cache", db, "stats"],
                                       capture_output=True, text=True).stdout
            entry = 0
            for line in stats.splitlines():
                if line.startswith("bytes:"):  # "bytes: N (file M)"
                    entry = int(line.split()[1])
            hit = statistics.median(hits)
            after_ms = statistics.median(after)
            # The goals: a warm hit's whole process <= 0.25x the no-cache one
            # (modules >= 5 MB), <= 10 ms from the last byte to the Module,
            # an entry <= 1.5x the wire size.
            missed = [name for name, ok in (
                ("hit/no-cache<=0.25", wire < 5e6 or hit / nocache <= 0.25),
                ("after<=10ms", after_ms <= 10),
                ("entry/wire<=1.5", entry / wire <= 1.5)) if not ok]
            print(f"{os.path.basename(f)}\t{mode}\t{nocache:.0f}\t{cold:.0f}\t{hit:.0f}\t"
                  f"{hit / nocache:.2f}\t{after_ms:.1f}\t{entry / 1e6:.1f}\t"
                  f"{entry / wire:.2f}\t{','.join(sorted(set(answers)))}\t"
                  f"{' '.join(missed) or '-'}")
            if not listing.strip():
                print(f"  (no entry stored: {stats.strip()[:200]})")


if __name__ == "__main__":
    main()
