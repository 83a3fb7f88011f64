#!/usr/bin/env python3
"""Verifies a Writ audit log independently of Writ, from docs/AUDIT.md alone.

    python3 docs/audit-verify.py DATA/writ.sqlite [CHECKPOINT_DIR]

Needs Python 3.9+ and, for checkpoint signatures, the `cryptography` package.
Prints `ok: N records, M checkpoints` or the first problem, and exits 0 or 3.
"""
import glob, hashlib, json, sqlite3, struct, sys

ABSENT = b"\xff\xff\xff\xff"

def field(data):
    return struct.pack(">I", len(data)) + data

def fields(data):
    out, i = [], 0
    while i < len(data):
        (n,) = struct.unpack(">I", data[i:i + 4]); i += 4
        if n == 0xFFFFFFFF:
            out.append(None); continue
        out.append(data[i:i + n]); i += n
    if i != len(data) or len(out) != 13:
        raise ValueError("not 13 fields")
    return out

def canonical_json(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

def fail(message):
    print("failed: " + message)
    sys.exit(3)

def verify(db_path, checkpoint_dir=None):
    db = sqlite3.connect("file:" + db_path + "?mode=ro", uri=True)
    checkpoints = [dict(zip(("size", "head_hash", "time_micros", "key_id", "public_key", "signature"), row))
                   for row in db.execute("SELECT size, head_hash, time_us, key_id, public_key, signature FROM audit_checkpoint")]
    for name in sorted(glob.glob((checkpoint_dir or "/nonexistent") + "/checkpoint-*.json")):
        c = json.load(open(name))
        checkpoints.append({"size": c["size"], "head_hash": bytes.fromhex(c["head_hash"]),
                            "time_micros": c["time_micros"], "key_id": c["key_id"].encode(),
                            "public_key": bytes.fromhex(c["public_key"]), "signature": bytes.fromhex(c["signature"])})
    heads = {}
    for c in checkpoints:
        signed = (field(b"writ.audit.checkpoint.v1") + field(struct.pack(">q", c["size"])) + field(c["head_hash"])
                  + field(struct.pack(">q", c["time_micros"])) + field(bytes(c["key_id"])))
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
        try:
            Ed25519PublicKey.from_public_bytes(c["public_key"]).verify(c["signature"], signed)
        except Exception:
            fail("checkpoint of size %d: bad signature" % c["size"])
        if heads.setdefault(c["size"], c["head_hash"]) != c["head_hash"]:
            fail("record %d: checkpoint mismatch at size %d" % (c["size"], c["size"]))
    previous, expected = bytes(32), 1
    columns = ["kind", "actor", "decision_id", "task_id", "agent", "user_id", "resource", "action", "outcome"]
    for row in db.execute("SELECT sequence, hash, canonical, time_us, previous_hash, " + ", ".join(columns)
                          + " FROM audit_record ORDER BY sequence"):
        sequence, stored_hash, canonical = row[0], row[1], row[2]
        if sequence != expected:
            fail("record %d: missing sequence" % expected)
        if hashlib.sha256(field(b"writ.audit.record.v1") + canonical).digest() != stored_hash:
            fail("record %d: hash mismatch" % sequence)
        f = fields(canonical)
        details = f[11].decode()
        if canonical_json(json.loads(details)) != details:
            fail("record %d: details not canonical" % sequence)
        decoded = [struct.unpack(">q", f[0])[0], struct.unpack(">q", f[1])[0], f[12]] + [f[2]] + f[3:11]
        stored = [sequence, row[3], row[4]] + list(row[5:])
        if decoded != stored:
            fail("record %d: a column differs from its canonical bytes" % sequence)
        if f[12] != previous:
            fail("record %d: link broken" % sequence)
        if sequence in heads and heads[sequence] != stored_hash:
            fail("record %d: checkpoint mismatch at size %d" % (sequence, sequence))
        previous, expected = stored_hash, expected + 1
    if heads and max(heads) > expected - 1:
        fail("record %d: truncated below checkpoint size %d" % (expected, max(heads)))
    print("ok: %d records, %d checkpoints" % (expected - 1, len(checkpoints)))

if __name__ == "__main__":
    verify(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
