/// The state one authorization request is evaluated in: the request, and the entity
/// set read where its caller holds it.
///
/// An environment never outlives the call that makes one (`with(request:entities:_:)`,
/// for the length of its body; no node keeps one), so it holds the address of the
/// caller's entity set rather than a copy: a copy retained each of the set's tables for
/// every request decided, and released them after. Immutable, and its entity set is
/// never changed while it is in use: `@unchecked Sendable` is safe.
final class EvaluationEnvironment: @unchecked Sendable {
    let principal: Value
    let action: Value
    let resource: Value
    let context: Value
    private let entitiesAddress: UnsafePointer<Entities>

    /// The entity set, read in place.
    var entities: Entities {
        unsafeAddress { entitiesAddress }
    }

    private init(request: Request, entitiesAddress: UnsafePointer<Entities>) {
        self.principal = .entity(request.principal)
        self.action = .entity(request.action)
        self.resource = .entity(request.resource)
        self.context = .record(request.context)
        self.entitiesAddress = entitiesAddress
    }

    /// Runs `body` with the address of `entities`, for making environments over them
    /// (`init(request:in:)`) that live no longer than `body`.
    static func over<T, Failure: Error>(
        _ entities: Entities, _ body: (EntitiesAddress) throws(Failure) -> T
    ) throws(Failure) -> T {
        let result: Swift.Result<T, Failure> = withUnsafePointer(to: entities) { address in
            do throws(Failure) {
                return .success(try body(EntitiesAddress(address: address)))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// An environment for `request` over the entities at `entities`, valid while they are.
    convenience init(request: Request, in entities: EntitiesAddress) {
        self.init(request: request, entitiesAddress: entities.address)
    }

    /// Where an entity set lives for the length of `over(_:_:)`'s body.
    struct EntitiesAddress {
        fileprivate let address: UnsafePointer<Entities>
    }

    /// An environment with no request, for folding constant subexpressions at compile time.
    static let constantFolding = EvaluationEnvironment(
        request: Request(principal: EntityUID("", ""), action: EntityUID("", ""), resource: EntityUID("", "")),
        entitiesAddress: noEntities
    )

    /// An empty entity set that lives as long as the process, for `constantFolding`;
    /// never changed once made.
    nonisolated(unsafe) private static let noEntities: UnsafePointer<Entities> = {
        let address = UnsafeMutablePointer<Entities>.allocate(capacity: 1)
        address.initialize(to: Entities())
        return UnsafePointer(address)
    }()
}

/// A compiled expression: one small final class per operator, built once when a
/// policy is compiled and evaluated many times.
protocol Node: AnyObject, Sendable {
    /// Evaluates the expression in `env`.
    func eval(_ env: EvaluationEnvironment) throws(EvaluationError) -> Value

    /// Whether the result depends only on the node's children — not on the request,
    /// the entity store or slots — so it can be folded when its children are constants.
    var isPure: Bool { get }

    /// The node's children, for constant folding.
    var children: [any Node] { get }
}

extension Node {
    var isPure: Bool { true }
    var children: [any Node] { [] }
}

// MARK: - Typed evaluation helpers

extension Node {
    @inline(__always)
    func evalBool(_ env: EvaluationEnvironment) throws(EvaluationError) -> Bool {
        let v = try eval(env)
        guard case .bool(let b) = v else { throw .typeError(expected: "bool", got: v) }
        return b
    }




}

extension Value {
    @inline(__always)
    func asLong() throws(EvaluationError) -> Int64 {
        guard case .long(let n) = self else { throw .typeError(expected: "long", got: self) }
        return n
    }

    @inline(__always)
    func asSet() throws(EvaluationError) -> CedarSet {
        guard case .set(let s) = self else { throw .typeError(expected: "set", got: self) }
        return s
    }

    @inline(__always)
    func asEntity() throws(EvaluationError) -> EntityUID {
        guard case .entity(let uid) = self else { throw .typeError(expected: "entity", got: self) }
        return uid
    }

    @inline(__always)
    func asString() throws(EvaluationError) -> String {
        guard case .string(let s) = self else { throw .typeError(expected: "string", got: self) }
        return s
    }
}
