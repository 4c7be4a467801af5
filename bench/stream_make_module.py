#!/usr/bin/env python3
"""Writes a valid WebAssembly module of about N MB for bench/stream.sh when no
real module of 20 MB+ is at hand: many (i32) -> i32 functions whose bodies mix
locals, arithmetic, loops, branches, memory loads/stores and calls, so the
validator and the compiler do real work on every byte.
    stream_make_module.py OUT.wasm [MB]
"""
import random
import sys


def uleb(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def sleb(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if (n == 0 and not b & 0x40) or (n == -1 and b & 0x40):
            out.append(b)
            return bytes(out)
        out.append(b | 0x80)


def section(sid, payload):
    return bytes([sid]) + uleb(len(payload)) + payload


def vec(items):
    return uleb(len(items)) + b"".join(items)


def name(s):
    b = s.encode()
    return uleb(len(b)) + b


def body(index, rng, blocks):
    code = bytearray()
    for _ in range(blocks):
        k = rng.randrange(1, 1 << 20)
        off = rng.randrange(0, 4096) & ~3
        code += b"\x20\x00" + b"\x41" + sleb(k) + b"\x6a" + b"\x21\x01"  # l1 = l0 + k
        code += b"\x02\x40\x03\x40"                                    # block loop
        code += b"\x20\x01\x45\x0d\x01"                                # br_if 1 (l1 == 0)
        code += b"\x20\x01\x41\x01\x6b\x21\x01"                        # l1 -= 1
        code += b"\x20\x02\x41\x00\x28\x02" + uleb(off) + b"\x73\x21\x02"  # l2 ^= load(off)
        code += b"\x41" + sleb(off) + b"\x20\x02\x36\x02\x00"          # store(off, l2)
        code += b"\x0c\x00\x0b\x0b"                                    # br 0; end; end
        code += b"\x20\x02\x04\x7f\x20\x02\x41" + sleb(k & 0xFFF) + b"\x6c"  # if l2: l2*c
        code += b"\x05\x20\x00\x41\x07\x71\x0b\x21\x03"                # else l0&7; l3 =
    if index > 0:
        code += b"\x20\x03\x10" + uleb(index - 1) + b"\x1a"            # call f-1; drop
    code += b"\x20\x03\x0b"                                            # l3; end
    locals_ = vec([uleb(3) + b"\x7f"])                                 # 3 more i32 locals
    b = locals_ + bytes(code)
    return uleb(len(b)) + b


def main():
    out = sys.argv[1]
    target = int(float(sys.argv[2]) * 1_000_000) if len(sys.argv) > 2 else 24_000_000
    rng = random.Random(7)
    bodies = []
    size = 0
    while size < target:
        b = body(len(bodies), rng, rng.randrange(4, 24))
        bodies.append(b)
        size += len(b)
    n = len(bodies)
    types = section(1, vec([b"\x60" + vec([b"\x7f"]) + vec([b"\x7f"])]))
    funcs = section(3, vec([uleb(0)] * n))
    memory = section(5, vec([b"\x00" + uleb(1)]))
    exports = section(7, vec([name("f%d" % i) + b"\x00" + uleb(i) for i in (0, n // 2, n - 1)]))
    code = section(10, uleb(n) + b"".join(bodies))
    with open(out, "wb") as f:
        f.write(b"\x00asm\x01\x00\x00\x00" + types + funcs + memory + exports + code)


if __name__ == "__main__":
    main()
