#!/usr/bin/env python3
"""The shared (Redis) cache tier: time to Module on an L2 hit vs a cold
compile vs an L1 hit, for each large real module, in the same run.

Every load is a `wasmstream compile --json` process (a fresh SQLite file is a
fresh machine); the time is the JSON's timings.module_ms (from the call to the
Module, reading the file included). A redis-server is started on a free
loopback port for the run. Per module and per record encoding (zstd, none):
  cold     no cache entry anywhere (--cache-remote off, fresh file)
  publish  one machine compiles and publishes (not timed)
  L2 hit   a fresh machine: the entry comes from Redis, is imported, loaded
  L1 hit   the same machine again: the entry is in its own file
  GET      the entry's bytes fetched from Redis alone (a raw RESP GET here)
and the goal's yardstick, L2 / (L1 + GET).

  bench/fleet_bench.py [--runs=N] [--eager] [FILE.wasm...]
      (default: the four modules tools/fetch-bench-modules fetches)
"""
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_redis(tmp):
    port = free_port()
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                             "--save", "", "--appendonly", "no", "--dir", tmp,
                             "--maxmemory", "0", "--maxmemory-policy", "allkeys-lru"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(250):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    return proc, port
        except OSError:
            time.sleep(0.02)
    proc.kill()
    raise RuntimeError("redis-server did not start")


def resp(port, *args):
    """One Redis command over a raw socket; returns (reply bytes, seconds)."""
    cmd = b"*%d\r\n" % len(args) + b"".join(
        b"$%d\r\n%s\r\n" % (len(a), a) for a in (x.encode() if isinstance(x, str) else x
                                                  for x in args))
    with socket.create_connection(("127.0.0.1", port)) as s:
        t0 = time.perf_counter()
        s.sendall(cmd)
        buf = bytearray()
        while b"\r\n" not in buf:
            buf += s.recv(65536)
        head, _, rest = bytes(buf).partition(b"\r\n")
        if head[:1] == b"$":
            n = int(head[1:])
            body = bytearray(rest)
            while len(body) < n + 2:
                chunk = s.recv(1 << 20)
                if not chunk:
                    break
                body += chunk
            return bytes(body[:n]), time.perf_counter() - t0
        if head[:1] == b"*":  # SCAN-like replies: keep reading a moment
            s.settimeout(0.2)
            try:
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    rest += chunk
            except socket.timeout:
                pass
            return head + b"\r\n" + rest, time.perf_counter() - t0
        return head, time.perf_counter() - t0


def load(exe, db, module, remote, extra, expect=None):
    args = [exe, "compile", "--json", "--cache", db] + extra
    args += ["--cache-remote", remote] if remote else ["--cache-remote", "off"]
    p = subprocess.run(args + [module], capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {p.stderr.strip()}")
    j = json.loads(p.stdout)
    detail = j.get("cache_detail", "")
    if expect and expect not in detail:
        raise RuntimeError(f"expected '{expect}', got '{detail}' for {module}")
    return j["timings"]["module_ms"], j


def main(argv):
    eager = "--eager" in argv
    argv = [a for a in argv if a != "--eager"]
    runs, files = benchlib.runs_and_modules(argv, ROOT, default_runs=3)
    exe = benchlib.build_wasmstream(ROOT)
    tmp = tempfile.mkdtemp(prefix="wasmstream-fleet-bench-")
    redis, port = start_redis(tmp)
    url = f"redis://127.0.0.1:{port}"
    extra = ["--eager"] if eager else []
    rows = []
    try:
        for f in files:
            name = os.path.basename(f)
            cold = []
            for r in range(runs):
                db = os.path.join(tmp, f"cold-{name}-{r}.db")
                cold.append(load(exe, db, f, None, extra, "miss")[0])
            row = {"module": name, "wire_mb": os.path.getsize(f) / 1e6,
                   "cold_ms": statistics.median(cold)}
            for comp in ("zstd", "none"):
                prefix = f"bench-{comp}:"
                ropts = extra + ["--cache-remote-prefix", prefix, "--cache-remote-compress", comp]
                pub = os.path.join(tmp, f"pub-{comp}-{name}.db")
                _, j = load(exe, pub, f, url, ropts, "miss")
                entry_bytes = j["cache_remote"]["bytes_out"]
                if j["cache_remote"]["publishes"] == 0:
                    row[comp] = None  # not stored: over the entry size limit (cache/limits.h)
                    continue
                keys, _ = resp(port, "KEYS", prefix + "e:*")
                l2, l1, get = [], [], []
                for r in range(runs):
                    db = os.path.join(tmp, f"m-{comp}-{name}-{r}.db")
                    l2.append(load(exe, db, f, url, ropts, "hit: redis")[0])
                    l1.append(load(exe, db, f, url, ropts, "hit: sqlite")[0])
                for key in [k for k in keys.split(b"\r\n") if k.startswith(prefix.encode())]:
                    for _ in range(runs):
                        body, secs = resp(port, "GET", key)
                        get.append(secs * 1e3)
                resp(port, "FLUSHALL")
                row[comp] = {"entry_mb": entry_bytes / 1e6, "l2_ms": statistics.median(l2),
                             "l1_ms": statistics.median(l1), "get_ms": statistics.median(get)}
            rows.append(row)
    finally:
        redis.kill()
        redis.wait()
        shutil.rmtree(tmp, ignore_errors=True)

    mode = "eager" if eager else "lazy"
    print(f"time to Module (ms, median of {runs}; {mode} compile; loopback Redis)")
    print(f"{'module':22} {'wire MB':>8} {'cold':>8} | {'enc':4} {'entry MB':>9} {'GET':>7} "
          f"{'L2 hit':>8} {'L1 hit':>8} {'L2/(L1+GET)':>11}")
    for r in rows:
        for comp in ("zstd", "none"):
            c = r[comp]
            if c is None:
                print(f"{r['module']:22} {r['wire_mb']:8.1f} {r['cold_ms']:8.1f} | {comp:4} "
                      "not cached: the entry is over the size limit")
                continue
            print(f"{r['module']:22} {r['wire_mb']:8.1f} {r['cold_ms']:8.1f} | {comp:4} "
                  f"{c['entry_mb']:9.2f} {c['get_ms']:7.1f} {c['l2_ms']:8.1f} {c['l1_ms']:8.1f} "
                  f"{c['l2_ms'] / (c['l1_ms'] + c['get_ms']):11.2f}")
    print(json.dumps(rows))


if __name__ == "__main__":
    main(sys.argv[1:])
