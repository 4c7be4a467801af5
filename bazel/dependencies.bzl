"""What a Bazel workspace that uses wasmstream calls in its WORKSPACE:

    local_repository(name = "wasmstream", path = "/path/to/wasmstream")
    load("@wasmstream//bazel:dependencies.bzl", "wasmstream_dependencies")
    wasmstream_dependencies()

It defines, unless the workspace already has them, the repositories
wasmstream's BUILD files and Bazel 4's own tools load: @rules_cc (Debian's
bazel-rules-cc adapted to Bazel 4, see rules_cc_debian.bzl) and @rules_java
(Debian's bazel-rules-java). Nothing is downloaded. The system libraries come
from Debian's packages (tools/setup lists them).
"""

load("//bazel:rules_cc_debian.bzl", "rules_cc_debian")

def wasmstream_dependencies():
    existing = native.existing_rules()
    if "rules_cc" not in existing:
        rules_cc_debian(name = "rules_cc")
    if "rules_java" not in existing:
        native.local_repository(
            name = "rules_java",
            path = "/usr/share/bazel/rules/java",
        )
