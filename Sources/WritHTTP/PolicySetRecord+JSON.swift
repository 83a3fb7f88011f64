import Cedar
import Foundation
import WritCore

extension PolicySetSummary {
    /// `{"version", "digest", "author", "comment"?, "created_at"}`.
    var json: JSON { .members(jsonMembers) }

    var jsonMembers: [(key: String, value: JSON)] {
        var members: [(key: String, value: JSON)] = [
            ("version", .integer(version)), ("digest", .string(digest)), ("author", .string(author)),
        ]
        if let comment { members.append(("comment", .string(comment))) }
        members.append(("created_at", .string(createdAt.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))))
        return members
    }
}

extension PolicySetRecord {
    /// The summary's members plus `"files": [{"name", "text"}]` and, when there is
    /// one, `"schema": {"format": "cedar"|"json", "name", "text"}`.
    var json: JSON {
        var members = summary.jsonMembers
        members.append(("files", .array(files.map { .members([("name", .string($0.name)), ("text", .string($0.text))]) })))
        if let schema {
            members.append(("schema", .members([
                ("format", .string(schema.format.rawValue)), ("name", .string(schema.file.name)),
                ("text", .string(schema.file.text)),
            ])))
        }
        return .members(members)
    }
}
