import Testing
@testable import Cedar

private let alice = EntityUID("User", "alice")
private let bob = EntityUID("User", "bob")
private let view = EntityUID("Action", "view")
private let edit = EntityUID("Action", "edit")
private let photo = EntityUID("Photo", "p1")
private let entities = Entities([
    Entity(uid: alice, attributes: Record([("level", .long(5))]), parents: [EntityUID("Group", "staff")]),
    Entity(uid: view, parents: [EntityUID("Action", "read")]),
])

private func decide(_ policies: String, _ request: Request) throws -> Response {
    Authorizer(try PolicySet(PolicyParser.parsePolicies(policies))).authorize(request, entities: entities)
}

@Suite struct Authorizing {
    @Test func denyIsTheDefault() throws {
        let r = try decide("", Request(principal: alice, action: view, resource: photo))
        #expect(r.decision == .deny)
        #expect(r.reasons == [])
        #expect(r.errors == [])
    }

    @Test func aSatisfiedPermitAllowsAndIsTheReason() throws {
        let r = try decide("permit(principal == User::\"alice\", action, resource);",
                           Request(principal: alice, action: view, resource: photo))
        #expect(r.decision == .allow)
        #expect(r.reasons == ["policy0"])
    }

    @Test func forbidOverridesPermit() throws {
        let r = try decide("""
            permit(principal, action, resource);
            forbid(principal in Group::"staff", action, resource);
            """, Request(principal: alice, action: view, resource: photo))
        #expect(r.decision == .deny)
        #expect(r.reasons == ["policy1"])
    }

    @Test func actionInMatchesThroughTheActionHierarchy() throws {
        let r = try decide("permit(principal, action in Action::\"read\", resource);",
                           Request(principal: alice, action: view, resource: photo))
        #expect(r.decision == .allow)
        let other = try decide("permit(principal, action in Action::\"read\", resource);",
                               Request(principal: alice, action: edit, resource: photo))
        #expect(other.decision == .deny)
    }

    @Test func anErroringPolicyIsSkippedAndReported() throws {
        let r = try decide("""
            permit(principal, action, resource) when { principal.missing };
            permit(principal, action, resource) when { principal.level > 3 };
            """, Request(principal: alice, action: view, resource: photo))
        #expect(r.decision == .allow)
        #expect(r.reasons == ["policy1"])
        #expect(r.errors.map(\.policyID) == ["policy0"])
        #expect(r.errors.first?.error.code == .attributeNotFound)
    }

    @Test func anErroringForbidDoesNotDenyInCedar() throws {
        let r = try decide("""
            permit(principal, action, resource);
            forbid(principal, action, resource) when { principal.missing };
            """, Request(principal: alice, action: view, resource: photo))
        #expect(r.decision == .allow)
        #expect(r.errors.map(\.policyID) == ["policy1"])
        #expect(r.errors.first?.effect == .forbid)
    }

    @Test func aConditionThatIsNotBooleanIsAnError() throws {
        let r = try decide("permit(principal, action, resource) when { 1 };",
                           Request(principal: alice, action: view, resource: photo))
        #expect(r.decision == .deny)
        #expect(r.errors.first?.error.code == .typeError)
    }

    @Test func unlessNegatesItsCondition() throws {
        let r = try decide("permit(principal, action, resource) unless { principal.level > 3 };",
                           Request(principal: alice, action: view, resource: photo))
        #expect(r.decision == .deny)
    }
}

@Suite struct TemplateLinking {
    @Test func aLinkedTemplateDecidesWithItsSlotsFilled() throws {
        var set = try PolicySet(PolicyParser.parsePolicies(
            "permit(principal == ?principal, action, resource in ?resource);"))
        try set.link(template: "policy0", as: "alice-photos", values: [.principal: alice, .resource: photo])
        let r = Authorizer(set).authorize(Request(principal: alice, action: view, resource: photo), entities: entities)
        #expect(r.decision == .allow)
        #expect(r.reasons == ["alice-photos"])
        let other = Authorizer(set).authorize(Request(principal: bob, action: view, resource: photo), entities: entities)
        #expect(other.decision == .deny)
    }

    @Test func linkingWithMissingSlotsIsRejected() throws {
        var set = try PolicySet(PolicyParser.parsePolicies(
            "permit(principal == ?principal, action, resource in ?resource);"))
        let error = #expect(throws: PolicySetError.self) {
            try set.link(template: "policy0", as: "x", values: [.principal: alice])
        }
        #expect(error?.code == .slotMismatch)
        #expect(error?.message == "template `policy0` has slots [?principal, ?resource] but the link gives [?principal]")
        #expect(set.policies.isEmpty)
    }

    @Test func duplicatePolicyIDsAreRejected() throws {
        var set = try PolicySet(PolicyParser.parsePolicies("permit(principal == ?principal, action, resource);"))
        try set.link(template: "policy0", as: "a", values: [.principal: alice])
        let error = #expect(throws: PolicySetError.self) {
            try set.link(template: "policy0", as: "a", values: [.principal: bob])
        }
        #expect(error?.code == .duplicateID)
        #expect(error?.message == "policy id `a` is already in use")
        #expect(set.policies.map(\.id) == ["a"])
    }
}

