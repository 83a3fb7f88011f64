"""The entity store and requests of one generated test.

Every test shares one attribute vocabulary (names and intended types), so that policies written
against it hit present attributes often, miss them sometimes, and now and then meet a value of
the wrong type. Each test draws its own entities, hierarchy (a DAG, with dangling
parents sometimes), tags, and requests whose principal/resource may be missing from the store.
"""

from __future__ import annotations

from cedar_values import (BOOL, DATETIME, DECIMAL, DURATION, ENTITY, IPADDR, LONG, STRING,
                          CRecord, Uid, random_value, random_value_any, record_of, set_of,
                          to_json, INVALID_EXT_STRINGS, VALID_EXT_STRINGS, STRINGS)

ENTITY_TYPES = ("User", "Group", "Doc", "Folder", "App::Widget", "NS::Deep::Thing")
CONTAINER_TYPES = ("Group", "Folder", "App::Widget")
ABSENT_TYPES = ("Nope", "App::User", "user")  # never in a store; for `is` and ghosts
ACTION_TYPES = ("Action", "App::Action")
ACTION_IDS = ("read", "write", "delete", "share", "readOnly", "all", "\u00e9dit")
ACTION_GROUPS = {"read": ("readOnly",), "readOnly": ("all",), "write": ("all",),
                 "delete": ("all",), "share": ("write",), "\u00e9dit": ("write",)}
IDS = ("alice", "bob", "carol", "", "\u00fc", "e\u0301", "\u00e9", "\U0001f600", "a b", 'q"t',
       "back\\slash", "new\nline", "*", "0", "Group", "\u65e5\u672c", "tab\t", "\u01c5", "admin")

INNER = record_of(("deep", BOOL), ("x", LONG), ("tag", STRING))
PROFILE = record_of(("nick", STRING), ("rank", LONG), ("inner", INNER), ("home", ENTITY))

# Attributes every entity may carry, with their intended types.
ENTITY_ATTRS = (
    ("name", STRING), ("age", LONG), ("level", LONG), ("active", BOOL),
    ("roles", set_of(STRING)), ("nums", set_of(LONG)), ("friends", set_of(ENTITY)),
    ("manager", ENTITY), ("owner", ENTITY), ("addr", IPADDR), ("score", DECIMAL),
    ("created", DATETIME), ("ttl", DURATION), ("profile", PROFILE),
    ("weird key", STRING), ("\u00fc", LONG), ("", BOOL), ("principal", STRING),
)
ACTION_ATTRS = (("risk", LONG), ("label", STRING))
CONTEXT_ATTRS = (
    ("ip", IPADDR), ("n", LONG), ("m", LONG), ("flag", BOOL), ("s", STRING),
    ("list", set_of(LONG)), ("words", set_of(STRING)), ("now", DATETIME), ("d", DURATION),
    ("rec", PROFILE), ("ent", ENTITY), ("ents", set_of(ENTITY)), ("amount", DECIMAL),
    ("ip_s", STRING), ("dec_s", STRING), ("dt_s", STRING), ("dur_s", STRING),
    ("nested", record_of(("rec", INNER), ("flag", BOOL))), ("if", LONG),
)
# Context strings meant as extension constructor arguments, valid or not.
CONSTRUCTOR_STRINGS = {"ip_s": IPADDR, "dec_s": DECIMAL, "dt_s": DATETIME, "dur_s": DURATION}
TAG_TYPES = (("color", STRING), ("owner", STRING), ("count", LONG), ("", STRING),
             ("\u043a\u043b\u044e\u0447", STRING))


