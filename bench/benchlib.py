"""Helpers shared by the Python benchmarks in bench/ (timing a command,
reading an engine's i32 result, building wasmstream with -c opt)."""
import os
import re
import subprocess
import time


def run_timed(cmd, reps):
    """Best wall-clock seconds of {reps} runs of {cmd}, and the last output."""
    best, out = None, None
    for _ in range(reps):
        t0 = time.perf_counter()
        p = subprocess.run(cmd, capture_output=True, text=True)
        dt = time.perf_counter() - t0
        if p.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed: {p.stderr.strip()}")
        best = dt if best is None else min(best, dt)
        out = p.stdout
    return best, out


def result_of(text):
    """The i32 an engine printed: wasmstream's "i32:N" or a bare number line."""
    m = re.search(r"i32:(\d+)", text) or re.search(r"^(\d+)\s*$", text, re.M)
    return int(m.group(1)) & 0xFFFFFFFF if m else None


def build_wasmstream(root):
    """Builds //tools/wasmstream with -c opt and returns the binary's path."""
    subprocess.run(["bazel", "build", "-c", "opt", "//tools/wasmstream"], cwd=root, check=True)
    bin_dir = subprocess.run(["bazel", "info", "-c", "opt", "bazel-bin"], cwd=root, check=True,
                             capture_output=True, text=True).stdout.strip()
    return os.path.join(bin_dir, "tools/wasmstream/wasmstream")


def runs_and_modules(argv, root, default_runs=3):
    """--runs=N and FILE arguments of the module benchmarks; without files,
    the four large npm modules (tools/fetch-bench-modules)."""
    runs, files = default_runs, []
    for a in argv:
        if a.startswith("--runs="):
            runs = int(a.split("=", 1)[1])
        else:
            files.append(a)
    if not files:
        files = subprocess.run([os.path.join(root, "tools/fetch-bench-modules")], check=True,
                               capture_output=True, text=True).stdout.split()
    return runs, files
