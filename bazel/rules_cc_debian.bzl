"""Adapts Debian's bazel-rules-cc (0.0.4) to Debian's Bazel 4.2.3.

Debian ships rules_cc newer than its Bazel understands: two files load
`use_cpp_toolchain` from @bazel_tools and `use_cc_toolchain` calls
`config_common.toolchain_type`, neither of which Bazel 4 has. This rule copies
the package and rewrites those spots, so nothing is downloaded.
"""

_SRC = "/usr/share/bazel/rules/cc"

_OLD_LOAD = 'load("@bazel_tools//tools/cpp:toolchain_utils.bzl", "find_cpp_toolchain", "use_cpp_toolchain")'
_NEW_LOAD = 'load("//cc:find_cc_toolchain.bzl", find_cpp_toolchain = "find_cc_toolchain", use_cpp_toolchain = "use_cc_toolchain")'
_OLD_USE = "return [config_common.toolchain_type(CC_TOOLCHAIN_TYPE, mandatory = mandatory)]"
_NEW_USE = "return [CC_TOOLCHAIN_TYPE]"

_REWRITES = {
    "cc/private/rules_impl/cc_flags_supplier.bzl": (_OLD_LOAD, _NEW_LOAD),
    "cc/private/rules_impl/compiler_flag.bzl": (_OLD_LOAD, _NEW_LOAD),
    "cc/find_cc_toolchain.bzl": (_OLD_USE, _NEW_USE),
}

# Folders on the way to a rewritten file: made for real, their other entries linked.
_DIRS = ["", "cc", "cc/private", "cc/private/rules_impl"]

def _impl(rctx):
    src = rctx.path(_SRC)
    if not src.exists:
        fail("Debian's rules_cc is missing at %s: run tools/setup (apt package bazel-rules-cc)." % _SRC)
    for d in _DIRS:
        folder = rctx.path(_SRC + "/" + d) if d else src
        for child in folder.readdir():
            rel = (d + "/" if d else "") + child.basename
            if rel in _DIRS:
                continue
            if rel in _REWRITES:
                old, new = _REWRITES[rel]
                text = rctx.read(child)
                if old not in text:
                    fail("rules_cc_debian: %s lacks the expected text; has bazel-rules-cc changed?" % rel)
                rctx.file(rel, text.replace(old, new), executable = False)
            else:
                rctx.symlink(child, rel)

rules_cc_debian = repository_rule(
    implementation = _impl,
    local = True,
)
