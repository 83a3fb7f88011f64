"""Cedar values for the differential generator: types, value pools, and their two encodings.

A value is a Python ``bool``, ``int`` (a Cedar long) or ``str``, or one of the frozen classes
below. Every value can be written as Cedar policy text (``literal``) and as Cedar entity/context
JSON (``to_json``). Pools mix ordinary values with edge cases: longs near the i64 limits,
strings with combining marks, escapes and wildcards, and valid and invalid extension strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Types: scalar names, ("set", element type) or ("record", ((field, type), ...)).
BOOL, LONG, STRING, ENTITY = "bool", "long", "string", "entity"
IPADDR, DECIMAL, DATETIME, DURATION = "ipaddr", "decimal", "datetime", "duration"
EXTENSION_TYPES = (IPADDR, DECIMAL, DATETIME, DURATION)
SCALAR_TYPES = (BOOL, LONG, STRING, ENTITY) + EXTENSION_TYPES


def set_of(element):
    return ("set", element)


def record_of(*fields):
    return ("record", tuple(fields))


def is_set(t):
    return isinstance(t, tuple) and t[0] == "set"


def is_record(t):
    return isinstance(t, tuple) and t[0] == "record"


# Precedence levels of rendered expressions, loosest first (see Cedar's grammar.lalrpop).
IF, OR, AND, REL, ADD, MUL, UNARY, MEMBER, PRIMARY = range(9)


@dataclass(frozen=True)
class Uid:
    type: str
    id: str


@dataclass(frozen=True)
class Ext:
    fn: str  # constructor name: ip, decimal, datetime, duration
    arg: str


@dataclass(frozen=True)
class CSet:
    items: tuple


@dataclass(frozen=True)
class CRecord:
    fields: tuple  # ((key, value), ...), keys unique


EXT_CONSTRUCTOR = {IPADDR: "ip", DECIMAL: "decimal", DATETIME: "datetime", DURATION: "duration"}

SMALL_LONGS = (0, 1, 2, 3, 5, 7, 10, 42, -1, -3, 100)
EDGE_LONGS = (
    2**63 - 1, -(2**63), 2**63 - 2, -(2**63) + 1, 2**62, -(2**62), 2**32,
    3037000499, 3037000500, -3037000500, 4611686018427387904,
)

COMMON_STRINGS = ("", "a", "alice", "bob", "red", "blue", "admin", "caf\u00e9")
STRINGS = (
    "", "a", "alice", "bob", "Bob", "red", "blue", "admin", "a*b", "*", "**", "ab", "abc",
    "\u00e9", "e\u0301", "\u00c5", "A\u030a", "\U0001f600", "\u65e5\u672c", "\u00df", "\u01c5",
    "tab\there", "line\nbreak", 'quote"d', "back\\slash", "nul\u0000", "it's", "\u200b",
    "caf\u00e9", "cafe\u0301", "\U0001f468\u200d\U0001f469", "\u0301", "cr\rlf", "v\u000bt",
)

# Constructor strings: the valid ones may appear in JSON; invalid ones only as policy text
# or as plain strings (an invalid `__extn` makes the whole entity set unparseable).
VALID_EXT_STRINGS = {
    IPADDR: ("1.2.3.4", "127.0.0.1", "10.0.0.0/8", "192.168.1.0/24", "192.168.1.7", "::1", "::",
             "ff02::1", "224.0.0.1", "2001:db8::/32", "2001:db8::7", "0.0.0.0/0", "::/0",
             "255.255.255.255", "127.0.0.0/8", "fe80::1", "1.2.3.4/24", "10.1.2.3"),
    DECIMAL: ("0.0", "1.5", "-1.5", "922337203685477.5807", "-922337203685477.5808", "0.0001",
              "12.34", "1.0", "1.00", "-0.0", "3.14", "100.25", "1.2345"),
    DATETIME: ("2024-01-01", "1970-01-01T00:00:00Z", "2024-02-29T12:34:56.789Z",
               "2024-06-30T23:59:59+0530", "2024-06-30T23:59:59-1200", "0000-01-01",
               "9999-12-31T23:59:59.999Z", "2020-01-01T00:00:00.000+0000", "2024-01-01T00:00:00Z",
               "1969-12-31T23:59:59Z"),
    DURATION: ("0ms", "1ms", "1h", "-1d", "1d2h3m4s5ms", "90m", "9223372036854775807ms",
               "-9223372036854775808ms", "1s500ms", "24h", "-2h30m", "1d", "59s"),
}
INVALID_EXT_STRINGS = {
    IPADDR: ("1.2.3", "256.1.1.1", "1.2.3.4/33", "01.2.3.4", "::1/129", "", "abc", "1.2.3.4 ",
             "1:2:3:4:5:6:7:8:9", "::ffff:1.2.3.4", "1.2.3.4/", "fe80::1%eth0"),
    DECIMAL: ("1", "1.", "1.00000", ".5", "1e3", "922337203685477.5808", "+1.0", "abc", "",
              "-", "1.-5", "0x1.0"),
    DATETIME: ("2024-02-30", "2023-02-29", "2024-1-1", "2024-01-01T25:00:00Z",
               "2024-01-01T00:00:00", "2024-01-01 00:00:00Z", "2024-01-01T00:00:00+2400",
               "20240101", "", "2024-01-01T00:00:00.1Z", "+002024-01-01"),
    DURATION: ("1", "1x", "1h1d", "", "-", "1.5h", "9223372036854775808ms", "1d-2h", "h",
               "1H", "--1h", "1 h"),
}

RESERVED_IDENTS = frozenset(
    ("true", "false", "if", "then", "else", "in", "is", "like", "has", "__cedar"))
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def is_identifier(name: str) -> bool:
    """Whether `name` can be written bare after `.` / `has` / as a record key."""
    return bool(_IDENT.match(name)) and name not in RESERVED_IDENTS and "__cedar" not in name


def random_string(rng):
    return rng.choice(COMMON_STRINGS) if rng.random() < 0.6 else rng.choice(STRINGS)


def random_long(rng):
    return rng.choice(EDGE_LONGS) if rng.random() < 0.15 else rng.choice(SMALL_LONGS)


def string_literal(rng, text: str, pattern: bool = False) -> str:
    """Cedar string literal for `text`, choosing among the equivalent escapes at random.

    With `pattern`, a `*` in `text` is a literal star (`\\*`); wildcards are added by
    `like_pattern`, not here.
    """
    out = ['"']
    fancy = rng.random() < 0.25  # most literals are plain; some use every escape form
    for ch in text:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif pattern and ch == "*":
            out.append("\\*")
        elif ch in "\n\t\r\0":
            named = {"\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0"}[ch]
            raw_ok = ch in "\n\t"  # Rust Cedar rejects a raw CR in a string literal
            out.append(rng.choice((named, _unicode_escape(rng, code), ch if raw_ok else named)))
        elif code < 0x20 or code == 0x7F:
            out.append(_unicode_escape(rng, code) if rng.random() < 0.5 else "\\x%02x" % code)
        elif not fancy or rng.random() < 0.5:
            out.append(ch)
        elif ch == "'":
            out.append(rng.choice(("'", "\\'")))
        elif code < 0x80:
            out.append(rng.choice((ch, ch, "\\x%02X" % code, _unicode_escape(rng, code))))
        else:
            out.append(rng.choice((ch, _unicode_escape(rng, code))))
    out.append('"')
    return "".join(out)


def _unicode_escape(rng, code: int) -> str:
    digits = "%x" % code
    width = rng.randint(len(digits), 6)
    text = digits.rjust(width, "0")
    return "\\u{%s}" % (text.upper() if rng.random() < 0.3 else text)


def like_pattern(rng, base: str) -> str:
    """A `like` pattern literal derived from `base`: wildcards spliced in, stars escaped."""
    parts = []  # (is_wildcard, text)
    shape = rng.random()
    if shape < 0.2:
        parts = [(False, base)]
    elif shape < 0.35:
        parts = [(False, base[: rng.randint(0, len(base))]), (True, "")]
    elif shape < 0.5:
        parts = [(True, ""), (False, base[rng.randint(0, len(base)):])]
    elif shape < 0.65:
        i = rng.randint(0, len(base))
        j = rng.randint(i, len(base))
        parts = [(True, ""), (False, base[i:j]), (True, "")]
    elif shape < 0.85 and base:
        i = rng.randrange(len(base))
        parts = [(False, base[:i]), (True, ""), (False, base[i + 1:])]
    else:
        parts = [(rng.random() < 0.5, rng.choice(("a", "*", "b", "\u00e9", "")))
                 for _ in range(rng.randint(0, 4))]
    body = []
    for wildcard, text in parts:
        if wildcard:
            body.append(rng.choice(("*", "*", "*", "*", "**", "\\u{2a}", "\\x2a")))
        else:
            body.append(string_literal(rng, text, pattern=True)[1:-1])
    return '"' + "".join(body) + '"'


def uid_literal(rng, uid: Uid) -> str:
    sep = "::" if rng.random() < 0.95 else rng.choice((" :: ", ":: ", " ::"))
    return uid.type + sep + string_literal(rng, uid.id)


def literal(rng, value, render_expr=None):
    """Cedar text for `value` as `(text, precedence level)`.

    `render_expr(value)` renders set elements and record values; it defaults to `literal`.
    """
    render = render_expr or (lambda v: literal(rng, v)[0])
    if isinstance(value, bool):
        return ("true" if value else "false"), PRIMARY
    if isinstance(value, int):
        return str(value), (UNARY if value < 0 else PRIMARY)
    if isinstance(value, str):
        return string_literal(rng, value), PRIMARY
    if isinstance(value, Uid):
        return uid_literal(rng, value), PRIMARY
    if isinstance(value, Ext):
        return "%s(%s)" % (value.fn, string_literal(rng, value.arg)), MEMBER
    if isinstance(value, CSet):
        return "[" + ", ".join(render(v) for v in value.items) + "]", PRIMARY
    if isinstance(value, CRecord):
        inits = ["%s: %s" % (record_key(rng, k), render(v)) for k, v in value.fields]
        return "{" + ", ".join(inits) + "}", PRIMARY
    raise TypeError("not a Cedar value: %r" % (value,))


def record_key(rng, key: str) -> str:
    if is_identifier(key) and rng.random() < 0.8:
        return key
    return string_literal(rng, key)


def to_json(rng, value):
    """Cedar JSON for `value` (entity attributes, tags and context)."""
    if isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, Uid):
        return {"__entity": {"type": value.type, "id": value.id}}
    if isinstance(value, Ext):
        return {"__extn": {"fn": value.fn, "arg": value.arg}}
    if isinstance(value, CSet):
        return [to_json(rng, v) for v in value.items]
    if isinstance(value, CRecord):
        return {k: to_json(rng, v) for k, v in value.fields}
    raise TypeError("not a Cedar value: %r" % (value,))


def random_value(rng, t, uids, depth=0):
    """A random valid value of type `t`; `uids` supplies entity references."""
    if t == BOOL:
        return rng.random() < 0.5
    if t == LONG:
        return random_long(rng)
    if t == STRING:
        return random_string(rng)
    if t == ENTITY:
        return rng.choice(uids)
    if t in EXTENSION_TYPES:
        return Ext(EXT_CONSTRUCTOR[t], rng.choice(VALID_EXT_STRINGS[t]))
    if is_set(t):
        count = rng.choice((0, 1, 1, 2, 2, 3, 4)) if depth < 3 else 0
        return CSet(tuple(random_value(rng, t[1], uids, depth + 1) for _ in range(count)))
    if is_record(t):
        fields = tuple((name, random_value(rng, ft, uids, depth + 1))
                       for name, ft in t[1] if rng.random() < 0.85)
        return CRecord(fields)
    raise TypeError("unknown type %r" % (t,))


def random_value_any(rng, uids):
    """A value of a random type, for deliberately mistyped attributes."""
    t = rng.choice(SCALAR_TYPES + (set_of(LONG), set_of(STRING), record_of(("a", LONG))))
    return random_value(rng, t, uids)