@Suite struct ScopeIndex {
    /// The index must never change an answer: compare against a scan over many shapes.
    @Test func indexedDecisionsEqualScanningEveryPolicy() throws {
        var text = ""
        for i in 0..<40 {
            switch i % 5 {
            case 0: text += "permit(principal == User::\"u\(i)\", action, resource);\n"
            case 1: text += "permit(principal in Group::\"g\(i % 3)\", action == Action::\"view\", resource);\n"
            case 2: text += "forbid(principal, action in [Action::\"edit\", Action::\"read\"], resource is Photo);\n"
            case 3: text += "permit(principal is User in Group::\"staff\", action, resource == Photo::\"p\(i)\");\n"
            default: text += "permit(principal, action, resource) when { principal has level };\n"
            }
        }
        let set = try PolicySet(PolicyParser.parsePolicies(text))
        let authorizer = Authorizer(set)
        let scanned = set.policies.map(CompiledPolicy.init)
        let principals = [alice, bob, EntityUID("User", "u0"), EntityUID("User", "u5"), EntityUID("Group", "staff")]
        let actions = [view, edit, EntityUID("Action", "read")]
        let resources = [photo, EntityUID("Photo", "p3"), EntityUID("Doc", "d")]
        var checked = 0
        for p in principals {
            for a in actions {
                for r in resources {
                    let request = Request(principal: p, action: a, resource: r)
                    var permits: [PolicyID] = [], forbids: [PolicyID] = []
                    EvaluationEnvironment.over(entities) { address in
                        let env = EvaluationEnvironment(request: request, in: address)
                        for policy in scanned where policy.scopeMatches(request, entities) {
                            if (try? policy.conditionsHold(env)) == true {
                                if policy.effect == .permit { permits.append(policy.id) } else { forbids.append(policy.id) }
                            }
                        }
                    }
                    let expected = forbids.isEmpty ? permits.sorted() : forbids.sorted()
                    #expect(authorizer.authorize(request, entities: entities).reasons == expected)
                    checked += 1
                }
            }
        }
        #expect(checked == 45)
    }

    /// Narrowed to one principal and action, an authorizer answers every request with
    /// them as the whole one does — errors and reasons included — whatever the resource.
    @Test func aNarrowedAuthorizerDecidesItsPrincipalAndActionAsTheWholeOneDoes() throws {
        var text = ""
        for i in 0..<40 {
            switch i % 6 {
            case 0: text += "permit(principal == User::\"alice\", action == Action::\"view\", resource == Photo::\"p\(i)\");\n"
            case 1: text += "permit(principal in Group::\"staff\", action in Action::\"read\", resource);\n"
            case 2: text += "forbid(principal, action in [Action::\"edit\", Action::\"read\"], resource is Photo) when { resource has secret };\n"
            case 3: text += "permit(principal == User::\"bob\", action, resource);\n"
            case 4: text += "forbid(principal is Group, action == Action::\"view\", resource);\n"
            default: text += "permit(principal, action, resource) when { principal.missing };\n"
            }
        }
        let whole = Authorizer(try PolicySet(PolicyParser.parsePolicies(text)))
        let narrowed = whole.narrowed(principal: alice, action: view, in: entities)
        #expect(narrowed.policyCount == 7 + 7 + 7 + 6)
        let secret = Entities([Entity(uid: EntityUID("Photo", "s"), attributes: Record([("secret", .bool(true))]))])
        for resource in [photo, EntityUID("Photo", "p6"), EntityUID("Photo", "s"), EntityUID("Doc", "d")] {
            let request = Request(principal: alice, action: view, resource: resource)
            let over = entities.layering(secret.all)
            #expect(narrowed.authorize(request, entities: over) == whole.authorize(request, entities: over))
        }
    }

    /// A narrowed authorizer left with a permit of any resource without conditions, and
    /// no forbid, allows its principal and action without evaluating — and `authorize`
    /// agrees; it claims nothing for another principal.
    @Test func aNarrowedUnconditionalPermitAllowsEveryResourceWithoutEvaluating() throws {
        let text = """
            permit(principal, action in [Action::"read", Action::"edit"], resource);
            permit(principal, action, resource is Photo) when { principal.missing };
            forbid(principal == User::"bob", action, resource);
            """
        let whole = Authorizer(try PolicySet(PolicyParser.parsePolicies(text)))
        let narrowed = whole.narrowed(principal: alice, action: view, in: entities)
        for resource in [photo, EntityUID("Doc", "d")] {
            let request = Request(principal: alice, action: view, resource: resource)
            #expect(narrowed.allowsWithoutEvaluating(request))
            #expect(narrowed.authorize(request, entities: entities).decision == .allow)
        }
        #expect(!narrowed.allowsWithoutEvaluating(Request(principal: bob, action: view, resource: photo)))
        #expect(!whole.allowsWithoutEvaluating(Request(principal: alice, action: view, resource: photo)))
    }

    /// A forbid left after narrowing, a condition or a resource scope on the only
    /// permit: `authorize` must decide, so the authorizer claims nothing.
    @Test(arguments: [
        "permit(principal, action, resource); forbid(principal, action, resource) when { resource has secret };",
        "permit(principal, action, resource) when { resource has secret };",
        "permit(principal, action, resource is Photo);",
        "permit(principal, action, resource in Group::\"staff\");",
    ])
    func aNarrowedAuthorizerThatMustEvaluateClaimsNothing(_ text: String) throws {
        let whole = Authorizer(try PolicySet(PolicyParser.parsePolicies(text)))
        let narrowed = whole.narrowed(principal: alice, action: view, in: entities)
        #expect(!narrowed.allowsWithoutEvaluating(Request(principal: alice, action: view, resource: photo)))
    }
}
