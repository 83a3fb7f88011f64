"""Random Cedar policies: scopes, annotations and type-directed condition expressions.

Expressions are generated for an intended type and rendered straight to text as
`(text, precedence level)`; an operand is parenthesized only when its level is looser than its
position needs (plus, rarely, redundant parentheses), so the output leans on Cedar's precedence
and associativity rules. A small share of operands gets a deliberately wrong type, and attribute
paths are drawn from the shared vocabulary, which entities carry only sometimes: so conditions
are true, false, or errors in a useful mix.
"""

from __future__ import annotations

from dataclasses import dataclass

from cedar_values import (ADD, AND, BOOL, DATETIME, DECIMAL, DURATION, ENTITY,
                          EXT_CONSTRUCTOR, EXTENSION_TYPES, IF, IPADDR, INVALID_EXT_STRINGS, LONG,
                          MEMBER, MUL, OR, PRIMARY, REL, STRING, UNARY, VALID_EXT_STRINGS, Ext,
                          EDGE_LONGS, is_identifier, is_record, is_set, like_pattern, literal,
                          random_string, random_value, record_key, set_of,
                          string_literal)
from cedar_world import (ABSENT_TYPES, ACTION_ATTRS, CONSTRUCTOR_STRINGS, CONTEXT_ATTRS,
                         ENTITY_ATTRS, ENTITY_TYPES, INNER, PROFILE, TAG_TYPES)

ROOT_VOCABULARY = {"principal": ENTITY_ATTRS, "resource": ENTITY_ATTRS, "uid": ENTITY_ATTRS,
                   "action": ACTION_ATTRS, "context": CONTEXT_ATTRS}


def _collect_paths():
    """Map each type to the attribute paths `(root, segments)` that should hold it."""
    paths = {}

    def walk(root, prefix, vocabulary, hops):
        for name, t in vocabulary:
            segments = prefix + (name,)
            paths.setdefault(t, []).append((root, segments))
            if is_record(t):
                walk(root, segments, t[1], hops)
            elif t == ENTITY and hops > 0:
                walk(root, segments, ENTITY_ATTRS, hops - 1)

    for root, vocabulary in ROOT_VOCABULARY.items():
        walk(root, (), vocabulary, 1 if root != "uid" else 0)
    return paths


PATHS = _collect_paths()
TYPED_PATHS = [(root, segments, t) for t, ps in PATHS.items() for root, segments in ps]


def _path_weight(root, segments):
    """Short paths on the request's own entities are likelier to exist."""
    return (0.3 if root == "uid" else 1.0) / len(segments) ** 2


PATH_WEIGHTS = {t: [_path_weight(*p) for p in ps] for t, ps in PATHS.items()}
TYPED_PATH_WEIGHTS = [_path_weight(root, segments) for root, segments, _ in TYPED_PATHS]
CONSUMED_TYPES = ((LONG, 3), (STRING, 2), (ENTITY, 4), (BOOL, 1), (set_of(LONG), 1),
                  (set_of(STRING), 1), (set_of(ENTITY), 1.2), (PROFILE, 0.6), (INNER, 0.3),
                  (IPADDR, 1.0), (DECIMAL, 0.9), (DATETIME, 1.0), (DURATION, 0.9))
WRONG_TYPE_RATE = 0.03


