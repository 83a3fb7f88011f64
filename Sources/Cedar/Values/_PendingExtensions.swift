// Temporary until the extensions branch merges.
enum Extensions { static func function(named: String) -> ExtensionFunction? { nil } }
extension ExtensionValue { func compare(_ other: ExtensionValue) -> Int? { nil } }
