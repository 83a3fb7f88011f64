#!/usr/bin/env python3
"""Compare Writ's Cedar engine with Rust Cedar (through cedarpy) on the same workloads.

Reads the folder `cedar-workload` writes (one sub-folder per workload with
policies.cedar, links.json, entities.json, requests.json and writ-decisions.json, and
writ-timings.json at the top), loads each workload into cedarpy, checks that Rust
Cedar decides every request as Writ did, times Rust's engine, and prints a table.

What is timed on the Rust side: cedarpy reports, for each request of an
`is_authorized_batch` call, `metrics['authz_duration_micros']`, the wall-clock time of
`Authorizer::is_authorized(&request, &policy_set, &entities)` alone. Policies,
entities and requests are parsed before that clock starts, and the response is
serialized after it stops, so the figure is the engine's own work, the same span
Writ's figure covers (`Authorizer.authorize` on a built request). cedarpy truncates it
to whole microseconds; a sample of k µs means the call took between k and k+1 µs.
The percentiles below treat each sample as spread evenly over its microsecond (the
usual estimate for binned data), and the mean adds half a microsecond. For context the
table also gives the wall-clock time per request of the whole `is_authorized_batch`
call (Python to Rust and back, request building, JSON of the responses).

Usage: compare_cedarpy.py WORKLOADS_FOLDER [--seconds S] [--min-rounds N] [--max-rounds N]
Exit status: 0 when every decision agrees, 1 when any differs, 2 on bad input.
"""

import argparse
import collections
import importlib.metadata
import json
import pathlib
import sys
import time

import cedarpy


def load_workload(folder):
    """Returns (policy set, entities, requests, Writ's responses) of one workload folder."""
    policies = cedarpy.PolicySet.from_str((folder / "policies.cedar").read_text())
    links = json.loads((folder / "links.json").read_text())
    if links:
        # Templates are named by their @id annotation, which cedarpy resolves.
        policies = policies.with_linked_batch(
            [{"template_id": l["templateId"], "new_id": l["newId"], "values": l["values"]} for l in links])
    entities = cedarpy.Entities.from_json_str((folder / "entities.json").read_text())
    requests = []
    for r in json.loads((folder / "requests.json").read_text()):
        # Serialize each context once here, so the timed loop does no Python-side JSON.
        requests.append({"principal": r["principal"], "action": r["action"], "resource": r["resource"],
                         "context": json.dumps(r.get("context", {}))})
    writ = json.loads((folder / "writ-decisions.json").read_text())
    if len(writ) != len(requests):
        raise ValueError(f"{folder}: {len(requests)} requests but {len(writ)} Writ decisions")
    return policies, entities, requests, writ


def disagreements(results, writ):
    """Lists (request index, what differs) where Rust's response is not Writ's."""
    found = []
    for i, (rust, ours) in enumerate(zip(results, writ)):
        decision = rust.decision.value.lower()
        if decision != ours["decision"]:
            found.append((i, f"decision: Rust {decision}, Writ {ours['decision']}"))
        elif sorted(rust.diagnostics.reasons) != sorted(ours["reasons"]):
            found.append((i, f"reasons: Rust {sorted(rust.diagnostics.reasons)}, Writ {sorted(ours['reasons'])}"))
        elif len(rust.diagnostics.errors) != len(ours["errors"]):
            found.append((i, f"errors: Rust {rust.diagnostics.errors}, Writ {ours['errors']}"))
    return found


def time_rust(policies, entities, requests, seconds, min_rounds, max_rounds):
    """Runs the request mix repeatedly; returns per-call µs samples and batch wall time."""
    cedarpy.is_authorized_batch(requests, policies, entities)  # warm-up, untimed
    samples = collections.Counter()
    batch_ns = 0
    rounds = 0
    deadline = time.perf_counter() + seconds
    while rounds < min_rounds or (rounds < max_rounds and time.perf_counter() < deadline):
        start = time.perf_counter_ns()
        results = cedarpy.is_authorized_batch(requests, policies, entities)
        batch_ns += time.perf_counter_ns() - start
        samples.update(r.metrics["authz_duration_micros"] for r in results)
        rounds += 1
    calls = rounds * len(requests)
    return samples, calls, batch_ns / calls / 1000, rounds


