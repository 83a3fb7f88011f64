import Foundation
import WritCore

/// One upstream MCP server, as `--upstream NAME=COMMAND [ARGS…]` gives it (started as a
/// subprocess speaking MCP over its standard input and output) or `--upstream NAME=URL`
/// (an `http://` or `https://` MCP endpoint, reached over Streamable HTTP).
public struct UpstreamSpec: Sendable, Equatable {
    /// The name tools are namespaced by: `<name>___<tool>`.
    public var name: String
    /// The program (looked up on `PATH` when it has no `/`); empty for a URL upstream.
    public var command: String
    public var arguments: [String]
    /// The MCP endpoint of an HTTP upstream; nil for a subprocess.
    public var url: String?
    /// The audience of the credentials the gateway sends this upstream
    /// (`--upstream-audience NAME=AUDIENCE`); nil sends none.
    public var audience: String?

    /// The separator between an upstream's name and its tool's name.
    public static let separator = "___"

    /// The upstream's name and its own name for the thing `namespaced` names (the text
    /// before and after the first `___`), compared byte for byte; nil without a `___`.
    static func splitNamespaced(_ namespaced: String) -> (upstream: String, name: String)? {
        let bytes = namespaced.utf8
        var run = 0
        var index = bytes.startIndex
        while index != bytes.endIndex {
            run = bytes[index] == UInt8(ascii: "_") ? run + 1 : 0
            bytes.formIndex(after: &index)
            if run == 3 {
                let start = bytes.index(index, offsetBy: -3)
                return (String(decoding: bytes[..<start], as: UTF8.self), String(decoding: bytes[index...], as: UTF8.self))
            }
        }
        return nil
    }

    public init(name: String, command: String, arguments: [String], url: String? = nil, audience: String? = nil) {
        self.name = name
        self.command = command
        self.arguments = arguments
        self.url = url
        self.audience = audience
    }

    /// Reads `NAME=URL`, `http://` or `https://` without user, query or fragment.
    static func parseURL(name: String, _ text: String) throws(WritError) -> UpstreamSpec {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = url.host, !host.isEmpty, url.user == nil, url.password == nil, url.fragment == nil,
            !text.contains(" ")
        else {
            throw WritError(.invalidRequest, "--upstream `\(name)` URL `\(text)` is not an http:// or https:// URL")
        }
        return UpstreamSpec(name: name, command: "", arguments: [], url: text)
    }

    /// Reads `NAME=COMMAND ARGS…`. NAME is 1 to 64 ASCII letters, digits, `-` and `_`,
    /// without `___`. The command line is split at spaces; single or double quotes keep
    /// spaces inside one argument (no other shell syntax).
    public static func parse(_ text: String) throws(WritError) -> UpstreamSpec {
        guard let equals = text.firstIndex(of: "=") else {
            throw WritError(.invalidRequest, "--upstream `\(text)` is not NAME=COMMAND [ARGS…]")
        }
        let name = String(text[..<equals])
        let allowed = name.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_")
        }
        guard (1...64).contains(name.count), allowed, !name.contains(separator) else {
            throw WritError(
                .invalidRequest,
                "--upstream name `\(name)` must be 1 to 64 ASCII letters, digits, `-` and `_`, without `\(separator)`")
        }
        let rest = String(text[text.index(after: equals)...])
        if rest.lowercased().hasPrefix("http://") || rest.lowercased().hasPrefix("https://") {
            return try parseURL(name: name, rest)
        }
        let words = try split(rest)
        guard let command = words.first else { throw WritError(.invalidRequest, "--upstream `\(name)` has no command") }
        return UpstreamSpec(name: name, command: command, arguments: Array(words.dropFirst()))
    }

    private static func split(_ line: String) throws(WritError) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        for character in line {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "'" || character == "\"" {
                quote = character
                inWord = true
            } else if character == " " || character == "\t" {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        guard quote == nil else { throw WritError(.invalidRequest, "--upstream command `\(line)` has an unclosed quote") }
        if inWord { words.append(current) }
        return words
    }
}
