import Foundation
import WritProcess
import Testing

@testable import Cedar

/// The schemas of the shared conformance data: the generated corpus's `.cedarschema`
/// files (unpacked from its tarball into a temporary folder, read, and removed), and
/// the handwritten and example `.cedarschema` and `.cedarschema.json` files.
enum ConformanceSchemas {
    /// A schema file's name, text and format.
    struct File: Sendable, CustomStringConvertible {
        let name: String
        let text: String
        var isJSON: Bool { name.hasSuffix(".json") }
        var description: String { name }

        func parse() throws(SchemaError) -> SchemaFragment {
            isJSON ? try SchemaFragment.parse(json: text) : try SchemaFragment.parse(cedarSchema: text)
        }
    }

    static let root = ConformancePolicies.root

    /// Every `.cedarschema` file of the generated corpus, or none when the tarball is missing.
    static let corpus: [File] = {
        let tarball = root.appendingPathComponent("corpus-dev.tar.gz")
        guard FileManager.default.fileExists(atPath: tarball.path) else { return [] }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cedar-schemas-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        guard (try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)) != nil else {
            return []
        }
        guard let tar = try? ChildProcess(
            executable: "/usr/bin/env",
            arguments: ["tar", "-xzf", tarball.path, "-C", folder.path, "--wildcards", "*.cedarschema"],
            standardInput: .null
        ) else { return [] }
        tar.waitUntilExit()
        return files(under: folder)
    }()

    /// The handwritten tests' and the example applications' schema files.
    static let handwrittenAndExamples: [File] =
        files(under: root.appendingPathComponent("handwritten")) + files(under: root.appendingPathComponent("examples"))

    static var all: [File] { corpus + handwrittenAndExamples }

    private static func files(under folder: URL) -> [File] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else {
            return []
        }
        return walker.compactMap { $0 as? URL }
            .filter {
                $0.lastPathComponent.hasSuffix(".cedarschema") || $0.lastPathComponent.hasSuffix(".cedarschema.json")
            }
            .sorted { $0.path < $1.path }
            .map { File(name: $0.lastPathComponent, text: (try? String(contentsOf: $0, encoding: .utf8)) ?? "") }
    }

    /// The first file for which `check` fails, with why, or nil.
    static func firstFailure(_ check: (File) throws -> Bool) -> String? {
        for file in all {
            do {
                if try !check(file) { return "\(file.name): check failed" }
            } catch {
                return "\(file.name): \(error)"
            }
        }
        return nil
    }
}

@Suite struct SchemaCorpus {
    @Test func conformanceSchemasArePresent() {
        #expect(ConformanceSchemas.corpus.count == 3957)
        #expect(ConformanceSchemas.handwrittenAndExamples.filter { !$0.isJSON }.count == 12)
        #expect(ConformanceSchemas.handwrittenAndExamples.filter(\.isJSON).count == 5)
    }

    @Test func everySchemaParsesAndResolves() {
        let failure = ConformanceSchemas.firstFailure { file in
            _ = try file.parse().resolve()
            return true
        }
        #expect(failure == nil)
    }

    @Test func humanTextReparsesToTheSameFragment() {
        let failure = ConformanceSchemas.firstFailure { file in
            let fragment = try file.parse()
            let text = try fragment.cedarSchemaText
            let reparsed = try SchemaFragment.parse(cedarSchema: text)
            // Printing is canonical: the reprint reads back to the fragment it came from
            // and prints identically. (The first print may spell an action group `"g"` as
            // `Action::"g"`, as Rust Cedar does, so the original is compared resolved.)
            let reprinted = try reparsed.cedarSchemaText
            let reparsedAgain = try SchemaFragment.parse(cedarSchema: reprinted)
            let schema = try fragment.resolve()
            let reparsedSchema = try reparsed.resolve()
            return reprinted == text && reparsedAgain == reparsed && reparsedSchema == schema
        }
        #expect(failure == nil)
    }

    @Test func jsonTextReparsesToTheSameFragment() {
        let failure = ConformanceSchemas.firstFailure { file in
            let fragment = try file.parse()
            let compact = try SchemaFragment.parse(json: fragment.jsonText())
            let pretty = try SchemaFragment.parse(json: fragment.jsonText(pretty: true))
            return compact == fragment && pretty == fragment
        }
        #expect(failure == nil)
    }

    @Test func bothFormatsResolveToTheSameSchema() {
        let failure = ConformanceSchemas.firstFailure { file in
            let fragment = try file.parse()
            let schema = try fragment.resolve()
            let viaJSON = try Schema(json: fragment.jsonText())
            let viaHuman = try Schema(cedarSchema: fragment.cedarSchemaText)
            return viaJSON == schema && viaHuman == schema
        }
        #expect(failure == nil)
    }

    @Test func sandboxSchemaResolvesToItsDeclarations() throws {
        let file = try #require(
            ConformanceSchemas.handwrittenAndExamples.first { $0.name == "schema_exts.cedarschema" })
        let schema = try file.parse().resolve()
        #expect(
            schema.entityTypes.keys.map(\.name).sorted() == [
                "Account", "AccountGroup", "Administrator", "Album", "Photo", "User", "UserGroup",
            ])
        let view = try #require(schema.actions[EntityUID("Action", "view")])
        #expect(view.principalTypes == [EntityType("User")])
        #expect(view.resourceTypes == [EntityType("Photo")])
        #expect(view.context["confidence_score"]?.type == .extension("decimal"))
        #expect(view.context["source_ip"]?.type == .extension("ipaddr"))
        let photo = try #require(schema.entityTypes[EntityType("Photo")])
        #expect(photo.memberOfTypes == [EntityType("Account"), EntityType("Album")])
        #expect(photo.attributes["admins"]?.type == .set(.entity(EntityType("User"))))
    }
}
