# Sourced by the shell tests that run the wasmstream program: the binary, a
# fresh owner-only folder, pass/fail counting and a few fixtures.
#   source .../cli_checks.sh "$1"    (then: check, expect, lacks, truth, ...; finish)
# Sets $bin (absolute path of the program) and $tmp (an empty folder, mode 700).
bin="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
tmp="${TEST_TMPDIR:-$(mktemp -d)}/cli"
rm -rf "$tmp" && mkdir -p "$tmp" && chmod 700 "$tmp"
fails=0
passes=0

check() {  # check NAME EXPECTED_RC COMMAND... ; output in $out
  local name="$1" want="$2"; shift 2
  out="$("$@" 2>&1)"; local rc=$?
  if [[ $rc -ne $want ]]; then
    echo "FAIL $name: exit $rc, want $want; output: $out"; fails=$((fails + 1)); return 1
  fi
  passes=$((passes + 1))
}
expect() {  # expect NAME PATTERN  (grep -E on the last $out)
  if ! grep -qE -- "$2" <<<"$out"; then
    echo "FAIL $1: output lacks /$2/: $out"; fails=$((fails + 1)); return 1
  fi
  passes=$((passes + 1))
}
lacks() {  # lacks NAME PATTERN  (the last $out must not match)
  if grep -qE -- "$2" <<<"$out"; then
    echo "FAIL $1: output has /$2/: $out"; fails=$((fails + 1)); return 1
  fi
  passes=$((passes + 1))
}
truth() {  # truth NAME COMMAND...  (the command must succeed)
  local name="$1"; shift
  if ! "$@"; then echo "FAIL $name: $*"; fails=$((fails + 1)); return 1; fi
  passes=$((passes + 1))
}
finish() {  # the summary line and the test's exit status
  echo "$passes passed, $fails failed"
  [[ $fails -eq 0 ]]
}

# Runs SQL on a file through Python's sqlite3, as a person with a shell would.
sql() { python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()' "$@"; }

# tiny_module N FILE: (module (func (export "f") (result i32) i32.const N)),
# N in 0..63, so each N is a distinct module.
tiny_module() {
  printf '\x00asm\x01\x00\x00\x00\x01\x05\x01\x60\x00\x01\x7f\x03\x02\x01\x00\x07\x05\x01\x01f\x00\x00\x0a\x06\x01\x04\x00\x41'"$(printf '\\x%02x' "$1")"'\x0b' >"$2"
}

# A sanitizer reserves terabytes of address space: address-space limits only
# apply without one. `limit_as KIB` prints the ulimit prefix for bash -c.
limit_as() { [[ -z "${ASAN_OPTIONS:-}${TSAN_OPTIONS:-}" ]] && echo "ulimit -v $1;"; }
