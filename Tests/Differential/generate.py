#!/usr/bin/env python3
"""Generate differential Cedar tests whose expected answers come from Rust Cedar (cedarpy).

Writes `DIR/diff-tests/<name>.{cedar,entities.json,json}` in the format of Cedar's conformance
tests (see README.md beside this file), with no schema, and prints the size and the mix of
decisions, errors and language features it produced. Every test derives from `--seed` and its
index alone, so a failing test can be regenerated from its name.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import cedarpy  # noqa: E402  (Rust cedar-policy, the reference)

from cedar_exprs import ExprGen, policy_set_text  # noqa: E402
from cedar_world import World  # noqa: E402

SUBDIR = "diff-tests"
POLICY_ERROR = re.compile(r"error while evaluating policy `(policy(\d+))`: (.*)", re.S)
FEATURES = {  # census label -> regex over the policy text
    "if-then-else": r"\bif\b", "||": r"\|\|", "&&": r"&&", "!": r"!(?!=)", "==": r"==",
    "!=": r"!=", "< <= > >=": r"[^-]>|<", "+ -": r" [+-] ", "*": r" \* ", "unary -": r"-[\w(]",
    "in": r" in ", "has": r" has ", "nested has": r" has \w+\.", "like": r" like ",
    "is": r" is ", "is..in": r" is \S+ in ", ".contains": r"\.contains\(",
    ".containsAll/Any": r"\.containsA", ".isEmpty": r"\.isEmpty\(", "hasTag": r"\.hasTag\(",
    "getTag": r"\.getTag\(", "[\"attr\"]": r"\[\"", "record literal": r"\{ *[\w\"]+ *:",
    "set literal": r"\[", "ip": r"\bip\(", "decimal": r"\bdecimal\(", "datetime": r"\bdatetime\(",
    "duration": r"\bduration\(", "offset/durationSince": r"\.(offset|durationSince)\(",
    "toDate/toTime": r"\.to(Date|Time)\(", "duration.toX": r"\.to(Milli|Seconds|Minutes|Hours|Days)",
    "ip methods": r"\.is(Ipv4|Ipv6|Loopback|Multicast|InRange)\(",
    "decimal methods": r"\.(lessThan|greaterThan)", "\\u{..} escape": r"\\u\{",
    "unless": r"\bunless\b", "forbid": r"\bforbid\b", "annotation": r"^@", "i64 edge": r"92233720368547758",
}


class Stats:
    def __init__(self):
        self.counts = collections.Counter()
        self.error_kinds = collections.Counter()
        self.features = collections.Counter()

    def record_test(self, policies_text, policy_count):
        self.counts["tests"] += 1
        self.counts["policies"] += policy_count
        for label, pattern in FEATURES.items():
            if re.search(pattern, policies_text, re.M):
                self.features[label] += 1

    def record_request(self, decision, reasons, errors, messages):
        c = self.counts
        c["requests"] += 1
        c[decision] += 1
        if errors:
            c["with errors"] += 1
            c["%s with errors" % decision] += 1
        if decision == "deny":
            c["deny by forbid" if reasons else "deny by default"] += 1
        for message in messages:
            self.error_kinds[_error_kind(message)] += 1

    def report(self, seconds, out):
        c = self.counts
        requests = max(c["requests"], 1)

        def pct(n):
            return "%6d (%5.1f%%)" % (n, 100.0 * n / requests)

        lines = [
            "wrote %d tests, %d policies, %d requests to %s in %.1f s"
            % (c["tests"], c["policies"], c["requests"], out, seconds),
            "skipped: %d tests whose policies cedarpy could not parse, %d requests cedarpy "
            "could not evaluate" % (c["parse failures"], c["dropped requests"]),
            "allow           " + pct(c["allow"]),
            "deny            " + pct(c["deny"]),
            "  by forbid     " + pct(c["deny by forbid"]),
            "  by default    " + pct(c["deny by default"]),
            "with errors     " + pct(c["with errors"]),
            "  allow+errors  " + pct(c["allow with errors"]),
            "  deny+errors   " + pct(c["deny with errors"]),
            "error kinds: " + ", ".join("%s %d" % kv for kv in self.error_kinds.most_common()),
            "features (tests using them of %d): " % c["tests"]
            + ", ".join("%s %d" % (k, self.features[k]) for k in FEATURES),
        ]
        return "\n".join(lines)


def _error_kind(message):
    """A coarse category for an evaluation error message, for the summary only."""
    for needle, kind in (("wrong number of arguments", "arity"),
                         ("does not have the attribute", "missing attribute"),
                         ("does not exist", "missing entity"),
                         ("does not have the tag", "missing tag"), ("overflow", "overflow"),
                         ("type error", "type error"), ("extension function", "extension")):
        if needle in message:
            return kind
    return message.split(":")[0][:40]


def ask_cedar(policies_text, policy_count, entities, requests):
    """Rust Cedar's answer per request: (decision, reasons, errors, messages), or None.

    Returns None for the whole test when cedarpy cannot parse the policies (a generator bug);
    an entry is None when cedarpy answered no decision or an error not tied to a policy.
    """
    try:
        policy_set = cedarpy.PolicySet.from_str(policies_text)
    except ValueError:
        return None
    results = cedarpy.is_authorized_batch(requests, policy_set, entities)
    return [_answer(result, policy_count) for result in results]


def _answer(result, policy_count):
    if result.decision not in (cedarpy.Decision.Allow, cedarpy.Decision.Deny):
        return None
    reasons, errors, messages = set(), set(), []
    for policy_id in result.diagnostics.reasons:
        if not re.fullmatch(r"policy\d+", policy_id) or int(policy_id[6:]) >= policy_count:
            return None
        reasons.add(policy_id)
    for message in result.diagnostics.errors:
        match = POLICY_ERROR.match(message)
        if not match or int(match.group(2)) >= policy_count:
            return None
        errors.add(match.group(1))
        messages.append(match.group(3))
    decision = "allow" if result.decision == cedarpy.Decision.Allow else "deny"
    return decision, _by_position(reasons), _by_position(errors), messages


def _by_position(policy_ids):
    return sorted(policy_ids, key=lambda policy_id: int(policy_id[6:]))


def probe(policies, requests, entities):
    """How often each policy is satisfied and errs on `requests`, all evaluated as permits.

    With only permits, an allow names every satisfied policy, so one batch call measures them
    all. Returns None when cedarpy cannot parse the policies.
    """
    try:
        policy_set = cedarpy.PolicySet.from_str(policy_set_text(policies, "permit"))
    except ValueError:
        return None
    satisfied, erring = [0] * len(policies), [0] * len(policies)
    for result in cedarpy.is_authorized_batch(requests, policy_set, entities):
        for policy_id in result.diagnostics.reasons:
            satisfied[int(policy_id[6:])] += 1
        for message in result.diagnostics.errors:
            match = POLICY_ERROR.match(message)
            if match:
                erring[int(match.group(2))] += 1
    return satisfied, erring


def steer(rng, gen, policies, requests, entities, rounds=2):
    """Redraw most policies that never hold, mostly err, or forbid nearly everything.

    A never-true policy still tests evaluation, so some are kept; the redraws depend only on
    the seed and Rust Cedar's answers, so tests stay reproducible.
    """
    for _ in range(rounds):
        measured = probe(policies, requests, entities)
        if measured is None:
            return policies
        redraw = [i for i, (sat, err) in enumerate(zip(*measured))
                  if (sat == 0 and rng.random() < 0.75)
                  or (2 * err > len(requests) and rng.random() < 0.6)
                  or (policies[i].effect == "forbid" and 3 * sat > 2 * len(requests)
                      and rng.random() < 0.6)]
        if not redraw:
            break
        for i in redraw:
            fresh = gen.policy()
            fresh.effect = policies[i].effect
            policies[i] = fresh
    return policies


def make_test(seed, index, requests_per_test):
    """One test: policies text, policy count, entities JSON text (and its parsed handle),
    and requests."""
    rng = random.Random(seed * 1_000_003 + index)
    world = World(rng)
    gen = ExprGen(rng, world)
    entities_text = json.dumps(world.entities, ensure_ascii=rng.random() < 0.5,
                               indent=2 if rng.random() < 0.5 else None) + "\n"
    entities = cedarpy.Entities.from_json_str(entities_text)
    requests = [world.request() for _ in range(requests_per_test)]
    policies = [gen.policy() for _ in range(rng.choice((1, 2, 2, 3, 3, 4, 5, 6)))]
    policies = steer(rng, gen, policies, requests, entities)
    return (policy_set_text(policies, newline=gen.newline), len(policies), entities_text,
            entities, requests)


def write_test(out, name, policies_text, entities_text, requests, answers, stats):
    directory = os.path.join(out, SUBDIR)
    test = {"policies": "%s/%s.cedar" % (SUBDIR, name),
            "entities": "%s/%s.entities.json" % (SUBDIR, name),
            "shouldValidate": False,
            "requests": []}
    for request, answer in zip(requests, answers):
        if answer is None:
            stats.counts["dropped requests"] += 1
            continue
        decision, reasons, errors, messages = answer
        stats.record_request(decision, reasons, errors, messages)
        test["requests"].append({
            "description": "Request %d" % len(test["requests"]),
            "principal": request["principal"], "action": request["action"],
            "resource": request["resource"], "context": request["context"],
            "validateRequest": False,
            "decision": decision, "reason": reasons, "errors": errors})
    if not test["requests"]:
        return False
    with open(os.path.join(directory, name + ".cedar"), "w", encoding="utf-8", newline="") as f:
        f.write(policies_text)
    with open(os.path.join(directory, name + ".entities.json"), "w", encoding="utf-8",
              newline="") as f:
        f.write(entities_text)
    with open(os.path.join(directory, name + ".json"), "w", encoding="utf-8") as f:
        json.dump(test, f, indent=2, ensure_ascii=False)
        f.write("\n")
    return True


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1, help="base seed (default 1)")
    parser.add_argument("--tests", type=int, default=1000, help="test files (default 1000)")
    parser.add_argument("--requests-per-test", type=int, default=12,
                        help="requests per test file (default 12)")
    parser.add_argument("--start", type=int, default=0,
                        help="index of the first test (regenerate test sS-NNNNN with "
                             "--seed S --start NNNNN --tests 1)")
    parser.add_argument("--out", required=True, help="output directory (created if absent)")
    args = parser.parse_args(argv)

    started = time.monotonic()
    os.makedirs(os.path.join(args.out, SUBDIR), exist_ok=True)
    stats = Stats()
    for index in range(args.start, args.start + args.tests):
        name = "s%d-%05d" % (args.seed, index)
        policies_text, policy_count, entities_text, entities, requests = make_test(
            args.seed, index, args.requests_per_test)
        answers = ask_cedar(policies_text, policy_count, entities, requests)
        if answers is None:
            stats.counts["parse failures"] += 1
            continue
        if write_test(args.out, name, policies_text, entities_text, requests, answers, stats):
            stats.record_test(policies_text, policy_count)
    print(stats.report(time.monotonic() - started, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