class ExprGen:
    """Generates policies for one test's world."""

    def __init__(self, rng, world):
        self.rng = rng
        self.world = world
        # Line breaks between tokens; a raw CR inside a string literal is a parse error.
        self.newline = "\r\n" if rng.random() < 0.1 else "\n"

    # ---- rendering helpers -------------------------------------------------------------------

    def wrap(self, expr, level):
        """Text of `expr` usable where precedence `level` is required."""
        text, own = expr
        if own < level or self.rng.random() < 0.02:
            return "(" + text + ")"
        return text

    def binary(self, left, op, right, level):
        """A left-associative binary operator at `level`."""
        return "%s %s %s" % (self.wrap(left, level), op, self.wrap(right, level + 1)), level

    def relation(self, left, op, right):
        return "%s %s %s" % (self.wrap(left, ADD), op, self.wrap(right, ADD)), REL

    def unary(self, op, operand):
        text, level = operand
        # `!!x` and `--x` are single unary nodes of up to four operators in Cedar's grammar.
        if level == UNARY and text.startswith(op) and len(text) - len(text.lstrip(op)) < 4 \
                and self.rng.random() < 0.7:
            return op + text, UNARY
        return op + self.wrap(operand, MEMBER), UNARY

    def call(self, target, method, *args):
        rendered = ", ".join(a[0] for a in args)
        return "%s.%s(%s)" % (self.wrap(target, MEMBER), method, rendered), MEMBER

    def access(self, text, segment):
        if is_identifier(segment) and self.rng.random() < 0.85:
            return "%s.%s" % (text, segment)
        return "%s[%s]" % (text, string_literal(self.rng, segment))

    def lit(self, value):
        return literal(self.rng, value, lambda v: self.lit(v)[0])

    def value(self, t):
        return random_value(self.rng, t, self.world.uids + self.world.ghosts)

    def root(self, name):
        if name == "uid":
            return literal(self.rng, self.world.any_uid())
        return name, PRIMARY

    def path(self, root, segments, root_expr=None):
        text, level = root_expr or self.root(root)
        for segment in segments:
            text, level = self.access(text if level >= MEMBER else "(%s)" % text, segment), MEMBER
        return text, level

    def pick(self, weighted):
        total = sum(w for w, _ in weighted)
        roll = self.rng.random() * total
        for weight, choice in weighted:
            roll -= weight
            if roll <= 0:
                return choice
        return weighted[-1][1]

    def random_type(self):
        return self.pick([(w, t) for t, w in CONSUMED_TYPES])

    # ---- typed expressions -------------------------------------------------------------------

    def expr(self, t, depth):
        """An expression intended to evaluate to type `t`."""
        rng = self.rng
        if rng.random() < WRONG_TYPE_RATE:
            t = self.random_type()
        if depth <= 0:
            return self.leaf(t)
        if rng.random() < 0.06:
            return ("if %s then %s else %s" % (self.expr(BOOL, depth - 1)[0],
                                               self.expr(t, depth - 1)[0],
                                               self.expr(t, depth - 1)[0]), IF)
        if t == BOOL:
            return self.boolean(depth)
        if t == LONG:
            return self.long(depth)
        if t == ENTITY:
            return self.leaf(t)
        if t == STRING:
            if rng.random() < 0.2:
                key = rng.choice([k for k, kt in TAG_TYPES if kt == STRING])
                return self.call(self.expr(ENTITY, depth - 1), "getTag", self.lit(key))
            return self.leaf(t)
        if t in EXTENSION_TYPES:
            return self.extension(t, depth)
        if is_set(t):
            if rng.random() < 0.5:
                items = [self.expr(t[1], depth - 1)[0] for _ in range(rng.randint(0, 3))]
                return "[" + ", ".join(items) + "]", PRIMARY
            return self.leaf(t)
        if is_record(t):
            if rng.random() < 0.4:
                inits = ["%s: %s" % (record_key(rng, name), self.expr(ft, depth - 1)[0])
                         for name, ft in t[1] if rng.random() < 0.7]
                return "{" + ", ".join(inits) + "}", PRIMARY
            return self.leaf(t)
        return self.leaf(t)

    def leaf(self, t):
        """A literal, variable, or attribute path of type `t`."""
        rng = self.rng
        paths = PATHS.get(t, ())
        if t == ENTITY:
            roll = rng.random()
            if roll < 0.45:
                return rng.choice(("principal", "principal", "resource", "resource", "action")), PRIMARY
            if roll < 0.75:
                return literal(rng, self.world.any_uid())
        if paths and rng.random() < 0.6:
            return self.path(*rng.choices(paths, PATH_WEIGHTS[t])[0])
        if is_record(t) and rng.random() < 0.1:
            return "context", PRIMARY
        return self.lit(self.value(t))

    def long(self, depth):
        rng = self.rng
        roll = rng.random()
        if roll < 0.3:
            return self.leaf(LONG)
        if roll < 0.65:
            op = rng.choice(("+", "-", "+", "-", "*", "*"))
            level = MUL if op == "*" else ADD
            operands = [self.arith_operand(depth) for _ in range(2)]
            return self.binary(operands[0], op, operands[1], level)
        if roll < 0.75:
            return self.unary("-", self.expr(LONG, depth - 1))
        if roll < 0.9:
            method = rng.choice(("toMilliseconds", "toSeconds", "toMinutes", "toHours", "toDays"))
            return self.call(self.expr(DURATION, depth - 1), method)
        if roll < 0.95:
            return self.call(self.expr(ENTITY, depth - 1), "getTag", self.lit("count"))
        return self.lit(rng.choice(EDGE_LONGS))

    def arith_operand(self, depth):
        if self.rng.random() < 0.3:
            return self.lit(self.rng.choice(EDGE_LONGS))
        return self.expr(LONG, depth - 1)

    def extension(self, t, depth):
        rng = self.rng
        roll = rng.random()
        if roll < 0.02:
            # Rust Cedar reports a wrong extension arity when evaluating, not when parsing.
            args = [string_literal(rng, rng.choice(VALID_EXT_STRINGS[t]))] * rng.choice((0, 2))
            return "%s(%s)" % (EXT_CONSTRUCTOR[t], ", ".join(args)), MEMBER
        if roll < 0.35:
            invalid = rng.random() < 0.12
            pool = INVALID_EXT_STRINGS[t] if invalid else VALID_EXT_STRINGS[t]
            return self.lit(Ext(EXT_CONSTRUCTOR[t], rng.choice(pool)))
        if roll < 0.45:
            name = next(n for n, kind in CONSTRUCTOR_STRINGS.items() if kind == t)
            arg = self.path("context", (name,)) if rng.random() < 0.9 else self.expr(STRING, 0)
            return "%s(%s)" % (EXT_CONSTRUCTOR[t], arg[0]), MEMBER
        if t == DATETIME and roll < 0.75:
            if rng.random() < 0.6:
                return self.call(self.expr(DATETIME, depth - 1), "offset",
                                 self.expr(DURATION, depth - 1))
            return self.call(self.expr(DATETIME, depth - 1), "toDate")
        if t == DURATION and roll < 0.75:
            if rng.random() < 0.6:
                return self.call(self.expr(DATETIME, depth - 1), "durationSince",
                                 self.expr(DATETIME, depth - 1))
            return self.call(self.expr(DATETIME, depth - 1), "toTime")
        return self.leaf(t)

    # ---- booleans ----------------------------------------------------------------------------

    def boolean(self, depth):
        rng = self.rng
        roll = rng.random()
        if roll < 0.33:
            t = self.random_type()
            return self.consume(self.expr(t, depth - 1), t, depth)
        if roll < 0.38:
            left, right = self.long(max(depth, 2)), self.long(depth)
            return self.relation(left, rng.choice(("==", "!=", "<", "<=", ">", ">=")), right)
        if roll < 0.52:
            return self.guarded(depth)
        if roll < 0.55:
            return self.guarded_tag(depth)
        if roll < 0.62:
            return self.has(depth)
        if roll < 0.70:
            return self.unary("!", self.expr(BOOL, depth - 1))
        if roll < 0.82:
            return self.binary(self.expr(BOOL, depth - 1), "&&", self.expr(BOOL, depth - 1), AND)
        if roll < 0.94:
            return self.binary(self.expr(BOOL, depth - 1), "||", self.expr(BOOL, depth - 1), OR)
        return self.leaf(BOOL)

    def other(self, t, depth):
        """A second operand of type `t`: usually a literal from the shared value pools."""
        if self.rng.random() < 0.7:
            return self.lit(self.value(t))
        return self.expr(t, depth - 1)

    def consume(self, e, t, depth):
        """A boolean expression that uses `e`, an expression meant to have type `t`."""
        rng = self.rng
        if rng.random() < 0.2:
            return self.relation(e, rng.choice(("==", "==", "!=")), self.other(t, depth))
        if t == BOOL:
            return e if rng.random() < 0.6 else self.unary("!", e)
        if t == LONG:
            return self.relation(e, rng.choice(("<", "<=", ">", ">=")), self.other(LONG, depth))
        if t == STRING:
            if rng.random() < 0.7:
                return "%s like %s" % (self.wrap(e, ADD), like_pattern(rng, random_string(rng))), REL
            return self.relation(e, "==", self.other(STRING, depth))
        if t == ENTITY:
            return self.use_entity(e, depth)
        if is_set(t):
            roll = rng.random()
            if roll < 0.45:
                return self.call(e, "contains", self.other(t[1], depth))
            if roll < 0.85:
                return self.call(e, rng.choice(("containsAll", "containsAny")), self.other(t, depth))
            return self.call(e, "isEmpty")
        if is_record(t):
            if rng.random() < 0.7:
                fields = [name for name, _ in t[1]] + ["nope"]
                return self.has_field(e, (rng.choice(fields),))
            return self.relation(e, "==", self.other(t, depth))
        if t == IPADDR:
            if rng.random() < 0.3:
                return self.call(e, "isInRange", self.other(IPADDR, depth))
            return self.call(e, rng.choice(("isIpv4", "isIpv6", "isLoopback", "isMulticast")))
        if t == DECIMAL:
            method = rng.choice(("lessThan", "lessThanOrEqual", "greaterThan", "greaterThanOrEqual"))
            return self.call(e, method, self.other(DECIMAL, depth))
        if t in (DATETIME, DURATION):
            if rng.random() < 0.15:
                return self.relation(self.call(e, "toMilliseconds" if t == DURATION else "toDate"),
                                     "==", self.other(LONG if t == DURATION else DATETIME, depth))
            return self.relation(e, rng.choice(("<", "<=", ">", ">=")), self.other(t, depth))
        return self.relation(e, "==", self.other(t, depth))

    def use_entity(self, e, depth):
        rng = self.rng
        world = self.world
        roll = rng.random()
        if roll < 0.3:
            return self.relation(e, "in", literal(rng, world.container_uid()))
        if roll < 0.4:
            items = [literal(rng, world.any_uid())[0] for _ in range(rng.randint(0, 3))]
            return self.relation(e, "in", ("[" + ", ".join(items) + "]", PRIMARY))
        if roll < 0.5:
            return self.relation(e, "in", self.expr(rng.choice((ENTITY, set_of(ENTITY))), depth - 1))
        if roll < 0.7:
            types = ENTITY_TYPES + ABSENT_TYPES + ("Action",)
            text = "%s is %s" % (self.wrap(e, ADD), rng.choice(types))
            if rng.random() < 0.4:
                text += " in " + self.wrap(literal(rng, world.container_uid()), ADD)
            return text, REL
        if roll < 0.8:
            return self.has_field(e, (rng.choice(ENTITY_ATTRS)[0],))
        key = rng.choice(TAG_TYPES)[0]
        if roll < 0.9:
            return self.call(e, "hasTag", self.lit(key) if rng.random() < 0.9 else self.expr(STRING, 0))
        return self.relation(self.call(e, "getTag", self.lit(key)), "==", self.lit(random_string(rng)))

    def has_field(self, target, segments):
        """`target has a.b.c`, or `target has "key"` when the key is not an identifier."""
        if all(is_identifier(s) for s in segments) and (len(segments) > 1 or self.rng.random() < 0.85):
            field = ".".join(segments)
        elif len(segments) == 1:
            field = string_literal(self.rng, segments[0])
        else:
            text = target[0] if target[1] >= MEMBER else "(%s)" % target[0]
            for s in segments[:-1]:
                text = self.access(text, s)
            target, field = (text, MEMBER), string_literal(self.rng, segments[-1])
        return "%s has %s" % (self.wrap(target, ADD), field), REL

    def has(self, depth):
        """A (possibly nested) `has` test on an attribute path, split at a random point."""
        root, segments, _ = self.rng.choices(TYPED_PATHS, TYPED_PATH_WEIGHTS)[0]
        if self.rng.random() < 0.1:
            segments = segments[:-1] + ("nope",)
        split = self.rng.randint(0, len(segments) - 1)
        target = self.path(root, segments[:split])
        return self.has_field(target, segments[split:])

    def guarded(self, depth):
        """`X has a.b && <use of X.a.b>`: the common, error-free way to read optional data."""
        root, segments, t = self.rng.choices(TYPED_PATHS, TYPED_PATH_WEIGHTS)[0]
        root_expr = self.root(root)
        check = self.has_field(root_expr, segments)
        use = self.consume(self.path(root, segments, root_expr), t, depth)
        return "%s && %s" % (self.wrap(check, AND), self.wrap(use, REL)), AND

    def guarded_tag(self, depth):
        """`E.hasTag(k) && <use of E.getTag(k)>`."""
        rng = self.rng
        entity = self.expr(ENTITY, 0)
        key, t = rng.choice(TAG_TYPES)
        check = self.call(entity, "hasTag", self.lit(key))
        use = self.consume(self.call(entity, "getTag", self.lit(key)), t, depth)
        return "%s && %s" % (self.wrap(check, AND), self.wrap(use, REL)), AND

    # ---- policies ----------------------------------------------------------------------------

    def scope_entity(self, var):
        rng = self.rng
        world = self.world
        roll = rng.random()
        if roll < 0.66:
            return var
        if roll < 0.76:
            return "%s == %s" % (var, literal(rng, world.any_uid())[0])
        if roll < 0.88:
            return "%s in %s" % (var, literal(rng, world.container_uid())[0])
        kind = rng.choice(ENTITY_TYPES + ABSENT_TYPES[:1])
        if roll < 0.95:
            return "%s is %s" % (var, kind)
        return "%s is %s in %s" % (var, kind, literal(rng, world.container_uid())[0])

    def scope_action(self):
        rng = self.rng
        roll = rng.random()
        if roll < 0.7:
            return "action"
        if roll < 0.8:
            return "action == " + literal(rng, self.world.action_uid())[0]
        if roll < 0.9:
            return "action in " + literal(rng, self.world.action_uid())[0]
        items = [literal(rng, self.world.action_uid())[0] for _ in range(rng.randint(0, 3))]
        return "action in [" + ", ".join(items) + "]"

    def annotations(self):
        rng = self.rng
        out = []
        if rng.random() < 0.15:
            out.append("@id(%s)" % string_literal(rng, rng.choice(("policy9", "p", "", "\u00e9"))))
        if rng.random() < 0.05:
            out.append(rng.choice(("@advice(\"deny \\\"all\\\"\")", "@flag", "@note(\"\\u{1F600}\")")))
        return "".join(a + self.newline for a in out)

    def policy(self):
        rng = self.rng
        effect = "permit" if rng.random() < 0.7 else "forbid"
        sep = "," + self.newline + "  " if rng.random() < 0.3 else ", "
        scope = sep.join((self.scope_entity("principal"), self.scope_action(),
                          self.scope_entity("resource")))
        head = self.annotations()
        if rng.random() < 0.05:
            head += "// generated policy; \"comments\" are whitespace" + self.newline
        body = (" (%s)" if rng.random() < 0.2 else "(%s)") % scope
        for _ in range(rng.choice((0, 1, 1, 1, 1, 2, 2, 3))):
            keyword = "when" if rng.random() < 0.72 else "unless"
            condition = self.expr(BOOL, rng.choice((1, 2, 2, 3, 3, 4)))[0]
            body += "%s%s { %s }" % (self.newline, keyword, condition)
        return Policy(head, effect, body + ";")


@dataclass
class Policy:
    """One policy's text, split around its effect so that the effect can be swapped."""
    head: str  # annotations and comments
    effect: str  # permit or forbid
    body: str  # scope and conditions, through the final `;`

    def text(self, effect=None):
        return self.head + (effect or self.effect) + self.body


def policy_set_text(policies, effect=None, newline=None):
    """The policy set file: policies in order, so the N-th is `policyN`."""
    newline = newline or "\n"
    return (newline * 2).join(p.text(effect) for p in policies) + newline
