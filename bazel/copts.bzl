"""Compiler options every wasmstream library sets on itself, so that a Bazel
workspace using wasmstream as an external repository builds it as this one
does without copying the project's .bazelrc: the code is C++20, and the
interpreter is only usable optimized. The libraries also set
alwayslink = True, so that //:libwasmstream.so (a shared library linked from
them) holds every object and not only those something in it references."""

WASMSTREAM_COPTS = ["-std=c++20", "-O2"]
