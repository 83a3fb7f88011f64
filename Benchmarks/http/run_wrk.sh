#!/usr/bin/env bash
# HTTP benchmark: `writ serve` on the AuthZEN Todo example against a trivial
# Hummingbird JSON endpoint, both on loopback, driven by wrk. See ../README.md.
#
#   Benchmarks/http/run_wrk.sh            # build (release) and run
#   SKIP_BUILD=1 DURATION=20s Benchmarks/http/run_wrk.sh
#
# Settings (environment): DURATION (10s), WARMUP (3s), THREADS (2), PIN (servers.sh), CONNECTIONS (64),
# WRIT_ARGS (more `writ serve` options, e.g. `--audit off` to time the decision service
# alone; the default serves as a user would, auditing every decision),
# SKIP_BUILD (unset: build both executables in release mode first).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
here="$root/Benchmarks/http"
. "$here/servers.sh"
connections=${CONNECTIONS:-64}

if [ -z "${SKIP_BUILD:-}" ]; then
    echo "== building writ and http-baseline in release mode (the first build takes minutes)" >&2
    swift build -c release --product writ >&2
    (cd Benchmarks && swift build -c release --product http-baseline) >&2
fi
writ="$root/.build/release/writ"
baseline="$root/Benchmarks/.build/release/http-baseline"

start writ "$writ" serve --from "$root/examples/authzen-todo" --data "$work/data" --auth off --listen 127.0.0.1:0 ${WRIT_ARGS:-}
writ_url=$started_url
writ_pid=$started_pid
start baseline "$baseline" 0
baseline_url=$started_url
baseline_pid=$started_pid

# The requests must be answered as the scenario says before they are timed.
check() {
    local url=$1 body=$2 expected=$3
    local got
    got=$(curl -s -X POST -H 'Content-Type: application/json' --data-binary "@$here/$body" "$url")
    if [ "$(grep -o '"decision":true' <<< "$got" | wc -l)" != "$expected" ]; then
        echo "unexpected answer from $url to $body: $got" >&2
        exit 1
    fi
}
check "$writ_url/access/v1/evaluation" evaluation.json 1
check "$writ_url/access/v1/evaluations" evaluations.json 10
check "$baseline_url/access/v1/evaluation" evaluation.json 1

# run PID URL BODY [THINK_MS]: one wrk run against the server PID; prints the RESULT
# fields plus cpu_us, the server's CPU time per request in microseconds (steadier
# than throughput on a shared machine).
run() {
    local pid=$1 url=$2 body=$3 think=${4:-0}
    local before after result requests
    before=$(ticks "$pid")
    result=$(wrk -t"$threads" -c"$connections" -d"$duration" -s "$here/post.lua" "$url" -- "$here/$body" "$think" | sed -n 's/^RESULT //p')
    after=$(ticks "$pid")
    requests=$(field requests "$result")
    echo "$result cpu_us=$(awk -v a="$before" -v b="$after" -v r="$requests" -v hz="$(getconf CLK_TCK)" \
        'BEGIN { printf "%.0f", (b - a) * 1e6 / hz / r }')"
}
warm() {
    wrk -t"$threads" -c"$connections" -d"$warmup" -s "$here/post.lua" "$1" -- "$here/$2" > /dev/null
}

echo "== wrk -t$threads -c$connections -d$duration on loopback; $placement" >&2
warm "$baseline_url/access/v1/evaluation" evaluation.json
base=$(run "$baseline_pid" "$baseline_url/access/v1/evaluation" evaluation.json)
warm "$writ_url/access/v1/evaluation" evaluation.json
single=$(run "$writ_pid" "$writ_url/access/v1/evaluation" evaluation.json)
warm "$writ_url/access/v1/evaluations" evaluations.json
batch=$(run "$writ_pid" "$writ_url/access/v1/evaluations" evaluations.json)

