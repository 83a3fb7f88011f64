#!/usr/bin/env python3
"""Counters for probe_audit_wal.sh (see ../README.md, section "Audit").

  wal_probe.py shm DATABASE-shm SECONDS   samples SQLite's WAL index every ~1 ms: how often
                                          the log started again from its beginning (its
                                          salt changed), its size in frames, the frames
                                          not yet copied into the database file
  wal_probe.py strace STRACE-OUTPUT       from `strace -f -T -y`: fdatasync/fsync per file
                                          and sleeps (SQLite's busy handler sleeps), with
                                          their durations
"""
import collections, mmap, os, re, struct, sys, time


def quantile(values, p):
    return values[min(len(values) - 1, int(p * len(values)))]


def shm(path, seconds):
    while not os.path.exists(path):
        time.sleep(0.01)
    fd = os.open(path, os.O_RDONLY)
    m = mmap.mmap(fd, 136, prot=mmap.PROT_READ)
    end = time.time() + seconds
    salt, restarts, frames, uncopied = None, 0, [], []
    while time.time() < end:
        # WalIndexHdr: mxFrame at 16, salt at 32; WalCkptInfo.nBackfill at 96 (native order).
        (mx,) = struct.unpack_from("<I", m, 16)
        (backfill,) = struct.unpack_from("<I", m, 96)
        s = m[32:40]
        if salt is not None and s != salt:
            restarts += 1
        salt = s
        frames.append(mx)
        uncopied.append(max(0, mx - backfill))
        time.sleep(0.001)
    frames.sort()
    uncopied.sort()
    print(f"log: started again {restarts} times; frames p50 {quantile(frames, .5)} p99 {quantile(frames, .99)} "
          f"max {frames[-1]}; uncopied frames p50 {quantile(uncopied, .5)} p99 {quantile(uncopied, .99)} "
          f"({len(frames)} samples)")


def strace(path):
    calls = collections.defaultdict(list)
    for line in open(path):
        m = re.search(r"(fdatasync|fsync)\((\d+)<([^>]*)>\)\s*=\s*\S+\s*<([\d.]+)>", line)
        if m:
            calls[f"{m.group(1)} {m.group(3).split('/')[-1]}"].append(float(m.group(4)) * 1e3)
            continue
        m = re.search(r"(nanosleep|clock_nanosleep)\(.*<([\d.]+)>", line)
        if m:
            calls["sleep"].append(float(m.group(2)) * 1e3)
    for name, v in sorted(calls.items()):
        v.sort()
        print(f"{name}: {len(v)}, total {sum(v):.0f} ms, p50 {quantile(v, .5):.2f} p90 {quantile(v, .9):.2f} "
              f"p99 {quantile(v, .99):.2f} max {v[-1]:.2f} ms")


if __name__ == "__main__":
    if sys.argv[1:2] == ["shm"]:
        shm(sys.argv[2], float(sys.argv[3]))
    elif sys.argv[1:2] == ["strace"]:
        strace(sys.argv[2])
    else:
        sys.exit(__doc__)
