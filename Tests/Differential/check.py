#!/usr/bin/env python3
"""Re-check conformance test files against Rust Cedar (cedarpy), reading only the files.

`python3 Tests/Differential/check.py DIR [--limit N]` loads every test JSON under DIR (the
generator's output, or any schema-less tests in the same format), asks cedarpy each request
again, and reports any request whose expected decision, reasons or errors differ. Exits 1 on a
mismatch. This is the generator's self-test: it proves the written files say what Rust Cedar
says, independent of the generator's in-memory state.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys

import cedarpy

POLICY_ERROR = re.compile(r"error while evaluating policy `(policy\d+)`: ", re.S)


def test_files(root):
    for directory, _, names in sorted(os.walk(root)):
        for name in sorted(names):
            if name.endswith(".json") and not name.endswith(".entities.json"):
                yield os.path.join(directory, name)


def check_file(root, path):
    """Mismatch descriptions for one test file."""
    with open(path, encoding="utf-8") as f:
        test = json.load(f)
    if test.get("schema"):
        return ["%s: has a schema; this checker handles schema-less tests only" % path]
    with open(os.path.join(root, test["policies"]), encoding="utf-8", newline="") as f:
        policies = f.read()
    with open(os.path.join(root, test["entities"]), encoding="utf-8") as f:
        entities = f.read()
    requests = [{k: r[k] for k in ("principal", "action", "resource", "context")}
                for r in test["requests"]]
    results = cedarpy.is_authorized_batch(requests, policies, entities)
    problems = []
    for index, (request, result) in enumerate(zip(test["requests"], results)):
        decision = {cedarpy.Decision.Allow: "allow", cedarpy.Decision.Deny: "deny"}.get(
            result.decision, "no decision")
        errors = set()
        for message in result.diagnostics.errors:
            match = POLICY_ERROR.match(message)
            errors.add(match.group(1) if match else message)
        actual = (decision, set(result.diagnostics.reasons), errors)
        expected = (request["decision"], set(request["reason"]), set(request["errors"]))
        if actual != expected:
            problems.append("%s request %d: expected %r, cedarpy says %r"
                            % (path, index, expected, actual))
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dir", help="directory that holds the tests (paths are relative to it)")
    parser.add_argument("--limit", type=int, default=0, help="check only the first N files")
    args = parser.parse_args(argv)
    files = list(test_files(args.dir))
    if args.limit:
        files = files[: args.limit]
    problems, requests = [], 0
    for path in files:
        problems += check_file(args.dir, path)
        with open(path, encoding="utf-8") as f:
            requests += len(json.load(f)["requests"])
    for problem in problems:
        print(problem)
    print("checked %d files, %d requests: %d mismatches" % (len(files), requests, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
