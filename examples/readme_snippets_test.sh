#!/usr/bin/env bash
# The README's embedding snippets are the lines of the examples between
# README:begin and README:end, verbatim, so they compile against the real
# headers (the examples are built and run by their embed_test targets).
#   readme_snippets_test.sh README.md EXAMPLE...
set -uo pipefail
readme="$1"; shift
fails=0
for example in "$@"; do
  if ! python3 - "$readme" "$example" <<'PY'
import sys
readme, example = (open(p).read() for p in sys.argv[1:3])
lines = example.split("\n")
begin = [i for i, l in enumerate(lines) if "README:begin" in l]
end = [i for i, l in enumerate(lines) if "README:end" in l and "README:begin" not in l]
if len(begin) != 1 or len(end) != 1 or end[0] <= begin[0] + 1:
    sys.exit(f"{sys.argv[2]}: wants one README:begin ... README:end region")
snippet = "\n".join(lines[begin[0] + 1:end[0]]) + "\n"
if snippet not in readme:
    sys.exit(f"{sys.argv[1]} does not show these lines of {sys.argv[2]} verbatim:\n{snippet}")
PY
  then
    fails=$((fails + 1))
  fi
done
echo "$(( $# - fails )) passed, $fails failed"
[[ $fails -eq 0 ]]
