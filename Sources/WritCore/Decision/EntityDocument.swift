import Cedar

/// Reading and checking entities in Cedar's entity JSON format for the entity store.
enum EntityDocument {
    /// Splits an entities document (a JSON array of entity objects) into one stored
    /// entity per element, keyed by uid. Each element must name its uid; the same uid
    /// twice is an error.
    static func split(_ bytes: [UInt8], limits: JSONLimits) throws(WritError) -> [StoredEntity] {
        let document: JSON
        do {
            document = try JSON.parse(bytes, limits: limits)
        } catch {
            throw WritError.fromJSON(error, what: "entities document")
        }
        guard case .array(let elements) = document else {
            throw WritError(.wrongType, "an entities document must be a JSON array of entities, not \(document.kindDescription)")
        }
        var seen: Set<StoredEntityKey> = []
        var result: [StoredEntity] = []
        result.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            // Read the uid the way Cedar does, without a schema: the attributes are
            // checked when the whole set is read with the schema.
            let parsed: Entities
            do {
                parsed = try EntityJSON.decodeEntities(.array([element]))
            } catch {
                throw WritError(.invalidEntities, "entity [\(index)]: \(error)")
            }
            guard let uid = parsed.all.first?.uid, parsed.count == 1 else {
                throw WritError(.invalidEntities, "entity [\(index)] has no uid")
            }
            let key = StoredEntityKey(type: uid.type.name, id: uid.id)
            guard seen.insert(key).inserted else {
                throw WritError(.invalidEntities, "entity [\(index)]: \(uid) appears twice in the document")
            }
            result.append(StoredEntity(type: key.type, id: key.id, json: element.encoded()))
        }
        return result
    }

    /// Reads stored entities as one entity set, with the schema when there is one
    /// (which checks each entity against its declared type and adds the schema's
    /// actions).
    static func load(_ stored: some Collection<StoredEntity>, schema: Schema?) throws(WritError) -> Entities {
        var elements: [JSON] = []
        elements.reserveCapacity(stored.count)
        for entity in stored {
            do {
                elements.append(try JSON.parse(entity.json))
            } catch {
                throw WritError(.corruptState, "stored entity \(entity.type)::\"\(entity.id)\" is not valid JSON: \(error)")
            }
        }
        do {
            if let schema {
                return try EntityJSON.decodeEntities(.array(elements), schema: schema)
            }
            return try EntityJSON.decodeEntities(.array(elements))
        } catch {
            throw WritError(.invalidEntities, "entities do not conform\(schema == nil ? "" : " to the schema"): \(error)")
        }
    }
}

extension WritError {
    /// Maps a JSON reading error to the request error codes.
    package static func fromJSON(_ error: JSONError, what: String) -> WritError {
        let code: Code
        switch error.code {
        case .duplicateKey: code = .duplicateKey
        case .tooDeep: code = .tooDeep
        case .tooLarge: code = .tooLarge
        case .wrongType: code = .wrongType
        case .missingKey: code = .missingField
        default: code = .invalidRequest
        }
        return WritError(code, "\(what): \(error)")
    }
}
