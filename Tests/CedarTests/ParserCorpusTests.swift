import Foundation
import WritProcess
import Testing

@testable import Cedar

/// The policy texts of the shared conformance data: the generated corpus (unpacked
/// from its tarball into a temporary folder, read, and removed) and the handwritten and
/// example policy sets. Paths are found from this file's location, so the tests run
/// from any checkout that sits beside `shared/`.
enum ConformancePolicies {
    /// A policy file's name and text.
    struct File: Sendable {
        let name: String
        let text: String
    }

    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // CedarTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root
        .deletingLastPathComponent()  // the folder holding the checkout and shared/
        .appendingPathComponent("shared/conformance/cedar")

    /// Every `.cedar` file of the generated corpus, or none when the tarball is missing.
    static let corpus: [File] = {
        let tarball = root.appendingPathComponent("corpus-dev.tar.gz")
        guard FileManager.default.fileExists(atPath: tarball.path) else { return [] }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cedar-corpus-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        guard (try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)) != nil else {
            return []
        }
        guard let tar = try? ChildProcess(
            executable: "/usr/bin/env",
            arguments: ["tar", "-xzf", tarball.path, "-C", folder.path, "--wildcards", "*.cedar"],
            standardInput: .null
        ) else { return [] }
        tar.waitUntilExit()
        return files(under: folder)
    }()

    /// The handwritten tests' and the example applications' `.cedar` files.
    static let handwrittenAndExamples: [File] =
        files(under: root.appendingPathComponent("handwritten")) + files(under: root.appendingPathComponent("examples"))

    private static func files(under folder: URL) -> [File] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else {
            return []
        }
        return walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "cedar" }
            .sorted { $0.path < $1.path }
            .map { File(name: $0.lastPathComponent, text: (try? String(contentsOf: $0, encoding: .utf8)) ?? "") }
    }
}

@Suite struct ParserCorpus {
    @Test func conformanceDataIsPresent() {
        #expect(ConformancePolicies.corpus.count == 3957)
        #expect(ConformancePolicies.handwrittenAndExamples.count == 36)
    }

    @Test func everyCorpusPolicyParses() {
        var failures: [String] = []
        for file in ConformancePolicies.corpus {
            do {
                let policies = try PolicyParser.parsePolicies(file.text)
                if policies.count != 1 { failures.append("\(file.name): \(policies.count) policies") }
            } catch {
                failures.append("\(file.name): \(error)")
            }
        }
        #expect(failures == [])
    }

    @Test func everyHandwrittenAndExamplePolicySetParses() {
        var failures: [String] = []
        for file in ConformancePolicies.handwrittenAndExamples {
            do {
                let policies = try PolicyParser.parsePolicies(file.text)
                if policies.isEmpty { failures.append("\(file.name): no policies") }
            } catch {
                failures.append("\(file.name): \(error)")
            }
        }
        #expect(failures == [])
    }

    @Test func formattingEveryCorpusPolicyRoundTrips() {
        var failures: [String] = []
        for file in ConformancePolicies.corpus {
            guard let policies = try? PolicyParser.parsePolicies(file.text) else { continue }
            let text = PolicyFormatter.format(policies)
            do {
                let reparsed = try PolicyParser.parsePolicies(text)
                if reparsed != policies { failures.append("\(file.name): changed\n\(text)") }
            } catch {
                failures.append("\(file.name): \(error)\n\(text)")
            }
        }
        #expect(failures == [])
    }

    @Test func formattingEveryHandwrittenAndExamplePolicyRoundTrips() throws {
        for file in ConformancePolicies.handwrittenAndExamples {
            let policies = try PolicyParser.parsePolicies(file.text)
            let text = PolicyFormatter.format(policies)
            #expect(try PolicyParser.parsePolicies(text) == policies, "\(file.name)")
        }
    }
}
