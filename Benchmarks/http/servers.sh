# Sourced by run_wrk.sh and run_wrk_audit.sh: a scratch directory, servers started
# in the background and stopped on exit, and the helpers that read wrk's RESULT line.
# Settings (environment) both share: DURATION (10s), WARMUP (3s), THREADS (2), and
# PIN: set, the servers run on the CPUs SERVER_CPUS lists (0) and wrk on WRK_CPUS (1),
# so that the load generator does not take the servers' cores (THREADS then defaults
# to 1, one wrk thread per CPU it has). Unset, wrk and the servers share every core.
duration=${DURATION:-10s}
warmup=${WARMUP:-3s}
server_pin=()
wrk_pin=()
if [ -n "${PIN:-}" ]; then
    command -v taskset > /dev/null || { echo "PIN needs taskset (util-linux)" >&2; exit 1; }
    server_pin=(taskset -c "${SERVER_CPUS:-0}")
    wrk_pin=(taskset -c "${WRK_CPUS:-1}")
    threads=${THREADS:-1}
    placement="servers on CPU ${SERVER_CPUS:-0}, wrk on CPU ${WRK_CPUS:-1}"
else
    threads=${THREADS:-2}
    placement="$(nproc) cores shared by wrk and the servers"
fi
# Every wrk run goes through here, pinned when PIN is set.
wrk_bin=$(command -v wrk)
wrk() { "${wrk_pin[@]+"${wrk_pin[@]}"}" "$wrk_bin" "$@"; }

if ! command -v wrk > /dev/null; then
    echo "wrk is not installed: apt-get install -y wrk" >&2
    exit 1
fi

work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]+"${pids[@]}"}"; do kill "$pid" 2> /dev/null || true; done
    wait 2> /dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# start NAME COMMAND…: starts a server in the background and waits until it prints
# its address; sets started_url and started_pid (no subshell, so cleanup sees the pid).
start() {
    local name=$1
    shift
    "${server_pin[@]+"${server_pin[@]}"}" "$@" > "$work/$name.out" 2> "$work/$name.err" &
    started_pid=$!
    pids+=("$started_pid")
    for _ in $(seq 1 100); do
        started_url=$(grep -o 'http://[0-9.]*:[0-9]*' "$work/$name.out" 2> /dev/null | head -1 || true)
        if [ -n "$started_url" ]; then return; fi
        sleep 0.1
    done
    echo "$name did not start:" >&2
    cat "$work/$name.err" >&2
    exit 1
}

# field NAME RESULT: one field of a RESULT line.
field() { sed -n "s/.*\b$1=\([0-9.]*\).*/\1/p" <<< "$2"; }

# CPU time (user + system, in clock ticks) a process has used so far.
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }
