#!/usr/bin/env python3
"""Differential test of strict validation: Writ against Rust Cedar (cedarpy).

Generates random schemas and policies that are mostly well typed, with a few
deliberate mistakes (an unguarded optional attribute, a wrong operand type, an
unknown entity type, `ip("bad")`, an empty set, ...), validates each case with
`cedarpy.validate_policies` and with `writ cedar validate`, and counts the cases
where the two disagree on whether the policies validate. It also compares, per
policy, the kinds of errors reported.

    python3 Tests/Differential/validate_diff.py --cases 5000 --seed 1 [--writ PATH] [--keep DIR]
    python3 Tests/Differential/validate_diff.py --cases 1000 --seed 1 --emit DIR

Exits 0 when every case agrees on pass/fail, 1 otherwise. With `--emit`, it runs no
Writ: it writes each case as `caseN.cedarschema`, `caseN.cedar` and `caseN.expected`
(Rust's verdict on the first line, `valid` or `invalid`, then one `policyId errorKind`
per line) for Writ's test suite to check in-process.
"""

import argparse
import concurrent.futures
import os
import random
import re
import subprocess
import sys
import tempfile

import cedarpy

EXT_TYPES = ["ipaddr", "decimal", "datetime", "duration"]
EXT_LITERALS = {
    "ipaddr": ('ip', ['"10.0.0.1"', '"192.168.0.0/16"', '"::1"', '"1.2.3.4/40"', '"bad"']),
    "decimal": ('decimal', ['"1.5"', '"-0.0001"', '"12.34567"', '"abc"']),
    "datetime": ('datetime', ['"2024-10-15"', '"2024-10-15T11:35:00Z"', '"2024-13-01"', '"tomorrow"']),
    "duration": ('duration', ['"1h30m"', '"-2d"', '"15ms"', '"1x"']),
}
NAMES = ["User", "Group", "Doc", "Folder", "Team", "Color"]
ATTRS = ["age", "name", "level", "tags", "owner", "ok", "addr", "when", "limit", "info", "team"]


# ---------------------------------------------------------------- schema

class Schema:
    def __init__(self, rng):
        self.rng = rng
        self.namespace = rng.choice([None, None, "App"])
        count = rng.randint(2, 5)
        self.entities = {}
        for name in NAMES[:count]:
            self.entities[name] = {"attrs": {}, "parents": [], "tags": None, "enum": None}
        names = list(self.entities)
        if rng.random() < 0.3:
            self.entities[names[-1]]["enum"] = ["red", "blue"]
        for name in names:
            e = self.entities[name]
            if e["enum"] is None:
                e["parents"] = [p for p in names if p != name and rng.random() < 0.3 and self.entities[p]["enum"] is None]
                for a in rng.sample(ATTRS, rng.randint(0, 4)):
                    e["attrs"][a] = (self.random_type(2), rng.random() < 0.7)
                if rng.random() < 0.25:
                    e["tags"] = self.random_type(1)
        self.actions = {}
        for i in range(rng.randint(1, 4)):
            standard = [n for n in names]
            self.actions[f"a{i}"] = {
                "parents": [],
                "principals": rng.sample(standard, rng.randint(1, 2)),
                "resources": rng.sample(standard, rng.randint(1, 2)),
                "context": {a: (self.random_type(2), rng.random() < 0.7) for a in rng.sample(ATTRS, rng.randint(0, 3))},
            }
        if rng.random() < 0.5:
            self.actions["group"] = None
            for a in list(self.actions):
                if self.actions[a] is not None and rng.random() < 0.5:
                    self.actions[a]["parents"].append("group")

    def random_type(self, depth):
        rng = self.rng
        choices = ["Long", "String", "Bool", "Entity", "Ext"]
        if depth > 0:
            choices += ["Set", "Record"]
        k = rng.choice(choices)
        if k == "Set":
            return ("Set", self.random_type(depth - 1))
        if k == "Record":
            return ("Record", {a: (self.random_type(depth - 1), rng.random() < 0.7) for a in rng.sample(ATTRS, rng.randint(1, 2))})
        if k == "Entity":
            return ("Entity", rng.choice(list(self.entities)))
        if k == "Ext":
            return ("Ext", rng.choice(EXT_TYPES))
        return (k,)

    def type_text(self, t):
        if t[0] == "Set":
            return f"Set<{self.type_text(t[1])}>"
        if t[0] == "Record":
            return "{ " + ", ".join(f"{a}{'' if req else '?'}: {self.type_text(ty)}" for a, (ty, req) in t[1].items()) + " }"
        if t[0] in ("Entity", "Ext"):
            return t[1]
        return t[0]

    def text(self):
        lines = []
        for name, e in self.entities.items():
            line = f"entity {name}"
            if e["parents"]:
                line += " in [" + ", ".join(e["parents"]) + "]"
            if e["enum"] is not None:
                line += " enum [" + ", ".join(f'"{v}"' for v in e["enum"]) + "]"
            elif e["attrs"]:
                line += " " + self.type_text(("Record", e["attrs"]))
            if e["tags"] is not None:
                line += " tags " + self.type_text(e["tags"])
            lines.append(line + ";")
        for name, a in self.actions.items():
            if a is None:
                lines.append(f'action "{name}";')
                continue
            line = f'action "{name}"'
            if a["parents"]:
                line += " in [" + ", ".join(f'"{p}"' for p in a["parents"]) + "]"
            line += " appliesTo { principal: [" + ", ".join(a["principals"]) + "], resource: [" + ", ".join(a["resources"]) + "]"
            line += ", context: " + self.type_text(("Record", a["context"])) + " };"
            lines.append(line)
        body = "\n".join(lines)
        if self.namespace:
            return f"namespace {self.namespace} {{\n{body}\n}}\n"
        return body + "\n"

    def ancestors(self, name):
        seen, pending = [], list(self.entities[name]["parents"])
        while pending:
            p = pending.pop()
            if p not in seen:
                seen.append(p)
                pending += self.entities[p]["parents"]
        return seen

    def qualified(self, name):
        return f"{self.namespace}::{name}" if self.namespace else name

    def action_uid(self, name):
        return f'{self.qualified("Action")}::"{name}"'

    def entity_uid(self, type_name):
        e = self.entities.get(type_name)
        ident = self.rng.choice(e["enum"]) if e and e["enum"] else self.rng.choice(["alice", "bob", "x"])
        if e and e["enum"] and self.rng.random() < 0.05:
            ident = "green"
        return f'{self.qualified(type_name)}::"{ident}"'


# ---------------------------------------------------------------- expressions

class ExprGen:
    """Builds expressions of a wanted type under one known request shape."""

    def __init__(self, rng, schema, principal, resource, context, mistakes):
        self.rng, self.s = rng, schema
        self.roots = [("principal", ("Entity", principal)), ("resource", ("Entity", resource)),
                      ("context", ("Record", context))]
        self.mistakes = mistakes

    def mistake(self):
        return self.rng.random() < self.mistakes

    def attrs_of(self, t):
        if t[0] == "Record":
            return t[1]
        if t[0] == "Entity":
            return self.s.entities.get(t[1], {}).get("attrs", {})
        return {}

    def paths(self, want, depth=2):
        """Attribute paths of type `want`: (text, guards)."""
        found = []
        frontier = [(text, t, []) for text, t in self.roots]
        for _ in range(depth):
            nxt = []
            for text, t, guards in frontier:
                for a, (ty, req) in self.attrs_of(t).items():
                    g = guards if req else guards + [f"{text} has {a}"]
                    path = f"{text}.{a}"
                    if ty == want:
                        found.append((path, g))
                    nxt.append((path, ty, g))
            frontier = nxt
        return found

    def guarded(self, text, guards):
        if guards and not self.mistake():
            return "(" + " && ".join(guards + [text]) + ")"
        return text

    def bool_expr(self, depth):
        rng = self.rng
        if depth <= 0:
            return rng.choice(["true", "false", self.atom_bool()])
        k = rng.randrange(18)
        if k == 0:
            return f"({self.bool_expr(depth - 1)} && {self.bool_expr(depth - 1)})"
        if k == 1:
            return f"({self.bool_expr(depth - 1)} || {self.bool_expr(depth - 1)})"
        if k == 2:
            return f"!{self.bool_expr(depth - 1)}"
        if k == 3:
            return f"(if {self.bool_expr(depth - 1)} then {self.bool_expr(depth - 1)} else {self.bool_expr(depth - 1)})"
        if k == 4:
            op = rng.choice(["<", "<=", ">", ">="])
            t = ("Long",) if rng.random() < 0.7 else ("Ext", rng.choice(["datetime", "duration"]))
            return self.wrap(lambda: f"({self.expr(t, depth - 1)} {op} {self.expr(self.maybe_wrong(t), depth - 1)})")
        if k == 5:
            t = self.s.random_type(1)
            op = rng.choice(["==", "!="])
            return self.wrap(lambda: f"({self.expr(t, depth - 1)} {op} {self.expr(self.maybe_wrong(t), depth - 1)})")
        if k == 6:
            return self.wrap(lambda: f"({self.expr(('String',), depth - 1)} like \"*a*\")")
        if k == 7:
            t = self.entity_type()
            return self.wrap(lambda: f"({self.expr(('Entity', t), depth - 1)} is {self.s.qualified(self.entity_type())})")
        if k == 8:
            a, b = self.entity_type(), self.entity_type()
            rhs = self.expr(("Entity", b), depth - 1) if rng.random() < 0.6 else f"[{self.expr(('Entity', b), depth - 1)}]"
            return self.wrap(lambda: f"({self.expr(('Entity', a), depth - 1)} in {rhs})")
        if k == 9:
            t = self.s.random_type(0)
            method = rng.choice(["contains", "containsAll", "containsAny"])
            arg = self.expr(self.maybe_wrong(t), depth - 1) if method == "contains" else self.expr(("Set", self.maybe_wrong(t)), depth - 1)
            return self.wrap(lambda: f"{self.expr(('Set', t), depth - 1)}.{method}({arg})")
        if k == 10:
            return self.wrap(lambda: f"{self.expr(('Set', self.s.random_type(0)), depth - 1)}.isEmpty()")
        if k == 11:
            return self.tag_expr(depth)
        if k == 12:
            return self.ext_bool(depth)
        if k == 13:
            root, t = rng.choice(self.roots)
            attrs = list(self.attrs_of(t)) + ["nope"]
            return f"({root} has {rng.choice(attrs)})"
        if k == 14:
            a, b = self.action_ref(), self.action_ref()
            return f"({a} in [{b}])"
        if k == 15:
            # Literals, and `&&`/`||` of boolean literals (which Rust folds into one),
            # compared with literals of any type.
            def lit():
                return rng.choice(["true", "false", "(true || false)", "(false && true)", "1", '"a"',
                                   self.s.entity_uid(rng.choice(list(self.s.entities))), "action"])
            return f"({lit()} {rng.choice(['==', '!='])} {lit()})"
        if k == 16:
            return f"(action {rng.choice(['==', '!='])} {self.action_ref()})"
        return self.atom_bool()

    def wrap(self, make):
        return make()

    def atom_bool(self):
        paths = self.paths(("Bool",))
        if paths and self.rng.random() < 0.7:
            return self.guarded(*self.rng.choice(paths))
        return self.rng.choice(["true", "false"])

    def action_ref(self):
        if self.rng.random() < 0.5:
            return "action"
        names = list(self.s.actions) + (["zzz"] if self.mistake() else [])
        return self.s.action_uid(self.rng.choice(names))

    def entity_type(self):
        if self.mistake() and self.rng.random() < 0.3:
            return "Nope"
        return self.rng.choice(list(self.s.entities))

    def maybe_wrong(self, t):
        return self.s.random_type(1) if self.mistake() else t

    def tag_expr(self, depth):
        rng = self.rng
        root, t = rng.choice(self.roots[:2])
        tag = rng.choice(['"a"', '"b"', f"{self.expr(('String',), depth - 1)}"])
        tags = self.s.entities.get(t[1], {}).get("tags")
        if rng.random() < 0.4:
            return f"{root}.hasTag({tag})"
        want = tags if tags is not None else ("Long",)
        use = f"({root}.getTag({tag}) == {self.expr(want, depth - 1)})"
        if self.mistake():
            return use
        return f"({root}.hasTag({tag}) && {use})"

    def ext_bool(self, depth):
        rng = self.rng
        k = rng.randrange(3)
        if k == 0:
            return f"{self.expr(('Ext', 'ipaddr'), depth - 1)}.{rng.choice(['isIpv4', 'isIpv6', 'isLoopback', 'isMulticast'])}()"
        if k == 1:
            return f"{self.expr(('Ext', 'ipaddr'), depth - 1)}.isInRange({self.expr(self.maybe_wrong(('Ext', 'ipaddr')), depth - 1)})"
        m = rng.choice(["lessThan", "lessThanOrEqual", "greaterThan", "greaterThanOrEqual"])
        return f"{self.expr(('Ext', 'decimal'), depth - 1)}.{m}({self.expr(self.maybe_wrong(('Ext', 'decimal')), depth - 1)})"

    def expr(self, t, depth):
        """An expression of type `t` (occasionally of another, as a mistake)."""
        rng = self.rng
        if self.mistake() and rng.random() < 0.3:
            t = self.s.random_type(1)
        paths = self.paths(t)
        if paths and rng.random() < 0.5:
            return self.guarded(*rng.choice(paths))
        if t == ("Bool",):
            return self.bool_expr(depth)
        if t == ("Long",):
            if depth > 0 and rng.random() < 0.3:
                op = rng.choice(["+", "-", "*"])
                return f"({self.expr(('Long',), depth - 1)} {op} {self.expr(self.maybe_wrong(('Long',)), depth - 1)})"
            if depth > 0 and rng.random() < 0.1:
                return f"{self.expr(('Ext', 'duration'), depth - 1)}.{rng.choice(['toDays', 'toHours', 'toMilliseconds'])}()"
            return str(rng.choice([0, 1, -3, 42, 9223372036854775807]))
        if t == ("String",):
            return rng.choice(['"a"', '""', '"hello"'])
        if t[0] == "Entity":
            if rng.random() < 0.5:
                for text, ty in self.roots[:2]:
                    if ty == t:
                        return text
            return self.s.entity_uid(t[1])
        if t[0] == "Ext":
            fn, literals = EXT_LITERALS[t[1]]
            if depth > 0 and t[1] == "datetime" and rng.random() < 0.2:
                return f"{self.expr(t, depth - 1)}.offset({self.expr(('Ext', 'duration'), depth - 1)})"
            if self.mistake():
                return f'{fn}({self.expr(("String",), depth - 1)})'
            good = [x for x in literals if rng.random() < 0.9]
            return f"{fn}({rng.choice(good or literals)})"
        if t[0] == "Set":
            if self.mistake() and rng.random() < 0.5:
                return "[]"
            return "[" + ", ".join(self.expr(t[1], depth - 1) for _ in range(rng.randint(1, 2))) + "]"
        if t[0] == "Record":
            fields = [f"{a}: {self.expr(ty, depth - 1)}" for a, (ty, req) in t[1].items() if req or rng.random() < 0.5]
            return "{" + ", ".join(fields) + "}"
        if depth > 0 and rng.random() < 0.3:
            return f"(if {self.bool_expr(depth - 1)} then {self.expr(t, depth - 1)} else {self.expr(self.maybe_wrong(t), depth - 1)})"
        return "true"


