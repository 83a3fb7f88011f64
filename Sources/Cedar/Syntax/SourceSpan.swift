/// A position in policy or schema text: 1-based line and column (columns count
/// Unicode scalars), and the 0-based UTF-8 offset.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var offset: Int
    public init(line: Int, column: Int, offset: Int) {
        self.line = line
        self.column = column
        self.offset = offset
    }
    public var description: String { "\(line):\(column)" }
}

/// The range of text a syntax node came from.
public struct SourceSpan: Sendable, Hashable, CustomStringConvertible {
    public var start: SourceLocation
    public var end: SourceLocation
    public init(start: SourceLocation, end: SourceLocation) {
        self.start = start
        self.end = end
    }
    public var description: String { start.description }
}