def binned_quantile(counts, total, q):
    """The q quantile of whole-µs samples, each taken as spread evenly over [k, k+1)."""
    target = q * total
    below = 0
    for value in sorted(counts):
        n = counts[value]
        if below + n >= target:
            return value + (target - below) / n
        below += n
    return float(max(counts)) + 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=pathlib.Path, help="the folder cedar-workload wrote")
    parser.add_argument("--seconds", type=float, default=2.0, help="time to spend timing each workload")
    parser.add_argument("--min-rounds", type=int, default=5, help="fewest passes over a request mix")
    parser.add_argument("--max-rounds", type=int, default=2000, help="most passes over a request mix")
    args = parser.parse_args()

    timings_file = args.folder / "writ-timings.json"
    if not timings_file.is_file():
        print(f"error: `{timings_file}` does not exist; run cedar-workload first", file=sys.stderr)
        return 2
    writ_reports = json.loads(timings_file.read_text())["workloads"]

    print(f"Rust Cedar through cedarpy {importlib.metadata.version('cedarpy')}; "
          f"Writ's figures from {timings_file}")
    header = (f"{'workload':<18}{'requests':>9}{'agree':>7}{'Writ p50':>10}{'Writ p99':>10}"
              f"{'Rust p50':>10}{'Rust p99':>10}{'Writ/Rust':>11}{'Writ mean':>11}{'Rust mean':>11}"
              f"{'no-index p50':>14}{'cedarpy call':>14}")
    print(header)
    print(f"{'':<18}{'':>9}{'':>7}{'µs':>10}{'µs':>10}{'µs':>10}{'µs':>10}{'p50':>11}{'µs':>11}{'µs':>11}"
          f"{'µs (Writ)':>14}{'µs/request':>14}")

    rows = []
    mismatched = 0
    for report in writ_reports:
        folder = args.folder / report["name"]
        try:
            policies, entities, requests, writ = load_workload(folder)
        except (OSError, ValueError, KeyError) as error:
            print(f"error: cannot load workload `{folder}`: {error}", file=sys.stderr)
            return 2
        differences = disagreements(cedarpy.is_authorized_batch(requests, policies, entities), writ)
        for i, what in differences[:5]:
            print(f"  {report['name']} request {i} differs: {what}", file=sys.stderr)
        mismatched += len(differences)

        samples, calls, call_us, rounds = time_rust(
            policies, entities, requests, args.seconds, args.min_rounds, args.max_rounds)
        rust_p50 = binned_quantile(samples, calls, 0.5)
        rust_p99 = binned_quantile(samples, calls, 0.99)
        rust_mean = sum(k * n for k, n in samples.items()) / calls + 0.5
        index = report.get("with_index")
        scan = report.get("without_index")
        if not index:
            print(f"error: `{timings_file}` has no timings for `{report['name']}`; "
                  "run cedar-workload without --no-timing", file=sys.stderr)
            return 2
        writ_p50 = index["median_ns"] / 1000
        row = {
            "workload": report["name"], "requests": len(requests), "policies": report["policies"],
            "disagreements": len(differences),
            "writ_p50_us": writ_p50, "writ_p99_us": index.get("p99_ns", 0) / 1000,
            "writ_mean_us": index.get("mean_ns", 0) / 1000,
            "writ_no_index_p50_us": scan["median_ns"] / 1000 if scan else None,
            "rust_p50_us": rust_p50, "rust_p99_us": rust_p99, "rust_mean_us": rust_mean,
            "rust_calls": calls, "rust_rounds": rounds, "cedarpy_call_us": call_us,
            "ratio_p50": writ_p50 / rust_p50 if rust_p50 else None,
        }
        rows.append(row)
        ratio = f"{row['ratio_p50']:.3g}" if row["ratio_p50"] is not None else "-"
        agree = "yes" if not differences else f"{len(differences)} no"
        no_index = f"{row['writ_no_index_p50_us']:.2f}" if scan else "-"
        print(f"{row['workload']:<18}{row['requests']:>9}{agree:>7}{row['writ_p50_us']:>10.2f}"
              f"{row['writ_p99_us']:>10.2f}{rust_p50:>10.2f}{rust_p99:>10.2f}{ratio:>11}"
              f"{row['writ_mean_us']:>11.2f}{rust_mean:>11.2f}{no_index:>14}"
              f"{call_us:>14.2f}", flush=True)

    (args.folder / "comparison.json").write_text(json.dumps({"rows": rows}, indent=2) + "\n")
    print(f"\n{'all decisions agree' if not mismatched else f'{mismatched} responses differ'}; "
          f"rows saved to {args.folder / 'comparison.json'}")
    return 1 if mismatched else 0


if __name__ == "__main__":
    sys.exit(main())
