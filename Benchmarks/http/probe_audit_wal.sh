#!/usr/bin/env bash
# Why the audited p99 is what it is: one `writ serve --audit on` on the Todo example,
# under strace (fdatasync, fsync and sleeps, with durations), driven by wrk for
# DURATION seconds while wal_probe.py samples the write-ahead log's index. Prints
# wrk's RESULT line and the counters. See ../README.md, section "Audit".
#
#   Benchmarks/http/probe_audit_wal.sh BINARY [full|normal] [CONNECTIONS]
#
# strace slows the server a little (only the traced calls stop, with --seccomp-bpf):
# compare binaries with this script, not with run_wrk_audit.sh's figures.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
writ=$1
durability=${2:-full}
connections=${3:-64}
seconds=${DURATION:-8}
work=$(mktemp -d)
strace -f -qq --seccomp-bpf -T -y -e trace=fdatasync,fsync,nanosleep,clock_nanosleep -o "$work/strace" \
    "$writ" serve --from "$root/examples/authzen-todo" --auth off --listen 127.0.0.1:0 --data "$work/data" \
    --audit on --durability "$durability" > "$work/out" 2> "$work/err" &
tracer=$!
server=
# Stopping the server ends strace too (strace detaches when it is itself stopped).
trap 'kill $server 2> /dev/null || true; wait 2> /dev/null || true; rm -rf "$work"' EXIT
url=
for _ in $(seq 1 100); do
    server=$(pgrep -P $tracer | head -1 || true)
    url=$(grep -o 'http://[0-9.]*:[0-9]*' "$work/out" 2> /dev/null | head -1 || true)
    if [ -n "$url" ]; then break; fi
    sleep 0.1
done
if [ -z "$url" ]; then cat "$work/err" >&2; exit 1; fi
url=$url/access/v1/evaluation
wrk -t2 -c64 -d3s -s "$here/post.lua" "$url" -- "$here/evaluation.json" > /dev/null
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
skip=$(wc -l < "$work/strace")
python3 "$here/wal_probe.py" shm "$work/data/writ.sqlite-shm" "$seconds" > "$work/shm" &
sampler=$!
wrk -t2 -c"$connections" -d"${seconds}s" -s "$here/post.lua" "$url" -- "$here/evaluation.json" | grep '^RESULT'
wait $sampler
cat "$work/shm"
tail -n +"$((skip + 1))" "$work/strace" > "$work/strace.run"
python3 "$here/wal_probe.py" strace "$work/strace.run"
