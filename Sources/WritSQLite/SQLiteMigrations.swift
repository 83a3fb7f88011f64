import GRDB

/// The store's schema, built by GRDB migrations, and the format version that
/// identifies it.
///
/// Every user-supplied string is stored as a UTF-8 BLOB: GRDB binds and reads
/// `String` as a C string, which would cut text at its first NUL, while a BLOB
/// keeps every scalar. BLOBs compare with `memcmp`, and UTF-8 byte order is
/// Unicode scalar order, so keys and ordering are exact and never normalised.
/// Dates are `REAL` seconds since 2001-01-01 UTC (Foundation's reference date),
/// which reads back to the same `Date` bit for bit.
enum SQLiteMigrations {
    /// Marks a database file as Writ's (`PRAGMA application_id`, ASCII "Writ").
    static let applicationID: Int32 = 0x5772_6974

    /// The newest store format this build writes and reads (`PRAGMA user_version`).
    static let formatVersion = 8

    /// The tables a current database must have.
    static let tables = ["policy_set_version", "entity", "counter", "api_key", "task", "signing_key", "approval", "audit_record", "audit_checkpoint", "inventory_item"]

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE policy_set_version (
                    version INTEGER PRIMARY KEY CHECK (version >= 1),
                    files BLOB NOT NULL,
                    schema BLOB,
                    author BLOB NOT NULL,
                    comment BLOB,
                    created_at REAL NOT NULL,
                    digest TEXT NOT NULL
                ) STRICT;
                CREATE TABLE entity (
                    type BLOB NOT NULL,
                    id BLOB NOT NULL,
                    json BLOB NOT NULL,
                    PRIMARY KEY (type, id)
                ) STRICT, WITHOUT ROWID;
                CREATE TABLE counter (
                    name TEXT PRIMARY KEY,
                    value INTEGER NOT NULL
                ) STRICT;
                INSERT INTO counter (name, value) VALUES ('entity_revision', 0);
                CREATE TABLE api_key (
                    seq INTEGER PRIMARY KEY,
                    id BLOB NOT NULL UNIQUE,
                    name BLOB NOT NULL,
                    scopes TEXT NOT NULL,
                    secret_digest BLOB NOT NULL,
                    created_at REAL NOT NULL,
                    revoked_at REAL
                ) STRICT;
                PRAGMA application_id = \(applicationID);
                PRAGMA user_version = 1;
                """)
        }
        migrator.registerMigration("v2-tasks") { db in
            // `mandate`, `budgets`, `counters` and `labels` are JSON. `parent_id`
            // references a task inserted earlier, so the parent links cannot cycle.
            try db.execute(sql: """
                CREATE TABLE task (
                    seq INTEGER PRIMARY KEY,
                    id BLOB NOT NULL UNIQUE,
                    parent_id BLOB REFERENCES task (id),
                    agent BLOB NOT NULL,
                    on_behalf_of BLOB NOT NULL,
                    purpose BLOB NOT NULL,
                    mandate BLOB NOT NULL,
                    depth INTEGER NOT NULL CHECK (depth >= 0),
                    opened_at REAL NOT NULL,
                    expires_at REAL NOT NULL,
                    closed_at REAL,
                    opened_by BLOB NOT NULL,
                    budgets BLOB NOT NULL,
                    counters BLOB NOT NULL,
                    labels BLOB NOT NULL
                ) STRICT;
                CREATE INDEX task_by_parent ON task (parent_id);
                CREATE INDEX task_by_agent ON task (agent, opened_at, id);
                CREATE INDEX task_by_user ON task (on_behalf_of, opened_at, id);
                CREATE INDEX task_by_opening ON task (opened_at, id);
                PRAGMA user_version = 2;
                """)
        }
        // Ed25519 keys for task credentials: the 32-byte private seed, stored as is.
        migrator.registerMigration("v3-signing-keys") { db in
            try db.execute(sql: """
                CREATE TABLE signing_key (
                    seq INTEGER PRIMARY KEY,
                    id BLOB NOT NULL UNIQUE,
                    private_key BLOB NOT NULL,
                    created_at REAL NOT NULL,
                    retired_at REAL
                ) STRICT;
                PRAGMA user_version = 3;
                """)
        }
        // Approvals: the record as JSON, with the columns compare-and-set reads.
        migrator.registerMigration("v4-approvals") { db in
            try db.execute(sql: """
                CREATE TABLE approval (
                    seq INTEGER PRIMARY KEY,
                    id BLOB NOT NULL UNIQUE,
                    digest TEXT NOT NULL,
                    state TEXT NOT NULL,
                    requested_at REAL NOT NULL,
                    expires_at REAL NOT NULL,
                    json BLOB NOT NULL
                ) STRICT;
                CREATE INDEX approval_by_digest ON approval (digest, requested_at);
                CREATE INDEX approval_by_state ON approval (state, requested_at);
                PRAGMA user_version = 4;
                """)
        }
        // The audit log: each record's canonical bytes (what its hash covers) with the
        // columns queries select on; verification checks the columns against the bytes.
        // Times are integer microseconds since 1970 (docs/AUDIT.md).
        migrator.registerMigration("v5-audit") { db in
            try db.execute(sql: """
                CREATE TABLE audit_record (
                    sequence INTEGER PRIMARY KEY CHECK (sequence >= 1),
                    kind BLOB NOT NULL,
                    time_us INTEGER NOT NULL,
                    actor BLOB,
                    decision_id BLOB,
                    task_id BLOB,
                    agent BLOB,
                    user_id BLOB,
                    resource BLOB,
                    action BLOB,
                    outcome BLOB,
                    previous_hash BLOB NOT NULL,
                    hash BLOB NOT NULL,
                    canonical BLOB NOT NULL
                ) STRICT;
                CREATE INDEX audit_by_task ON audit_record (task_id, sequence);
                CREATE INDEX audit_by_agent ON audit_record (agent, sequence);
                CREATE INDEX audit_by_user ON audit_record (user_id, sequence);
                CREATE INDEX audit_by_resource ON audit_record (resource, sequence);
                CREATE INDEX audit_by_action ON audit_record (action, sequence);
                CREATE INDEX audit_by_decision ON audit_record (decision_id);
                CREATE INDEX audit_by_kind ON audit_record (kind, sequence);
                CREATE INDEX audit_by_outcome ON audit_record (outcome, sequence);
                CREATE INDEX audit_by_time ON audit_record (time_us);
                CREATE TABLE audit_checkpoint (
                    seq INTEGER PRIMARY KEY,
                    size INTEGER NOT NULL CHECK (size >= 0),
                    head_hash BLOB NOT NULL,
                    time_us INTEGER NOT NULL,
                    key_id BLOB NOT NULL,
                    public_key BLOB NOT NULL,
                    signature BLOB NOT NULL
                ) STRICT;
                PRAGMA user_version = 5;
                """)
        }
        // The inventory: each item as JSON (docs/INVENTORY.md), keyed by its entity uid,
        // with a revision every change advances.
        migrator.registerMigration("v6-inventory") { db in
            try db.execute(sql: """
                CREATE TABLE inventory_item (
                    type BLOB NOT NULL,
                    id BLOB NOT NULL,
                    json BLOB NOT NULL,
                    PRIMARY KEY (type, id)
                ) STRICT, WITHOUT ROWID;
                INSERT INTO counter (name, value) VALUES ('inventory_revision', 0);
                PRAGMA user_version = 6;
                """)
        }
        // Every index on `audit_record` costs each appended record a B-tree insert and, in
        // WAL mode, a page written to the log and synced before the decision is answered.
        // Kept: the selective ones (task, agent, user, resource, decision id) and time.
        // Dropped: action, kind and outcome, which take a handful of values each, so a
        // query on them reads the log in sequence order and stops at its page size.
        migrator.registerMigration("v7-audit-lean-indexes") { db in
            try db.execute(sql: """
                DROP INDEX audit_by_action;
                DROP INDEX audit_by_kind;
                DROP INDEX audit_by_outcome;
                PRAGMA user_version = 7;
                """)
        }
        // Records enter the indexes in batches (`SQLiteStore.auditIndexBatch`): a record
        // is appended `pending`, outside every (partial) index, so a decision's commit
        // writes the table's page and not one page per index; once a batch is pending,
        // the commit that completes it moves the batch into the indexes.
        // `audit_indexed_through` is the last sequence indexed; queries read the indexes
        // up to it and the few pending records after it in sequence order.
        migrator.registerMigration("v8-audit-batched-indexes") { db in
            try db.execute(sql: """
                ALTER TABLE audit_record ADD COLUMN pending INTEGER NOT NULL DEFAULT 0;
                DROP INDEX audit_by_task;
                DROP INDEX audit_by_agent;
                DROP INDEX audit_by_user;
                DROP INDEX audit_by_resource;
                DROP INDEX audit_by_decision;
                DROP INDEX audit_by_time;
                CREATE INDEX audit_by_task ON audit_record (task_id, sequence) WHERE pending = 0;
                CREATE INDEX audit_by_agent ON audit_record (agent, sequence) WHERE pending = 0;
                CREATE INDEX audit_by_user ON audit_record (user_id, sequence) WHERE pending = 0;
                CREATE INDEX audit_by_resource ON audit_record (resource, sequence) WHERE pending = 0;
                CREATE INDEX audit_by_decision ON audit_record (decision_id) WHERE pending = 0;
                CREATE INDEX audit_by_time ON audit_record (time_us) WHERE pending = 0;
                INSERT INTO counter (name, value) VALUES ('audit_indexed_through', (SELECT COALESCE(MAX(sequence), 0) FROM audit_record));
                PRAGMA user_version = 8;
                """)
        }
        return migrator
    }
}
