// MERGE SHIM — replace when the extensions branch is merged.
//
// The JSON formats reach Cedar's extension functions only through
// `ExtensionBridge.standard`. This branch was written before `Extensions` existed,
// so the bridge below refuses every call. At merge, define `standard` from the real
// API (two closures) and delete this file, e.g.:
//
//     extension ExtensionBridge {
//         package static let standard = ExtensionBridge(
//             call: { name, arguments throws(EvaluationError) in
//                 try Extensions.call(name, arguments)          // apply by name, arity checked
//             },
//             constructor: { value in
//                 (value.constructorName, value.canonicalArgument)  // e.g. ("ip", "10.0.0.0/8")
//             })
//     }

extension ExtensionBridge {
    /// The bridge to Cedar's extension functions.
    package static let standard = ExtensionBridge(
        call: { name, _ throws(EvaluationError) in
            throw EvaluationError(.extensionError, "extension function `\(name)` is not available in this build")
        },
        constructor: { value in
            (value.typeName == "ipaddr" ? "ip" : value.typeName, "")
        })
}