class World:
    """The entities of one test and a source of requests against them."""

    def __init__(self, rng):
        self.rng = rng
        pairs = [(t, i) for t in ENTITY_TYPES for i in IDS]
        count = rng.randint(5, 12)
        self.uids = [Uid(t, i) for t, i in rng.sample(pairs, count)]
        self.hot = self.uids[:3]
        self.ghosts = [Uid(rng.choice(ENTITY_TYPES + ABSENT_TYPES), "ghost"),
                       Uid(rng.choice(ENTITY_TYPES), rng.choice(IDS) + "\u200b")]
        self.actions = [Uid(rng.choice(ACTION_TYPES) if rng.random() < 0.1 else "Action", a)
                        for a in ACTION_IDS]
        self.absent_actions = [Uid("Action", "nope")]
        self.entities = self._entities()

    # Entity references, mostly to stored entities.
    def any_uid(self):
        """An entity reference: often one of a few "hot" entities, so scopes and `==` match."""
        roll = self.rng.random()
        if roll < 0.35:
            return self.rng.choice(self.hot)
        if roll < 0.88:
            return self.rng.choice(self.uids)
        if roll < 0.94:
            return self.rng.choice(self.ghosts)
        return self.rng.choice(self.actions)

    def request_uid(self):
        return self.rng.choice(self.hot) if self.rng.random() < 0.3 else self.any_uid()

    def container_uid(self):
        containers = [u for u in self.uids if u.type in CONTAINER_TYPES]
        if containers and self.rng.random() < 0.8:
            return self.rng.choice(containers)
        return self.any_uid()

    def action_uid(self):
        return self.rng.choice(self.actions if self.rng.random() < 0.95 else self.absent_actions)

    def _entities(self):
        rng = self.rng
        entities = []
        # Rust Cedar rejects a cyclic hierarchy outright, so parents follow a random order.
        order = rng.sample(self.uids, len(self.uids))
        for position, uid in enumerate(order):
            parents = self._parents(uid, order[position + 1:])
            entry = {"uid": {"type": uid.type, "id": uid.id},
                     "attrs": self._attrs(ENTITY_ATTRS, 0.8),
                     "parents": [{"type": p.type, "id": p.id} for p in parents]}
            if rng.random() < 0.45:
                entry["tags"] = {k: to_json(rng, self._value(t, 0.05))
                                 for k, t in TAG_TYPES if rng.random() < 0.5}
            entities.append(entry)
        for action in self.actions:
            if rng.random() < 0.1:
                continue  # an action missing from the store is still a valid request
            parents = [a for a in self.actions if a.id in ACTION_GROUPS.get(action.id, ())]
            entry = {"uid": {"type": action.type, "id": action.id},
                     "attrs": self._attrs(ACTION_ATTRS, 0.6),
                     "parents": [{"type": p.type, "id": p.id} for p in parents]}
            entities.append(entry)
        rng.shuffle(entities)
        return entities

    def _parents(self, uid, later):
        """Parents among `later` entities (so the hierarchy stays a DAG) or dangling ghosts."""
        rng = self.rng
        containers = [u for u in later if u.type in CONTAINER_TYPES]
        chosen = set()
        for _ in range(rng.choice((0, 1, 1, 1, 2, 2, 3))):
            if containers and rng.random() < 0.8:
                chosen.add(rng.choice(containers))
            elif later and rng.random() < 0.7:
                chosen.add(rng.choice(later))
            elif rng.random() < 0.5:
                chosen.add(rng.choice(self.ghosts))  # dangling parent
        return sorted(chosen, key=lambda u: (u.type, u.id))

    def _value(self, t, wrong_type_rate):
        rng = self.rng
        refs = self.uids + self.ghosts
        if rng.random() < wrong_type_rate:
            if t == ENTITY and rng.random() < 0.5:
                u = rng.choice(refs)  # an entity-shaped record: no `__entity`, so not an entity
                return CRecord((("type", u.type), ("id", u.id)))
            return random_value_any(rng, refs)
        return random_value(rng, t, refs)

    def _attrs(self, vocabulary, presence):
        return {name: to_json(self.rng, self._value(t, 0.05))
                for name, t in vocabulary if self.rng.random() < presence}

    def context(self):
        """A request context as Cedar JSON."""
        rng = self.rng
        ctx = {}
        for name, t in CONTEXT_ATTRS:
            if rng.random() >= 0.8:
                continue
            if name in CONSTRUCTOR_STRINGS:
                kind = CONSTRUCTOR_STRINGS[name]
                pool = VALID_EXT_STRINGS[kind] if rng.random() < 0.75 else INVALID_EXT_STRINGS[kind]
                ctx[name] = rng.choice(pool + (rng.choice(STRINGS),))
            else:
                ctx[name] = to_json(rng, self._value(t, 0.04))
        return ctx

    def request(self):
        principal, resource, action = self.request_uid(), self.request_uid(), self.action_uid()
        return {"principal": {"type": principal.type, "id": principal.id},
                "action": {"type": action.type, "id": action.id},
                "resource": {"type": resource.type, "id": resource.id},
                "context": self.context()}