# ---------------------------------------------------------------- policies

def make_policy(rng, schema, mistakes):
    actions = [a for a, v in schema.actions.items() if v is not None]
    name = rng.choice(actions)
    action = schema.actions[name]
    principal = rng.choice(action["principals"])
    resource = rng.choice(action["resources"])
    k = rng.randrange(6)
    if k == 0:
        action_scope = "action"
    elif k == 1 and "group" in schema.actions:
        action_scope = f"action in {schema.action_uid('group')}"
    elif k == 2:
        action_scope = "action in [" + ", ".join(schema.action_uid(a) for a in rng.sample(actions, min(2, len(actions)))) + "]"
    else:
        action_scope = f"action == {schema.action_uid(name if not rng.random() < mistakes else 'zzz')}"

    def group_of(t):
        # Usually an ancestor of `t` (or `t`), so the scope can hold; sometimes any type.
        if rng.random() < 0.15:
            return rng.choice(list(schema.entities))
        return rng.choice([t] + schema.ancestors(t))

    def scope(var, t):
        k = rng.randrange(8)
        if k == 0:
            return var
        if k == 1:
            return f"{var} is {schema.qualified(t)}"
        if k == 2:
            return f"{var} == {schema.entity_uid(t)}"
        if k == 3:
            return f"{var} in {schema.entity_uid(group_of(t))}"
        if k == 4:
            return f"{var} is {schema.qualified(t)} in {schema.entity_uid(group_of(t))}"
        if k == 5:
            slot = "?" + var
            return rng.choice([f"{var} == {slot}", f"{var} in {slot}", f"{var} is {schema.qualified(t)} in {slot}"])
        return f"{var} is {schema.qualified('Nope' if rng.random() < mistakes else t)}"

    gen = ExprGen(rng, schema, principal, resource, action["context"], mistakes)
    conditions = []
    for _ in range(rng.randint(0, 2)):
        conditions.append(f"{rng.choice(['when', 'unless'])} {{ {gen.bool_expr(rng.randint(1, 3))} }}")
    effect = rng.choice(["permit", "forbid"])
    return f"{effect}({scope('principal', principal)}, {action_scope}, {scope('resource', resource)})\n  " + "\n  ".join(conditions) + ";"


