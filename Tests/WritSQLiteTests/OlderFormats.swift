/// SQL that turns a store of the current format back into what older builds wrote, for
/// tests of the upgrades.
enum OlderFormats {
    /// Format 8 back to 7: the audit log's indexes whole again, no `pending` column, no
    /// `audit_indexed_through`.
    static let seven = """
        DROP INDEX audit_by_task;
        DROP INDEX audit_by_agent;
        DROP INDEX audit_by_user;
        DROP INDEX audit_by_resource;
        DROP INDEX audit_by_decision;
        DROP INDEX audit_by_time;
        ALTER TABLE audit_record DROP COLUMN pending;
        CREATE INDEX audit_by_task ON audit_record (task_id, sequence);
        CREATE INDEX audit_by_agent ON audit_record (agent, sequence);
        CREATE INDEX audit_by_user ON audit_record (user_id, sequence);
        CREATE INDEX audit_by_resource ON audit_record (resource, sequence);
        CREATE INDEX audit_by_decision ON audit_record (decision_id);
        CREATE INDEX audit_by_time ON audit_record (time_us);
        DELETE FROM counter WHERE name = 'audit_indexed_through';
        DELETE FROM grdb_migrations WHERE identifier = 'v8-audit-batched-indexes';
        PRAGMA user_version = 7;

        """
}