# Half of peak load. wrk is closed-loop and has no rate option (wrk2 is not
# packaged), so each connection waits a think time between a response and its next
# request: with c connections, latency L and think time d, the rate is c / (d + L).
# Start from d = c / target - 0.5 ms, then correct d with the L measured, up to
# three runs, until the rate is within 5% of the target.
peak=$(field rps "$single")
target=$(awk -v p="$peak" 'BEGIN { print p / 2 }')
# hold PID URL TARGET: prints the run, within 5% of TARGET requests/s, with its think time.
hold() {
    local pid=$1 url=$2 target=$3 result rate
    local think
    think=$(awk -v c="$connections" -v t="$target" 'BEGIN { d = 1000 * c / t - 0.5; print (d < 0 ? 0 : d) }')
    for attempt in 1 2 3; do
        result=$(run "$pid" "$url" evaluation.json "$think")
        rate=$(field rps "$result")
        if awk -v r="$rate" -v t="$target" 'BEGIN { exit !(r > 0.95 * t && r < 1.05 * t) }'; then break; fi
        think=$(awk -v c="$connections" -v t="$target" -v r="$rate" -v d="$think" \
            'BEGIN { l = 1000 * c / r - d; n = 1000 * c / t - l; print (n < 0 ? 0 : n) }')
    done
    echo "$result think=$think"
}
half=$(hold "$writ_pid" "$writ_url/access/v1/evaluation" "$target")
think=$(field think "$half")
# The trivial endpoint held at the same rate: the latency this machine gives any
# Hummingbird server there, wrk sharing its cores.
base_half=$(hold "$baseline_pid" "$baseline_url/access/v1/evaluation" "$target")
# And at half of its own peak: the target applied to a server that does no work.
base_own=$(awk -v p="$(field rps "$base")" 'BEGIN { print p / 2 }')
base_own_half=$(hold "$baseline_pid" "$baseline_url/access/v1/evaluation" "$base_own")

row() {
    local name=$1 result=$2 per=$3
    printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$(field rps "$result")" \
        "$(awk -v r="$(field rps "$result")" -v n="$per" 'BEGIN { printf "%.0f", r * n }')" \
        "$(ms "$(field p50_us "$result")")" "$(ms "$(field p90_us "$result")")" "$(ms "$(field p99_us "$result")")" \
        "$(field cpu_us "$result")" "$(field errors "$result")"
}
echo
echo "| endpoint | requests/s | decisions/s | p50 ms | p90 ms | p99 ms | server CPU µs/request | errors |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
row "trivial Hummingbird JSON endpoint" "$base" 1
row "writ /access/v1/evaluation" "$single" 1
row "writ /access/v1/evaluations (10 items)" "$batch" 10
echo
awk -v w="$peak" -v b="$(field rps "$base")" \
    'BEGIN { printf "single evaluations at %.0f%% of the trivial endpoint'"'"'s throughput (target: 70%% or more)\n", 100 * w / b }'
awk -v r="$(field rps "$half")" -v p="$peak" -v d="$think" -v p50="$(ms "$(field p50_us "$half")")" \
    -v p99="$(ms "$(field p99_us "$half")")" \
    'BEGIN { printf "at half of peak load (%.0f requests/s, %.0f%% of peak; think time %.2f ms): p50 %s ms, p99 %s ms (target: p99 under 2 ms)\n", r, 100 * r / p, d, p50, p99 }'
awk -v r="$(field rps "$base_half")" -v p50="$(ms "$(field p50_us "$base_half")")" -v p99="$(ms "$(field p99_us "$base_half")")" \
    'BEGIN { printf "the trivial endpoint at the same load (%.0f requests/s): p50 %s ms, p99 %s ms\n", r, p50, p99 }'
awk -v r="$(field rps "$base_own_half")" -v p="$(field rps "$base")" -v p50="$(ms "$(field p50_us "$base_own_half")")" \
    -v p99="$(ms "$(field p99_us "$base_own_half")")" \
    'BEGIN { printf "the trivial endpoint at half of its own peak (%.0f requests/s, %.0f%% of its peak): p50 %s ms, p99 %s ms\n", r, 100 * r / p, p50, p99 }'