def make_case(seed, index):
    rng = random.Random(f"{seed}-{index}")
    schema = Schema(rng)
    mistakes = rng.choice([0.0, 0.02, 0.05, 0.1])
    policies = "\n".join(make_policy(rng, schema, mistakes) for _ in range(rng.randint(1, 3)))
    return schema.text(), policies


# ---------------------------------------------------------------- comparing

RUST_KINDS = [
    ("unrecognized entity type", "unrecognized_entity_type"),
    ("unrecognized action", "unrecognized_action"),
    ("unable to find an applicable action", "invalid_action_application"),
    ("unexpected type", "unexpected_type"),
    ("are not compatible", "incompatible_types"),
    ("optional attribute", "unsafe_optional_attribute_access"),
    ("safety of access to tag", "unsafe_tag_access"),
    ("is not allowed on entities of", "no_tags_allowed"),
    ("not found", "unsafe_attribute_access"),
    ("undefined extension function", "undefined_function"),
    ("wrong number of arguments", "wrong_number_arguments"),
    ("extension function argument validation", "function_argument_validation"),
    ("empty set literals are forbidden", "empty_set_forbidden"),
    ("non-literal expressions", "non_literal_extension_constructor"),
    ("enumerated entity type", "invalid_enum_entity"),
]


def rust_answer(schema, policies):
    result = cedarpy.validate_policies(policies, schema)
    kinds = set()
    for e in result.errors:
        if e.policy_id == "":
            return "bad-input", set()
        kind = next((k for text, k in RUST_KINDS if text in e.error), "other:" + e.error)
        kinds.add((e.policy_id, kind))
    return ("valid" if result.validation_passed else "invalid"), kinds


