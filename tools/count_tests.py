#!/usr/bin/env python3
"""Reads Bazel's test results after a `bazel test` (tools/test runs it).

  count_tests.py [TESTLOGS [//pkg:target...]]
      Counts the test cases in the test.xml files and prints
      'N passed, N failed, N skipped'; exits 1 when any case failed or none
      ran, so CI can trust the line.
  count_tests.py --spec-tables [TESTLOGS]
      Prints the spec testsuite's per-file tables in Markdown, from the logs
      of //tests/spectest:spectest_validation_test (validation) and
      //wasm/runtime/wast:spec_testsuite_test (the interpreter). Both must
      have run with WASM_TESTSUITE_DIR set; docs/testing.md says how.
"""
import pathlib
import re
import sys
import xml.etree.ElementTree as ET

VALIDATION_LOG = "tests/spectest/spectest_validation_test/test.log"
INTERPRETER_LOG = "wasm/runtime/wast/spec_testsuite_test/test.log"

# Test case of spec_testsuite_test -> (suite shown, converter note). The lazy
# cases run the same scripts again and are left out of the table.
INTERPRETER_CASES = {
    "WebAssembly20": ("2.0", ""),
    "WebAssembly20WasmTools": ("2.0", "wasm-tools"),
    "WebAssembly30": ("3.0", ""),
    "WebAssembly30WasmTools": ("3.0", "wasm-tools"),
    "LegacyExceptions": ("3.0/legacy", ""),
    "ThreadsProposal": ("3.0/threads", ""),
}


def test_xmls(root: str, targets: list[str]):
    """The test.xml of each named target (//pkg:name), or every one under root."""
    if not targets:
        yield from pathlib.Path(root).rglob("test.xml")
        return
    for t in targets:
        pkg, _, name = t.lstrip("/").partition(":")
        xml = pathlib.Path(root, pkg, name, "test.xml")
        if xml.exists():
            yield xml
        else:  # sharded or missing: take what there is
            yield from pathlib.Path(root, pkg, name).rglob("test.xml")


def count(root: str, targets: list[str]) -> int:
    passed = failed = skipped = 0
    for xml in test_xmls(root, targets):
        try:
            tree = ET.parse(xml)
        except ET.ParseError as e:
            print(f"unreadable {xml}: {e}", file=sys.stderr)
            failed += 1
            continue
        cases = list(tree.iter("testcase"))
        if not cases:  # a test binary that is not GoogleTest: one case, by exit status
            suites = list(tree.iter("testsuite"))
            bad = any(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
            failed, passed = failed + bad, passed + (not bad)
            continue
        for case in cases:
            if case.find("failure") is not None or case.find("error") is not None:
                failed += 1
            elif case.get("result") == "skipped" or case.find("skipped") is not None \
                    or case.get("status") == "notrun":
                skipped += 1
            else:
                passed += 1
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed or passed == 0 else 0


def validation_table(log: str) -> str:
    """The table spectest_validation_test prints, with its total line."""
    lines, inside = [], False
    for line in log.splitlines():
        if line.startswith("| suite | file | checked"):
            inside, lines = True, []
        if inside:
            lines.append(line)
            if line.startswith("Total:"):
                inside = False
    return "\n".join(lines) + "\n" if lines else ""


def interpreter_table(log: str) -> str:
    """Per-file counts from spec_testsuite_test's "name: N passed, ..." lines."""
    rows, totals, case = {}, [], None
    row_re = re.compile(r"^(\S+): (\d+) passed, (\d+) failed, (\d+) skipped( \(known failure\))?$")
    for line in log.splitlines():
        if m := re.match(r"^\[ RUN +\] SpecTestsuiteTest\.(\w+)", line):
            case = INTERPRETER_CASES.get(m.group(1))
            continue
        if case is None:
            continue
        if re.match(r"^\S+ total \(", line):
            totals.append(f"{case[0]} ({line.split('(')[1].split(')')[0]}): "
                          + line.split("): ", 1)[1])
        elif m := row_re.match(line):
            name, passed, failed, skipped, listed = m.groups()
            note = [case[1]] if case[1] else []
            if int(failed):  # the test passed, so every failure is a listed one
                note.append(f"{failed} known (known_failures.txt)")
            rows[(case[0], name + ".wast")] = (passed, failed, skipped, "; ".join(note))
    if not rows:
        return ""
    out = ["| suite | file | passed | failed | skipped (text modules) | note |",
           "|---|---|---:|---:|---:|---|"]
    for (suite, name), (p, f, s, note) in sorted(rows.items()):
        out.append(f"| {suite} | {name} | {p} | {f} | {s} | {note} |")
    return "\n".join(out) + "\n\n" + "\n".join(f"Total {t}" for t in totals) + "\n"


def spec_tables(root: str) -> int:
    ok = True
    for title, rel, make in (("Validation", VALIDATION_LOG, validation_table),
                             ("Interpreter", INTERPRETER_LOG, interpreter_table)):
        path = pathlib.Path(root, rel)
        table = make(path.read_text(errors="replace")) if path.exists() else ""
        if not table:
            print(f"{path}: no table (run the test with WASM_TESTSUITE_DIR set)", file=sys.stderr)
            ok = False
            continue
        print(f"### {title} (`{rel.rsplit('/', 1)[0]}`)\n\n{table}")
    return 0 if ok else 1


if __name__ == "__main__":
    args = sys.argv[1:]
    if args and args[0] == "--spec-tables":
        sys.exit(spec_tables(args[1] if len(args) > 1 else "bazel-testlogs"))
    sys.exit(count(args[0] if args else "bazel-testlogs", args[1:]))
