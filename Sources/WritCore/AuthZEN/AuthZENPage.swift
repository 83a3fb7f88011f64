import Cedar
import Crypto

/// Pagination of search results (AuthZEN 1.0 §Pagination).
///
/// A request's `page.limit` (default and maximum: `RequestLimits.maxSearchPageSize`;
/// larger values are lowered to it) caps the results of one page. A response always
/// carries `page` first: `next_token` (`""` on the last page), `count` and `total`.
///
/// A token is opaque to the PEP: the offset of the next page and the policy set version
/// it was issued under, sealed with a digest of the canonical request (every member
/// but `page.token`, keys sorted) and the operation. A token presented with a changed
/// query, limit or operation, a token from an older policy set version, or anything
/// else that is not such a token is `.invalidPageToken` (HTTP 400). Tokens are not
/// secrets and carry no authority: forging one can only ask for another page of the
/// caller's own query, which the caller may do anyway.
struct AuthZENPage: Sendable {
    /// The most results this page holds.
    let limit: Int
    /// Where this page starts in the full, ordered result list.
    let offset: Int
    /// Binds tokens to the query.
    private let queryDigest: [UInt8]
    private let policySetVersion: Int

    /// Reads `page` from a search request for `operation`.
    init(
        _ body: AuthZENObject, operation: AuthZENOperation, maxPageSize: Int, policySetVersion: Int
    ) throws(WritError) {
        let page = try body.optionalObject("page")
        let requested = try page?.optionalCount("limit")
        self.limit = min(requested ?? maxPageSize, maxPageSize)
        self.policySetVersion = policySetVersion
        self.queryDigest = Self.digest(of: body, operation: operation)
        let token = try page?.optionalString("token") ?? ""
        if token.isEmpty {
            self.offset = 0
        } else {
            self.offset = try Self.offset(in: token, queryDigest: queryDigest, policySetVersion: policySetVersion)
        }
    }

    /// The `page` object and the results of this page, out of every result in order.
    func respond(_ all: [JSON]) -> (page: JSON, results: [JSON]) {
        let start = min(offset, all.count)
        let end = start + min(limit, all.count - start)
        let next = end < all.count ? Self.token(offset: end, queryDigest: queryDigest, policySetVersion: policySetVersion) : ""
        let page = JSON.object(JSONObject(uniqueMembers: [
            (key: "next_token", value: .string(next)),
            (key: "count", value: .number(JSONNumber(Int64(end - start)))),
            (key: "total", value: .number(JSONNumber(Int64(all.count)))),
        ]))
        return (page, Array(all[start..<end]))
    }

    // MARK: - Tokens

    private static let format: UInt8 = 1
    private static let sealLength = 16
    private static let tokenLength = 1 + 8 + 8 + sealLength

    static func token(offset: Int, queryDigest: [UInt8], policySetVersion: Int) -> String {
        var bytes: [UInt8] = [format]
        bytes.append(contentsOf: bigEndian(UInt64(offset)))
        bytes.append(contentsOf: bigEndian(UInt64(policySetVersion)))
        bytes.append(contentsOf: seal(offset: UInt64(offset), version: UInt64(policySetVersion), queryDigest: queryDigest))
        return Base64URL.encode(bytes)
    }

    private static func offset(in token: String, queryDigest: [UInt8], policySetVersion: Int) throws(WritError) -> Int {
        let notOurs = WritError(
            .invalidPageToken,
            "`page.token` is not a token this server issued for this query; send the same request as for the "
                + "previous page, or start again without a token")
        guard token.utf8.count <= 64, let bytes = Base64URL.decode(token), bytes.count == tokenLength,
            bytes[0] == format
        else { throw notOurs }
        let offset = readBigEndian(bytes[1..<9])
        let version = readBigEndian(bytes[9..<17])
        guard Array(bytes[17...]) == seal(offset: offset, version: version, queryDigest: queryDigest),
            let start = Int(exactly: offset)
        else { throw notOurs }
        guard version == UInt64(policySetVersion) else {
            throw WritError(
                .invalidPageToken,
                "`page.token` was issued under policy set version \(version), and version \(policySetVersion) "
                    + "is active now; start the search again without a token")
        }
        return start
    }

    private static func seal(offset: UInt64, version: UInt64, queryDigest: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: Array("writ.authzen.page.v1".utf8))
        hasher.update(data: queryDigest)
        hasher.update(data: bigEndian(offset))
        hasher.update(data: bigEndian(version))
        return Array(hasher.finalize().prefix(sealLength))
    }

    /// SHA-256 of the operation and the canonical request without `page.token`.
    private static func digest(of body: AuthZENObject, operation: AuthZENOperation) -> [UInt8] {
        var members = body.members.members.filter { !$0.key.scalarsEqual("page") }
        if case .object(let page)? = body["page"] {
            members.append((key: "page", value: .object(JSONObject(uniqueMembers: page.members.filter {
                !$0.key.scalarsEqual("token")
            }))))
        }
        var hasher = SHA256()
        hasher.update(data: Array(operation.rawValue.utf8))
        hasher.update(data: [0])
        hasher.update(data: canonical(.object(JSONObject(uniqueMembers: members))).encodedBytes())
        return Array(hasher.finalize())
    }

    /// `json` with every object's members sorted by key (Unicode scalar order).
    private static func canonical(_ json: JSON) -> JSON {
        switch json {
        case .array(let elements):
            return .array(elements.map(canonical))
        case .object(let object):
            let sorted = object.members.sorted { $0.key.scalarsLess($1.key) }
            return .object(JSONObject(uniqueMembers: sorted.map { (key: $0.key, value: canonical($0.value)) }))
        case .null, .bool, .number, .string:
            return json
        }
    }

    private static func bigEndian(_ value: UInt64) -> [UInt8] {
        (0..<8).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }

    private static func readBigEndian(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reduce(0) { ($0 << 8) | UInt64($1) }
    }
}
