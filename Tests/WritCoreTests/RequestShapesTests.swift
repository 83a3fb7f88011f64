import Cedar
import Foundation
import Testing
@testable import WritCore

/// `RequestShapes` validates the first request of each shape whole and, for the
/// others, checks only ids — and only where a type is enumerated, whose ids the
/// schema lists.
@Suite struct RequestShapesTests {
    static let schema = """
        entity User;
        entity Color enum ["red", "green"];
        entity Document;
        action view appliesTo { principal: User, resource: [Color, Document] };
        """

    static func shapes() throws -> RequestShapes {
        let compiled = try PolicySetCompiler.compile(
            files: [SourceFile(name: "p.cedar", text: "permit (principal, action, resource);")],
            schema: SchemaSource(format: .cedar, file: SourceFile(name: "s.cedarschema", text: schema)))
        let engine = PolicyEngine(
            version: PolicySetSummary(version: 1, author: "test", comment: nil, createdAt: Date(), digest: ""),
            compiled: compiled, entities: Entities(), storedEntities: [:], mode: .strict)
        return RequestShapes(engine)
    }

    static func view(_ type: String, _ id: String) -> Request {
        Request(principal: EntityUID("User", "alice"), action: EntityUID("Action", "view"), resource: EntityUID(type, id))
    }

    @Test func anIDAnEnumeratedTypeDoesNotListIsFoundAfterItsShapeWasValidated() throws {
        var shapes = try Self.shapes()
        #expect(shapes.problem(Self.view("Color", "red"), labelled: false) == nil)
        #expect(shapes.problem(Self.view("Color", "green"), labelled: false) == nil)
        #expect(shapes.problem(Self.view("Color", "blue"), labelled: false) == """
            entity `Color::"blue"` is of an enumerated entity type, but `"blue"` is not declared as a valid eid \
            (the ids are `"red"`, `"green"`)
            """)
    }

    @Test func anyIDOfATypeThatIsNotEnumeratedIsValidAfterItsShapeWas() throws {
        var shapes = try Self.shapes()
        #expect(shapes.problem(Self.view("Document", "a"), labelled: false) == nil)
        #expect(shapes.problem(Self.view("Document", "blue"), labelled: false) == nil)
    }

    @Test func aSecondShapeIsValidatedWholeAndAnUndeclaredTypeNamed() throws {
        var shapes = try Self.shapes()
        #expect(shapes.problem(Self.view("Document", "a"), labelled: false) == nil)
        #expect(shapes.problem(Self.view("Color", "red"), labelled: false) == nil)
        #expect(shapes.problem(Self.view("Photo", "a"), labelled: false) == "resource type `Photo` is not declared in the schema")
        #expect(shapes.problem(Self.view("Color", "blue"), labelled: false) == """
            entity `Color::"blue"` is of an enumerated entity type, but `"blue"` is not declared as a valid eid \
            (the ids are `"red"`, `"green"`)
            """)
    }
}
