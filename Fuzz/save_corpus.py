#!/usr/bin/env python3
"""Saves a small, coverage-diverse selection of each target's fuzz corpus as test fixtures.

Usage: Fuzz/save_corpus.py [--count N] [--max-bytes B] [target...]

For each target (default: all four) libFuzzer's merge pass runs the corpus in
.build-fuzz/corpus/<target>/ and records the coverage features of every input. A greedy
set cover then picks up to N inputs (default 50), each time the input that adds the most
features not yet covered, the shorter one on a tie, skipping inputs longer than B bytes
(default 4096). The picks replace Tests/CedarTests/Fixtures/fuzz/<target>/corpus-*;
findings (finding-*) stay. FuzzReplayTests replays every file there.
"""

import argparse
import hashlib
import os
import pathlib
import subprocess
import sys
import tempfile

TARGETS = ["policy-text", "policy-json", "entities-request", "request-path"]


def features(binary: pathlib.Path, corpus: pathlib.Path) -> dict[pathlib.Path, set[int]]:
    """Every corpus input's coverage features, from a libFuzzer merge control file."""
    with tempfile.TemporaryDirectory() as scratch:
        control = pathlib.Path(scratch) / "control"
        empty = pathlib.Path(scratch) / "empty"
        empty.mkdir()
        environment = dict(os.environ, SWIFT_DETERMINISTIC_HASHING="1", SWIFT_BACKTRACE="enable=no")
        subprocess.run(
            [str(binary), "-merge=1", f"-merge_control_file={control}", "-rss_limit_mb=2048", "-timeout=5",
             str(empty), str(corpus)],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment)
        lines = control.read_text().splitlines()
    count = int(lines[0])
    files = [pathlib.Path(line) for line in lines[2 : 2 + count]]
    result = {}
    for line in lines[2 + count :]:
        fields = line.split()
        if fields and fields[0] == "FT":
            result[files[int(fields[1])]] = {int(f) for f in fields[2:]}
    return result


def select(covered: dict[pathlib.Path, set[int]], count: int, max_bytes: int) -> list[pathlib.Path]:
    """Greedy maximum coverage: up to `count` inputs, most new features first."""
    candidates = {path: fs for path, fs in covered.items() if path.stat().st_size <= max_bytes}
    seen: set[int] = set()
    picked = []
    while candidates and len(picked) < count:
        best = max(candidates, key=lambda p: (len(candidates[p] - seen), -p.stat().st_size, p.name))
        if not candidates[best] - seen:
            break
        seen |= candidates.pop(best)
        picked.append(best)
    return picked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--max-bytes", type=int, default=4096)
    parser.add_argument("targets", nargs="*", default=TARGETS)
    arguments = parser.parse_args()
    root = pathlib.Path(__file__).resolve().parent.parent
    for target in arguments.targets:
        binary = root / ".build-fuzz" / f"fuzz-{target}"
        corpus = root / ".build-fuzz" / "corpus" / target
        if not binary.exists() or not corpus.is_dir():
            sys.exit(f"save_corpus: build and run {target} first (Fuzz/run.sh)")
        picked = select(features(binary, corpus), arguments.count, arguments.max_bytes)
        fixtures = root / "Tests/CedarTests/Fixtures/fuzz" / target
        fixtures.mkdir(parents=True, exist_ok=True)
        for old in fixtures.glob("corpus-*"):
            old.unlink()
        for path in picked:
            data = path.read_bytes()
            (fixtures / f"corpus-{hashlib.sha1(data).hexdigest()[:16]}").write_bytes(data)
        size = sum(p.stat().st_size for p in picked)
        print(f"save_corpus: {len(picked)} inputs ({size} bytes) for {target}")


if __name__ == "__main__":
    main()
