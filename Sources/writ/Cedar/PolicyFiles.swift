import Cedar
import Foundation

/// Reading the files the `cedar` commands take, with errors that name the file.
enum PolicyFiles {
    static func read(_ path: String) throws -> String {
        if path == "-" {
            var lines: [String] = []
            while let line = readLine(strippingNewline: false) { lines.append(line) }
            return lines.joined()
        }
        // FileHandle reads pipes and process substitutions too, which FileManager does not.
        guard let handle = FileHandle(forReadingAtPath: path),
              let data = try? handle.readToEnd() ?? Data()
        else {
            throw InputError("cannot read `\(path)`")
        }
        try? handle.close()
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError("`\(path)` is not valid UTF-8")
        }
        return text
    }

    /// Parses a policy file (Cedar text, or the JSON policy format when it ends in `.json`).
    /// A policy written in Cedar text takes its id from an `@id("…")` annotation when it
    /// has one, and is `policyN` (its position) otherwise, as the Cedar CLI does.
    static func policySet(_ path: String) throws -> PolicySet {
        let text = try read(path)
        do {
            if path.hasSuffix(".json") {
                let document = try PolicyJSON.decodePolicySet(text)
                var set = PolicySet()
                for p in document.staticPolicies + document.templates { try set.add(p) }
                for l in document.templateLinks { try set.link(template: l.templateID, as: l.newID, values: l.values) }
                return set
            }
            return try PolicySet(PolicyParser.parsePolicies(text).map { policy in
                var p = policy
                if let id = p.annotation("id") { p.id = id }
                return p
            })
        } catch let error as ParseError {
            throw InputError("\(path):\(error)")
        } catch {
            throw InputError("\(path): \(error)")
        }
    }

    static func entities(_ path: String?) throws -> Entities {
        guard let path else { return Entities() }
        do {
            return try EntityJSON.parseEntities(try read(path))
        } catch let error as InputError {
            throw error
        } catch {
            throw InputError("\(path): \(error)")
        }
    }
}
