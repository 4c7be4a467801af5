#!/usr/bin/env python3
"""wasmstream js vs node on one script (bench/js/calls.js): JS -> wasm and
wasm -> JS call overhead (10M calls each) and compileStreaming /
instantiateStreaming of the large modules in /tmp/bigmods, all fetched from
one loopback HTTP server (Python's, application/wasm).

    bench/js_bench.py [--reps N] [--no-modules] [--wasmstream PATH]

Builds wasmstream with -c opt unless --wasmstream names a binary. Prints one table: measurement, wasmstream ms,
node ms (best of N runs)."""
import argparse
import functools
import http.server
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from benchlib import build_wasmstream  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
BIGMODS = {
    "pandoc.wasm": "pandoc-wasm-1.1.0/package/src/pandoc.wasm",
    "biome.wasm": "biomejs-wasm-nodejs-2.5.14/package/biome_wasm_bg.wasm",
    "duckdb.wasm": "duckdb-duckdb-wasm-1.32.0/package/dist/duckdb-eh.wasm",
    "esbuild.wasm": "esbuild-wasm-0.28.2/package/esbuild.wasm",
}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(directory):
    handler = functools.partial(QuietHandler, directory=directory)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def parse(out):
    rows = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[-1].isdigit():
            rows[" ".join(parts[:-1])] = int(parts[-1])
        elif len(parts) >= 3 and parts[-2].isdigit():  # "name ms WRONG"
            raise RuntimeError(f"wrong result: {line}")
    return rows


def best_of(cmd, env, reps):
    best = {}
    for _ in range(reps):
        p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)
        if p.returncode != 0:
            raise RuntimeError(f"{cmd[0]} failed: {p.stdout[-500:]} {p.stderr[-2000:]}")
        for k, v in parse(p.stdout).items():
            best[k] = min(v, best.get(k, v))
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--no-modules", action="store_true")
    ap.add_argument("--wasmstream", help="a built wasmstream binary (default: build -c opt)")
    args = ap.parse_args()
    wasmstream = args.wasmstream or build_wasmstream(ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["wat2wasm", str(ROOT / "tests/js/modules/calls.wat"), "-o",
                        os.path.join(tmp, "calls.wasm")], check=True)
        names = []
        if not args.no_modules:
            for name, rel in BIGMODS.items():
                src = pathlib.Path("/tmp/bigmods") / rel
                if src.exists():
                    os.symlink(src, os.path.join(tmp, name))
                    names.append(name)
                else:
                    print(f"skipping {name}: {src} is missing", file=sys.stderr)
        script = os.path.join(tmp, "calls.js")
        shutil.copy(ROOT / "bench/js/calls.js", script)
        server = serve(tmp)
        base = f"http://127.0.0.1:{server.server_port}/"
        env = dict(os.environ, BENCH_BASE=base, BENCH_MODULES=",".join(names))
        # wasmstream has no process.env: the module list comes as a script.
        prefix = os.path.join(tmp, "modules.js")
        pathlib.Path(prefix).write_text(f"globalThis.BENCH_MODULES = {','.join(names)!r};\n")
        ours = best_of([wasmstream, "js", "--no-cache", "--location", base, prefix, script], env,
                       args.reps)
        node = best_of(["node", script], env, args.reps)
        server.shutdown()
    print(f"{'measurement':34} {'wasmstream ms':>14} {'node ms':>10}")
    for k in ours:
        print(f"{k:34} {ours[k]:>14} {node.get(k, '-'):>10}")


if __name__ == "__main__":
    main()
