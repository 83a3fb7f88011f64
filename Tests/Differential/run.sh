#!/usr/bin/env bash
# Differential test of Writ's Cedar against Rust Cedar: generate tests whose expected answers
# come from cedarpy into a temporary directory, then run Writ's conformance runner over them.
#
#   Tests/Differential/run.sh [generate.py options, e.g. --tests 3000]
#
# Environment: WRIT (the writ executable; default .build/debug/writ in this repository),
# SEED (default 1; any integer gives a different, reproducible suite).
# Exits with the runner's status. On failure the tests are kept and their path is printed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
writ="${WRIT:-$repo/.build/debug/writ}"
seed="${SEED:-1}"
out="$(mktemp -d "${TMPDIR:-/tmp}/writ-differential.XXXXXX")"

python3 "$here/generate.py" --seed "$seed" --out "$out" "$@"

status=0
"$writ" cedar conformance "$out" || status=$?
if [ "$status" -eq 0 ]; then
    rm -rf "$out"
else
    echo "differential tests failed (status $status); tests kept in $out (SEED=$seed)" >&2
fi
exit "$status"
