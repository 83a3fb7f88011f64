#!/usr/bin/env bash
# What the audit log costs: `writ serve` on the AuthZEN Todo example with
# `--audit on` (the default `--durability full`, and `--durability normal`) and with
# `--audit off`, each its own fresh data directory, side by side, driven by wrk on
# loopback. See ../README.md, section "Audit".
#
#   Benchmarks/http/run_wrk_audit.sh          # build writ (release) and run
#   SKIP_BUILD=1 Benchmarks/http/run_wrk_audit.sh
#
# Loads, each on the three servers, the runs of a load back to back (full, normal, off):
#   - closed loop with 4 and with 16 connections (light load, no think time);
#   - the same fixed rate for both (RATE requests/s, 16 connections with a think time
#     corrected until the rate is within 5% of RATE: wrk has no rate option);
#   - closed loop with 64 connections: wrk -t2 -c64, the peak run_wrk.sh measures;
#   - half of that peak (the --audit off server's), 64 connections with a think time:
#     the load run_wrk.sh judges p99 at (issue 4's "p99 under 2 ms at half of peak").
# The floor, at the same loads (the fixed rates are the same requests/s): http-baseline
# (run_wrk.sh's trivial endpoint) plain and with `--durable FILE`, which appends each
# request to a file and answers once it is synced, group-committed as the audit log is
# (Sources/http-baseline/DurableAppender.swift). Its p99 rise is what recording each
# answer durably first costs on this machine with no other work at all.
# Settings (environment): DURATION (10s), WARMUP (3s), THREADS (2), PIN (servers.sh), RATE (1000),
# SKIP_BUILD (unset: build writ and http-baseline in release mode first), WRIT (the writ binary to run,
# .build/release/writ by default: to compare a binary kept from before a change).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
here="$root/Benchmarks/http"
. "$here/servers.sh"
rate=${RATE:-1000}

if [ -z "${SKIP_BUILD:-}" ]; then
    echo "== building writ and http-baseline in release mode (the first build takes minutes)" >&2
    swift build -c release --product writ >&2
    (cd Benchmarks && swift build -c release --product http-baseline) >&2
fi
writ="${WRIT:-$root/.build/release/writ}"
baseline="$root/Benchmarks/.build/release/http-baseline"

serve=("$writ" serve --from "$root/examples/authzen-todo" --auth off --listen 127.0.0.1:0)
start on "${serve[@]}" --data "$work/on" --audit on
on_url=$started_url/access/v1/evaluation
on_pid=$started_pid
start normal "${serve[@]}" --data "$work/normal" --audit on --durability normal
normal_url=$started_url/access/v1/evaluation
normal_pid=$started_pid
start off "${serve[@]}" --data "$work/off" --audit off
off_url=$started_url/access/v1/evaluation
off_pid=$started_pid
start plain "$baseline" 0
plain_url=$started_url/access/v1/evaluation
plain_pid=$started_pid
start durable "$baseline" 0 --durable "$work/durable.log"
durable_url=$started_url/access/v1/evaluation
durable_pid=$started_pid
if ! grep -q 'warning: --audit off' "$work/off.err"; then
    echo "writ --audit off did not warn that it records nothing" >&2
    exit 1
fi

for url in "$on_url" "$normal_url" "$off_url" "$plain_url" "$durable_url"; do
    got=$(curl -s -X POST -H 'Content-Type: application/json' --data-binary "@$here/evaluation.json" "$url")
    if [ "$got" = "${got/\"decision\":true/}" ]; then
        echo "unexpected answer from $url: $got" >&2
        exit 1
    fi
done


# run PID URL CONNECTIONS [THINK_MS]: one wrk run; prints the RESULT fields plus
# cpu_us, the server's CPU time per request in microseconds.
run() {
    local pid=$1 url=$2 connections=$3 think=${4:-0}
    local before after result
    before=$(ticks "$pid")
    result=$(wrk -t"$threads" -c"$connections" -d"$duration" -s "$here/post.lua" "$url" -- "$here/evaluation.json" "$think" \
        | sed -n 's/^RESULT //p')
    after=$(ticks "$pid")
    echo "$result cpu_us=$(awk -v a="$before" -v b="$after" -v r="$(field requests "$result")" -v hz="$(getconf CLK_TCK)" \
        'BEGIN { printf "%.0f", (b - a) * 1e6 / hz / r }')"
}

# at_rate PID URL [RATE] [CONNECTIONS]: connections (16) held near RATE ($rate)
# requests/s (think time corrected with the latency measured, at most three runs).
at_rate() {
    local pid=$1 url=$2 target=${3:-$rate} c=${4:-16} think result got
    think=$(awk -v c="$c" -v t="$target" 'BEGIN { d = 1000 * c / t - 0.5; print (d < 0 ? 0 : d) }')
    for _ in 1 2 3; do
        result=$(run "$pid" "$url" "$c" "$think")
        got=$(field rps "$result")
        if awk -v r="$got" -v t="$target" 'BEGIN { exit !(r > 0.95 * t && r < 1.05 * t) }'; then break; fi
        think=$(awk -v c="$c" -v t="$target" -v r="$got" -v d="$think" \
            'BEGIN { l = 1000 * c / r - d; n = 1000 * c / t - l; print (n < 0 ? 0 : n) }')
    done
    echo "$result"
}

