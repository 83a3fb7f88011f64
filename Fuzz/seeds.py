#!/usr/bin/env python3
"""Writes the seed corpus of each fuzz target from the Cedar conformance data.

Usage: Fuzz/seeds.py OUT_DIR [CONFORMANCE_DIR]

CONFORMANCE_DIR defaults to shared/conformance/cedar beside the checkout. For each target
OUT_DIR/<target>/ receives one file per distinct input, named by its SHA-1:

  policy-text       every .cedar file: the generated corpus (read from corpus-dev.tar.gz
                    without unpacking), the handwritten tests and the example apps
  policy-json       those policy sets in the JSON format, when `cedarpy` is installed,
                    and the JSON policy fixtures of the Swift tests
  entities-request  every entities file, and the first request of every test
  request-path      policy text, entities and the first request of every test, joined
                    by NUL bytes

Inputs longer than the target's max_len (run.sh passes the same limits) are left out.
"""

import hashlib
import json
import pathlib
import sys
import tarfile

MAX_LEN = {"policy-text": 4096, "policy-json": 16384, "entities-request": 16384, "request-path": 16384}


class Seeds:
    def __init__(self, out: pathlib.Path):
        self.out = out
        self.counts = {target: 0 for target in MAX_LEN}

    def add(self, target: str, data: bytes) -> None:
        if not data or len(data) > MAX_LEN[target]:
            return
        folder = self.out / target
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / hashlib.sha1(data).hexdigest()
        if not path.exists():
            path.write_bytes(data)
            self.counts[target] += 1


def request_json(request: dict) -> bytes:
    keys = ("principal", "action", "resource", "context")
    return json.dumps({k: request[k] for k in keys if k in request}).encode()


def corpus_tests(tarball: pathlib.Path):
    """Yields (policy text, entities text, first request) for each generated test."""
    # One sequential pass: a gzip stream is slow to seek in.
    files = {}
    with tarfile.open(tarball, "r:gz") as tar:
        for member in tar:
            if member.isfile():
                files[member.name] = tar.extractfile(member).read()

    for name in sorted(files):
        if not name.endswith(".json") or name.endswith(".entities.json"):
            continue
        stem = name[: -len(".json")]
        if stem + ".cedar" not in files or stem + ".entities.json" not in files:
            continue
        test = json.loads(files[name])
        request = test["requests"][0] if test.get("requests") else None
        yield files[stem + ".cedar"], files[stem + ".entities.json"], request


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = pathlib.Path(sys.argv[1])
    checkout = pathlib.Path(__file__).resolve().parent.parent
    conformance = pathlib.Path(sys.argv[2]) if len(sys.argv) > 2 else checkout.parent / "shared/conformance/cedar"
    seeds = Seeds(out)

    texts = []
    tarball = conformance / "corpus-dev.tar.gz"
    if tarball.exists():
        for policies, entities, request in corpus_tests(tarball):
            texts.append(policies)
            seeds.add("entities-request", entities)
            if request is not None:
                seeds.add("entities-request", request_json(request))
                seeds.add("request-path", policies + b"\0" + entities + b"\0" + request_json(request))
    else:
        print(f"seeds: no {tarball}; the generated corpus is left out", file=sys.stderr)

    for folder in ("handwritten", "examples"):
        for path in sorted((conformance / folder).rglob("*.cedar")):
            texts.append(path.read_bytes())
        for path in sorted((conformance / folder).rglob("*.json")):
            data = path.read_bytes()
            try:
                document = json.loads(data)
            except ValueError:
                continue
            if isinstance(document, list):
                seeds.add("entities-request", data)
            elif isinstance(document, dict) and {"principal", "action", "resource"} <= document.keys():
                seeds.add("entities-request", data)

    for text in texts:
        seeds.add("policy-text", text)

    try:
        import cedarpy
    except ImportError:
        cedarpy = None
        print("seeds: cedarpy is not installed; JSON seeds come from the test fixtures only", file=sys.stderr)
    if cedarpy is not None:
        for text in texts:
            try:
                seeds.add("policy-json", cedarpy.policies_to_json_str(text.decode()).encode())
            except Exception:  # a policy set cedarpy cannot convert is simply not a seed
                pass
    for path in sorted((checkout / "Tests/CedarTests/Fixtures/est").glob("*.json")):
        seeds.add("policy-json", path.read_bytes())

    for target, count in seeds.counts.items():
        print(f"seeds: {count} new inputs for {target}")


if __name__ == "__main__":
    main()
