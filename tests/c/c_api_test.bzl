"""c_api_test: a C11 program over the C API, run on its module(s) and
compared with its expected output."""

load("@rules_cc//cc:defs.bzl", "cc_binary")

def wat_module(name):
    """NAME.wat -> NAME.wasm with wabt's wat2wasm (tools/setup installs it): WebAssembly 2.0 plus exception tags."""
    native.genrule(
        name = name + "_wasm",
        srcs = [name + ".wat"],
        outs = [name + ".wasm"],
        cmd = "wat2wasm --enable-exceptions $< -o $@",
    )

def c_api_test(name, modules = None, deps = [], size = "small", tags = []):
    """NAME.c runs with the .wasm of each of {modules} (default [NAME]) as
    arguments; its output must equal NAME.expected."""
    modules = modules if modules != None else [name]
    cc_binary(
        name = name,
        srcs = [name + ".c", "c_test.h"],
        copts = ["-std=c11", "-Wextra", "-Werror"],
        deps = ["//bindings/c:c_api"] + deps,
        testonly = True,
    )
    native.sh_test(
        name = name + "_test",
        size = size,
        srcs = ["run_and_compare.sh"],
        args = ["$(location %s.expected)" % name, "$(location :%s)" % name] +
               ["$(location :%s_wasm)" % m for m in modules],
        data = [name + ".expected", ":" + name] + [":%s_wasm" % m for m in modules],
        tags = tags,
    )