row() {
    local load=$1 audit=$2 result=$3
    printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$load" "$audit" "$(field rps "$result")" \
        "$(ms "$(field p50_us "$result")")" "$(ms "$(field p90_us "$result")")" "$(ms "$(field p99_us "$result")")" \
        "$(field cpu_us "$result")" "$(field errors "$result")"
}
diff_row() {
    local load=$1 on=$2 off=$3
    awk -v load="$load" -v a="$(field p99_us "$on")" -v b="$(field p99_us "$off")" \
        -v c="$(field p50_us "$on")" -v d="$(field p50_us "$off")" \
        'BEGIN { printf "%s: p99 %+.2f ms, p50 %+.2f ms\n", load, (a - b) / 1000, (c - d) / 1000 }'
}

echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg); $placement" >&2
for url in "$on_url" "$normal_url" "$off_url" "$plain_url" "$durable_url"; do
    wrk -t"$threads" -c64 -d"$warmup" -s "$here/post.lua" "$url" -- "$here/evaluation.json" > /dev/null
done

c4_on=$(run "$on_pid" "$on_url" 4);     c4_normal=$(run "$normal_pid" "$normal_url" 4);   c4_off=$(run "$off_pid" "$off_url" 4)
c16_on=$(run "$on_pid" "$on_url" 16);   c16_normal=$(run "$normal_pid" "$normal_url" 16); c16_off=$(run "$off_pid" "$off_url" 16)
rate_on=$(at_rate "$on_pid" "$on_url"); rate_normal=$(at_rate "$normal_pid" "$normal_url"); rate_off=$(at_rate "$off_pid" "$off_url")
c64_on=$(run "$on_pid" "$on_url" 64);   c64_normal=$(run "$normal_pid" "$normal_url" 64); c64_off=$(run "$off_pid" "$off_url" 64)
half=$(awk -v p="$(field rps "$c64_off")" 'BEGIN { printf "%.0f", p / 2 }')
half_on=$(at_rate "$on_pid" "$on_url" "$half" 64)
half_normal=$(at_rate "$normal_pid" "$normal_url" "$half" 64)
half_off=$(at_rate "$off_pid" "$off_url" "$half" 64)
# The floor at the same loads: the trivial endpoint, durable and plain, back to back.
c4_durable=$(run "$durable_pid" "$durable_url" 4);      c4_plain=$(run "$plain_pid" "$plain_url" 4)
c16_durable=$(run "$durable_pid" "$durable_url" 16);    c16_plain=$(run "$plain_pid" "$plain_url" 16)
rate_durable=$(at_rate "$durable_pid" "$durable_url");  rate_plain=$(at_rate "$plain_pid" "$plain_url")
c64_durable=$(run "$durable_pid" "$durable_url" 64);    c64_plain=$(run "$plain_pid" "$plain_url" 64)
half_durable=$(at_rate "$durable_pid" "$durable_url" "$half" 64)
half_plain=$(at_rate "$plain_pid" "$plain_url" "$half" 64)
synced=$(wc -l < "$work/durable.log")
records=$("$writ" audit verify --data "$work/on" 2>&1 | head -1 || true)
records_normal=$("$writ" audit verify --data "$work/normal" 2>&1 | head -1 || true)
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg); audit on (full): $records; (normal): $records_normal; durable baseline: $synced lines synced" >&2

echo
echo "| load | audit | requests/s | p50 ms | p90 ms | p99 ms | server CPU µs/request | errors |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
rows() {
    row "$1" "on, full" "$2"; row "$1" "on, normal" "$3"; row "$1" off "$4"
    row "$1" "baseline, durable" "$5"; row "$1" "baseline, plain" "$6"
}
rows "closed loop, 4 connections" "$c4_on" "$c4_normal" "$c4_off" "$c4_durable" "$c4_plain"
rows "closed loop, 16 connections" "$c16_on" "$c16_normal" "$c16_off" "$c16_durable" "$c16_plain"
rows "fixed rate $rate/s, 16 connections" "$rate_on" "$rate_normal" "$rate_off" "$rate_durable" "$rate_plain"
rows "closed loop, -t$threads -c64 (peak)" "$c64_on" "$c64_normal" "$c64_off" "$c64_durable" "$c64_plain"
rows "half of peak, $half/s, 64 connections" "$half_on" "$half_normal" "$half_off" "$half_durable" "$half_plain"
for durability in full normal floor; do
    echo
    case $durability in
        full) echo "auditing on against off, durability full (target: p99 under +1 ms at the service benchmark's load):"; set -- "$c4_on" "$c16_on" "$rate_on" "$c64_on" "$half_on" \
            "$c4_off" "$c16_off" "$rate_off" "$c64_off" "$half_off" ;;
        normal) echo "auditing on against off, durability normal:"; set -- "$c4_normal" "$c16_normal" "$rate_normal" "$c64_normal" "$half_normal" \
            "$c4_off" "$c16_off" "$rate_off" "$c64_off" "$half_off" ;;
        floor) echo "the floor, http-baseline --durable against plain:"; set -- "$c4_durable" "$c16_durable" \
            "$rate_durable" "$c64_durable" "$half_durable" "$c4_plain" "$c16_plain" "$rate_plain" "$c64_plain" "$half_plain" ;;
    esac
    diff_row "closed loop, 4 connections" "$1" "$6"
    diff_row "closed loop, 16 connections" "$2" "$7"
    diff_row "fixed rate $rate/s" "$3" "$8"
    diff_row "closed loop -c64 (peak)" "$4" "$9"
    diff_row "half of peak ($half/s)" "$5" "${10}"
done
