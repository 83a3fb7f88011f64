#!/usr/bin/env bash
# tools/call through `writ gateway` against the same call made directly to the same
# upstream: the official Python MCP client (bench_gateway.py) calls `lookup` of a
# small Python MCP server (upstream.py) over stdio, one call at a time, first directly
# and then through the gateway (decisions in process, with the gateway tests'
# policies and an open task), with the audit log off, on with `--durability normal`
# and on with the default `--durability full`. See ../README.md, section "Gateway".
#
#   Benchmarks/gateway/run_gateway.sh            # build writ (release) and run
#   SKIP_BUILD=1 CALLS=2000 Benchmarks/gateway/run_gateway.sh
#
# Settings (environment): WRIT (the writ executable; default .build/release/writ),
# CALLS (2000), WARMUP (200), ROUNDS (2: each configuration
# runs ROUNDS times, interleaved; the table keeps each one's best round, and the
# lines after it give each round's added p50 against its own direct run, with the median),
# SKIP_BUILD (unset: build writ in release mode first).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
here="$root/Benchmarks/gateway"
fixtures="$root/Tests/WritMCPTests/Fixtures"
calls=${CALLS:-2000}
warmup=${WARMUP:-200}
rounds=${ROUNDS:-2}

if [ -z "${SKIP_BUILD:-}" ]; then
    echo "== building writ in release mode (the first build takes minutes)" >&2
    swift build -c release --product writ >&2
fi
writ=${WRIT:-"$root/.build/release/writ"}
python3 -c 'import mcp' 2> /dev/null || { echo "the Python MCP SDK is missing: pip install mcp" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One data directory per audit setting, each with the policies loaded and a task open.
for setting in off normal full; do
    "$writ" gateway --from "$fixtures/policies" --data "$work/$setting" --public-url http://writ.bench \
        --upstream none=true < /dev/null > /dev/null 2> "$work/$setting.boot"
    "$writ" task open --data "$work/$setting" --agent bot --on-behalf-of alice --purpose "gateway benchmark" \
        --mandate "$fixtures/mandate.cedar" --ttl 3600 > "$work/$setting.credential"
done

upstream=(python3 "$here/upstream.py")
# bench LABEL ARGS…: one timed run; prints its JSON line prefixed with LABEL.
bench() {
    local label=$1
    shift
    printf '%s ' "$label"
    python3 "$here/bench_gateway.py" --calls "$calls" --warmup "$warmup" "$@"
}
gateway() {
    local setting=$1
    shift
    WRIT_TASK_TOKEN=$(cat "$work/$setting.credential") bench "gateway-$setting" --tool docs___lookup \
        --pass-env WRIT_TASK_TOKEN -- "$writ" gateway --data "$work/$setting" \
        --upstream "docs=python3 $here/upstream.py" "$@"
}

echo "== $calls calls per run after $warmup warm-up calls, $rounds rounds; load average $(cut -d' ' -f1 /proc/loadavg)" >&2
for round in $(seq 1 "$rounds"); do
    bench direct --tool lookup -- "${upstream[@]}"
    gateway off --audit off 2> /dev/null
    gateway normal --durability normal
    gateway full
done > "$work/results"

python3 - "$work/results" <<'PY'
import json, statistics, sys
best = {}
# Each round's added p50 against that round's direct run: the rounds run one after
# another, so a pair shares the machine's state better than two best rounds do.
rounds = []
for line in open(sys.argv[1]):
    label, data = line.split(" ", 1)
    result = json.loads(data)
    if label == "direct":
        rounds.append({})
    rounds[-1][label] = result
    if label not in best or result["p50"] < best[label]["p50"]:
        best[label] = result
names = {
    "direct": "direct to the upstream",
    "gateway-off": "through the gateway, --audit off",
    "gateway-normal": "through the gateway, audit on, --durability normal",
    "gateway-full": "through the gateway, audit on, --durability full (default)",
}
direct = best["direct"]
print("| path | p50 ms | p90 ms | p99 ms | added p50 ms | added p99 ms |")
print("|---|---:|---:|---:|---:|---:|")
for label in ["direct", "gateway-off", "gateway-normal", "gateway-full"]:
    r = best[label]
    added = "" if label == "direct" else f"{r['p50'] - direct['p50']:+.2f}"
    added99 = "" if label == "direct" else f"{r['p99'] - direct['p99']:+.2f}"
    print(f"| {names[label]} | {r['p50']:.2f} | {r['p90']:.2f} | {r['p99']:.2f} | {added} | {added99} |")
print()
print("added p50 round by round (each gateway run less the direct run of its round), and their median:")
for label in ["gateway-off", "gateway-normal", "gateway-full"]:
    paired = [r[label]["p50"] - r["direct"]["p50"] for r in rounds if label in r]
    listed = ", ".join(f"{d:+.2f}" for d in paired)
    print(f"- {names[label]}: {listed} ms; median {statistics.median(paired):+.2f} ms")
PY
echo "load average after: $(cut -d' ' -f1 /proc/loadavg)" >&2
