#!/usr/bin/env bash
# Runs each fuzz target for a while, one after another (see Fuzz/README.md).
#
# Usage: Fuzz/run.sh [seconds] [target...]
#   seconds   how long to fuzz each target (default 60)
#   target    policy-text, policy-json, entities-request, request-path (default: all)
#
# Builds the targets if they are missing and writes the seed corpus on first use. Each
# target keeps its growing corpus in .build-fuzz/corpus/<target>/, its findings in
# .build-fuzz/artifacts/<target>/ and its log in .build-fuzz/logs/<target>.log. Exits
# non-zero if any target found a crash, timeout, leak or out-of-memory.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/.build-fuzz"
seconds=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(policy-text policy-json entities-request request-path)
fi

# Inputs longer than this are not generated; seeds.py leaves longer seeds out.
max_len() {
    case "$1" in
        policy-text) echo 4096 ;;
        *) echo 16384 ;;
    esac
}

for target in "${targets[@]}"; do
    if [ ! -x "$out/fuzz-$target" ]; then
        "$root/Fuzz/build.sh" "$target" || exit 1
    fi
done
if [ ! -d "$out/seeds" ]; then
    python3 "$root/Fuzz/seeds.py" "$out/seeds" || exit 1
fi

# Sets and dictionaries iterate in hash order; a fixed seed keeps runs reproducible.
export SWIFT_DETERMINISTIC_HASHING=1
# Swift's own crash backtracer reads memory that AddressSanitizer guards; let libFuzzer
# and the sanitizer report crashes instead.
export SWIFT_BACKTRACE=enable=no

status=0
for target in "${targets[@]}"; do
    mkdir -p "$out/corpus/$target" "$out/seeds/$target" "$out/artifacts/$target" "$out/logs"
    echo "fuzzing $target for ${seconds}s (log: $out/logs/$target.log)"
    "$out/fuzz-$target" \
        -max_total_time="$seconds" -max_len="$(max_len "$target")" \
        -rss_limit_mb=2048 -timeout=5 -dict="$root/Fuzz/cedar.dict" \
        -artifact_prefix="$out/artifacts/$target/" -print_final_stats=1 \
        "$out/corpus/$target" "$out/seeds/$target" >"$out/logs/$target.log" 2>&1
    result=$?
    grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb)' "$out/logs/$target.log" | sed 's/^/  /'
    if [ $result -ne 0 ]; then
        echo "  FINDING in $target (exit $result); see the log and $out/artifacts/$target/"
        status=1
    fi
done
exit $status
