import Foundation

/// Renders values so that two renderings are equal exactly when the values are:
/// strings scalar for scalar (Swift's `==` would equate `"é"` and `"e\u{301}"`), dates
/// to the last bit, sets in a fixed order. Non-ASCII and control scalars are shown
/// as `\u{…}`, so a failure message shows where two values differ.
enum Exact {
    static func text(_ value: Any) -> String {
        switch value {
        case let string as String:
            return quoted(string)
        case let date as Date:
            return "Date(\(date.timeIntervalSinceReferenceDate))"
        default:
            break
        }
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            return mirror.children.first.map { text($0.value) } ?? "nil"
        }
        let children = mirror.children.map { child in
            (child.label.map { "\($0): " } ?? "") + text(child.value)
        }
        switch mirror.displayStyle {
        case .collection, .tuple:
            return "[" + children.joined(separator: ", ") + "]"
        case .set, .dictionary:
            return "{" + children.sorted().joined(separator: ", ") + "}"
        case .struct, .class:
            return "\(mirror.subjectType)(" + children.joined(separator: ", ") + ")"
        case .enum, nil:
            return String(describing: value)
        default:
            return String(describing: value)
        }
    }

    private static func quoted(_ string: String) -> String {
        var out = "\""
        for scalar in string.unicodeScalars {
            switch scalar.value {
            case 0x22, 0x5C:
                out += "\\" + String(scalar)
            case 0x20...0x7E:
                out.unicodeScalars.append(scalar)
            default:
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        }
        return out + "\""
    }
}