WRIT_LINE = re.compile(r": error: .*\[([a-z_]+), policy `([^`]*)`\]$")


def writ_answer(writ, folder, index, schema, policies):
    s = os.path.join(folder, f"case{index}.cedarschema")
    p = os.path.join(folder, f"case{index}.cedar")
    with open(s, "w") as f:
        f.write(schema)
    with open(p, "w") as f:
        f.write(policies)
    run = subprocess.run([writ, "cedar", "validate", "--schema", s, "--policies", p], capture_output=True, text=True)
    status = {0: "valid", 2: "invalid"}.get(run.returncode, "bad-input")
    kinds = set()
    for line in run.stdout.splitlines():
        m = WRIT_LINE.search(line)
        if m:
            kinds.add((m.group(2), m.group(1)))
    return status, kinds, run.stdout + run.stderr


def emit(folder, seed, count):
    os.makedirs(folder, exist_ok=True)
    for i in range(count):
        schema, policies = make_case(seed, i)
        status, kinds = rust_answer(schema, policies)
        base = os.path.join(folder, f"case{i}")
        with open(base + ".cedarschema", "w") as f:
            f.write(schema)
        with open(base + ".cedar", "w") as f:
            f.write(policies)
        with open(base + ".expected", "w") as f:
            f.write(status + "\n" + "".join(f"{p} {k}\n" for p, k in sorted(kinds)))
    print(f"wrote {count} cases (seed {seed}) to {folder}")
    return 0


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--writ", default=os.path.join(here, "..", "..", ".build", "debug", "writ"))
    parser.add_argument("--keep", help="write every case here (default: a temporary folder, removed)")
    parser.add_argument("--emit", help="only write the cases and Rust's answers to this folder")
    args = parser.parse_args(argv)

    if args.emit:
        return emit(args.emit, args.seed, args.cases)

    folder = args.keep or tempfile.mkdtemp(prefix="writ-validate-diff-")
    os.makedirs(folder, exist_ok=True)
    cases = [make_case(args.seed, i) for i in range(args.cases)]

    def check(i):
        schema, policies = cases[i]
        rust = rust_answer(schema, policies)
        writ = writ_answer(args.writ, folder, i, schema, policies)
        return i, rust, writ

    counts = {"valid": 0, "invalid": 0, "bad-input": 0}
    disagreements, kind_disagreements = [], []
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        for i, (rust_status, rust_kinds), (writ_status, writ_kinds, output) in pool.map(check, range(args.cases)):
            counts[rust_status] += 1
            if rust_status != writ_status:
                disagreements.append((i, rust_status, writ_status, rust_kinds, output))
            elif rust_kinds != writ_kinds:
                kind_disagreements.append((i, rust_kinds, writ_kinds))

    for i, rust_status, writ_status, rust_kinds, output in disagreements[:10]:
        print(f"--- case {i}: Rust {rust_status} {sorted(rust_kinds)}, Writ {writ_status}")
        print(cases[i][0] + cases[i][1])
        print(output)
    for i, rust_kinds, writ_kinds in kind_disagreements[:5]:
        print(f"--- case {i}: error kinds differ: Rust {sorted(rust_kinds)}, Writ {sorted(writ_kinds)}")
        print(cases[i][0] + cases[i][1])
    print(f"{args.cases} cases (seed {args.seed}): Rust says {counts['valid']} valid, {counts['invalid']} invalid, "
          f"{counts['bad-input']} bad input")
    print(f"pass/fail: {args.cases - len(disagreements)} agree, {len(disagreements)} disagree; "
          f"error kinds: {len(kind_disagreements)} cases differ")
    if not args.keep:
        for name in os.listdir(folder):
            os.remove(os.path.join(folder, name))
        os.rmdir(folder)
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
