import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore
import PlatformDaemon
import PlatformKit
import PlatformPostgres
import Prometheus

/// Core's internal API. Reads for Auth and Admin; writes for Admin only. Every write needs
/// an `Idempotency-Key`.
struct CoreRoutes: Sendable {
    let store: any EntitlementStore
    let metrics: PlatformMetrics

    func add(to router: Router<PlatformRequestContext>, context: DaemonContext) {
        let reads = context.internalRoutes(on: router, path: "/internal/v1", callers: ["auth", "admin"])
        reads.get("catalog") { _, _ in try await store.catalog() }
        for kind in CatalogKind.allCases {
            // Keyset pagination by key: `after` is the last key of the previous page.
            reads.get("catalog/\(kind.rawValue)") { request, _ in
                let limit = request.pageLimit()
                let after = request.uri.queryParameters.get("after") ?? ""
                let catalog = try await store.catalog()
                let keys: [String] = switch kind {
                case .module: catalog.modules.map(\.key)
                case .package: catalog.packages.map(\.key)
                case .addon: catalog.addons.map(\.key)
                }
                let page = Array(keys.enumerated().filter { $0.element > after }.prefix(limit))
                let indices = page.map(\.offset)
                let next = page.count == limit ? page.last?.element : nil
                return switch kind {
                case .module: try CatalogPage(items: indices.map { catalog.modules[$0] }, nextAfter: next).response()
                case .package: try CatalogPage(items: indices.map { catalog.packages[$0] }, nextAfter: next).response()
                case .addon: try CatalogPage(items: indices.map { catalog.addons[$0] }, nextAfter: next).response()
                }
            }
        }
        reads.get("companies/{company}/entitlements") { _, context in
            try await entitlements(Self.company(context))
        }
        reads.get("companies/{company}/entitlement-version") { _, context in
            let company = try Self.company(context)
            return VersionReply(companyID: company, entitlementVersion: try await store.entitlementVersion(company))
        }
        reads.get("companies/{company}/subscription") { _, context in try await store.companyState(Self.company(context)) }
        reads.get("companies/{company}/history") { request, context in
            let limit = request.pageLimit()
            let before = request.uri.queryParameters.get("before", as: Int64.self)
            let entries = try await store.history(Self.company(context), before: before, limit: limit)
            return HistoryPage(entries: entries, nextCursor: entries.count == limit ? entries.last?.id : nil)
        }

        let writes = context.internalRoutes(on: router, path: "/internal/v1", callers: ["admin"])
        writes.put("companies/{company}/subscription") { request, context in
            try await idempotent(request, context, as: SubscriptionInput.self, kind: "subscription_set") { input, change in
                try input.validate()
                return try await store.setSubscription(Self.company(context), input.subscription, change: change)
            }
        }
        writes.post("companies/{company}/subscription/cancel") { request, context in
            try await idempotent(request, context, as: ReasonInput.self, kind: "subscription_cancel") { _, change in
                try await store.cancelSubscription(Self.company(context), change: change)
            }
        }
        writes.put("companies/{company}/addons/{addon}") { request, context in
            try await idempotent(request, context, as: AddonInput.self, kind: "addon_set") { input, change in
                try input.validate()
                let addon = CompanyAddon(addonKey: try Self.key(context, "addon"), status: input.status,
                                         period: BillingPeriod(start: input.periodStart, end: input.periodEnd))
                return try await store.setAddon(Self.company(context), addon, change: change)
            }
        }
        writes.delete("companies/{company}/addons/{addon}") { request, context in
            try await idempotent(request, context, as: ReasonInput.self, kind: "addon_remove") { _, change in
                try await store.removeAddon(Self.company(context), addonKey: Self.key(context, "addon"), change: change)
            }
        }
        addCatalogWrites(to: writes)
    }

    /// The company's entitlements, computed from the stored truth.
    func entitlements(_ company: UUID) async throws -> CompanyEntitlements {
        let start = ContinuousClock.now
        let (catalogValue, stateValue) = try await store.entitlementSnapshot(company)
        let result = EntitlementCalculator.entitlements(
            companyID: company, version: stateValue.entitlementVersion, catalog: catalogValue,
            subscription: stateValue.subscription, addons: stateValue.addons, at: Date())
        metrics.latency("kisum_core_entitlement_lookup_duration_seconds", help: "Entitlement lookup latency.")
            .record(ContinuousClock.now - start)
        return result
    }

    /// Decodes the body, then runs `write` at most once per `Idempotency-Key`.
    func idempotent<Input: Decodable & Sendable, Output: Encodable & Sendable>(
        _ request: Request, _ context: PlatformRequestContext, as: Input.Type, kind: String,
        _ write: @escaping @Sendable (Input, ChangeContext) async throws -> Output
    ) async throws -> Response {
        guard let key = request.headers[.idempotencyKey], (1...200).contains(key.count) else {
            throw PlatformError(.preconditionRequired, "Writes need an Idempotency-Key header (1 to 200 characters).")
        }
        let (input, body) = try await request.decodeJSONWithBody(as: Input.self, context: context)
        let fingerprint = SHA256.hash(data: Data("\(request.method.rawValue) \(request.uri.path)\n".utf8) + body)
            .hexEncoded
        let caller = context.notes.serviceCaller ?? "unknown"
        let change = ChangeContext(actor: (request.headers[.actingUser]).map { "\(caller):\($0)" } ?? caller,
                                   requestID: context.trace.requestID, reason: (input as? any Reasoned)?.reason)
        // The change is logged and counted once committed, and only when this request made it (not on a replay).
        let written = NIOLockedValueBox<Output?>(nil)
        let (status, data) = try await store.idempotent(caller: caller, key: key, requestHash: fingerprint) {
            let output = try await write(input, change)
            written.withLockedValue { $0 = output }
            return (200, try JSONEncoder.platform.encode(output))
        }
        if let output = written.withLockedValue({ $0 }) { recordChange(kind: kind, output: output, change: change, logger: context.logger) }
        return Response(status: .init(code: status), headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func company(_ context: PlatformRequestContext) throws -> UUID { try context.uuidParameter("company") }

    static func key(_ context: PlatformRequestContext, _ name: String) throws -> String {
        guard let key = context.parameters.get(name), isCatalogKey(key) else {
            throw PlatformError(.invalidRequest, "\(name) must be a catalog key (a-z, 0-9, _)")
        }
        return key
    }
}


/// One page of a catalog list; pass `next_after` as `after` for the next page.
struct CatalogPage<Item: Codable & Sendable>: Codable, Sendable {
    var items: [Item]
    var nextAfter: String?

    enum CodingKeys: String, CodingKey {
        case items
        case nextAfter = "next_after"
    }

    func response() throws -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(bytes: try JSONEncoder.platform.encode(self))))
    }
}

/// One page of history; pass `next_cursor` as `before` for the next page.
struct HistoryPage: Codable, ResponseEncodable, Sendable {
    var entries: [HistoryEntry]
    var nextCursor: Int64?

    enum CodingKeys: String, CodingKey {
        case entries
        case nextCursor = "next_cursor"
    }
}
