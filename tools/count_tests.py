#!/usr/bin/env python3
"""Counts test cases in Bazel's test.xml files and prints 'N passed, N failed'.

Exits 1 when any case failed or none ran, so CI can trust the line.
"""
import pathlib
import sys
import xml.etree.ElementTree as ET


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


def main(root: str, targets: list[str]) -> int:
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


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "bazel-testlogs", sys.argv[2:]))
