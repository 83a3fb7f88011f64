#!/usr/bin/env bash
# Compares Writ's Cedar engine with Rust Cedar on the same workloads, in one go:
# builds cedar-workload in release mode, exports every workload and times Writ on it,
# then loads the same files into Rust Cedar (cedarpy), checks that every decision
# agrees, times Rust's engine and prints the comparison table.
#
# Usage: ./run_compare.sh [OUT_FOLDER] [SECONDS_PER_MEASUREMENT]
#   OUT_FOLDER               where the workloads and results go (default .build/workloads)
#   SECONDS_PER_MEASUREMENT  timing budget per workload and engine (default 3)
# Needs: a Swift 6.1+ toolchain, python3 with cedarpy (`pip install cedarpy`).
set -euo pipefail
cd "$(dirname "$0")"
out="${1:-.build/workloads}"
seconds="${2:-3}"

if ! python3 -c "import cedarpy" 2>/dev/null; then
    echo "error: python3 cannot import cedarpy; install it with \`pip install cedarpy\`" >&2
    exit 2
fi

swift build -c release --product cedar-workload
bin="$(swift build -c release --show-bin-path)"
echo
echo "== Writ (in-process, release build) =="
"$bin/cedar-workload" --out "$out" --seconds "$seconds"
echo
echo "== Writ vs Rust Cedar (cedarpy) =="
python3 compare_cedarpy.py "$out" --seconds "$seconds"
