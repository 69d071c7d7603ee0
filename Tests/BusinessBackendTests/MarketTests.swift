import Foundation
import MarketService
import PlatformKit
import PlatformTesting
import ServiceWorlds
import Testing

extension BackendSuites {
    /// Market against real Core, Auth and PostgreSQL: who sees a listing in which state, offers
    /// between companies, and a decision taken once.
    @Suite struct MarketTests {
        func world(_ body: (BackendWorld) async throws -> Void) async throws {
            try await BackendWorld.with(MarketDaemon.self, body)
        }

        func listing(_ world: BackendWorld, _ title: String, status: String = "published", as person: String = "ada", org: String = "acme")
            async throws -> String {
            let created = try await world.call("POST", "/v1/listings", as: person, org: org,
                                               body: #"{"title":"\#(title)","currency":"EUR","price_minor":1000,"status":"\#(status)"}"#)
            guard created.status == 201, let id = try created.json()["id"] as? String else { throw TestFailure("listing: \(created.status) \(created.body)") }
            return id
        }

        func offer(_ world: BackendWorld, on listing: String, _ amount: Int, as person: String, org: String) async throws -> TestResponse {
            try await world.call("POST", "/v1/listings/\(listing)/offers", as: person, org: org, body: #"{"amount_minor":\#(amount),"currency":"EUR"}"#)
        }

        static func code(_ reply: TestResponse) -> String { "\(reply.status) \(reply.errorCode ?? "-")" }

        @Test(.timeLimit(.minutes(2))) func draftsAreTheOwnersAndPublishedListingsEveryones() async throws {
            try await world { world in
                let draft = try await listing(world, "Acme draft", status: "draft")
                let published = try await listing(world, "Acme stage")
                func titles(_ person: String, _ org: String, _ query: String = "") async throws -> [String] {
                    (try await world.call("GET", "/v1/listings\(query)", as: person, org: org).json()["items"] as? [[String: Any]] ?? [])
                        .compactMap { $0["title"] as? String }
                }
                #expect(try await titles("ada", "acme") == ["Acme draft", "Acme stage"])
                #expect(try await titles("bo", "beacon") == ["Acme stage"])
                #expect(try await titles("bo", "beacon", "?mine=true") == [])
                #expect(try await Self.code(world.call("GET", "/v1/listings/\(draft)", as: "bo", org: "beacon")) == "404 not_found")
                #expect(try await Self.code(world.call("GET", "/v1/listings/\(published)", as: "bo", org: "beacon")) == "200 -")
                // Only the owner changes a listing; closed is final; a published listing never returns to draft.
                #expect(try await Self.code(world.call("PATCH", "/v1/listings/\(published)", as: "bo", org: "beacon", body: #"{"title":"Mine"}"#))
                    == "404 not_found")
                #expect(try await Self.code(world.call("PATCH", "/v1/listings/\(published)", as: "ada", body: #"{"status":"draft"}"#))
                    == "409 invalid_transition")
                #expect(try await Self.code(world.call("PATCH", "/v1/listings/\(draft)", as: "ada", body: #"{"status":"closed"}"#)) == "200 -")
                #expect(try await Self.code(world.call("PATCH", "/v1/listings/\(draft)", as: "ada", body: #"{"title":"Again"}"#))
                    == "409 invalid_transition")
                #expect(try await Self.code(world.call("GET", "/v1/listings?status=sold", as: "ada")) == "422 validation_failed")
                #expect(try await Self.code(world.call("POST", "/v1/listings", as: "ada", body: #"{"title":"X","currency":"euro"}"#))
                    == "422 validation_failed")
            }
        }

        @Test(.timeLimit(.minutes(2))) func offersAreBetweenTwoCompaniesAndDecidedOnce() async throws {
            try await world { world in
                let stage = try await listing(world, "Acme stage")
                #expect(try await Self.code(offer(world, on: stage, 500, as: "ada", org: "acme")) == "422 own_listing")
                let draft = try await listing(world, "Acme draft", status: "draft")
                #expect(try await Self.code(offer(world, on: draft, 500, as: "bo", org: "beacon")) == "404 not_found")
                let fromBeacon = try #require(try await offer(world, on: stage, 900, as: "bo", org: "beacon").json()["id"] as? String)
                let fromCobalt = try #require(try await offer(world, on: stage, 800, as: "cy", org: "cobalt").json()["id"] as? String)
                // An offer is seen by its maker and the listing's owner, nobody else.
                #expect(try await Self.code(world.call("GET", "/v1/offers/\(fromBeacon)", as: "cy", org: "cobalt")) == "404 not_found")
                #expect(try await Self.code(world.call("GET", "/v1/offers/\(fromBeacon)", as: "bo", org: "beacon")) == "200 -")
                let received = try await world.call("GET", "/v1/offers?side=received", as: "ada").json()["items"] as? [[String: Any]]
                #expect(received?.count == 2)
                // Only the owner decides; the maker cannot accept its own offer.
                #expect(try await Self.code(world.call("POST", "/v1/offers/\(fromBeacon)/accept", as: "bo", org: "beacon")) == "404 not_found")
                // Two accepts at once: one wins, the listing closes and the other offer is rejected.
                let decisions = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                    for id in [fromBeacon, fromCobalt] { group.addTask { try await world.call("POST", "/v1/offers/\(id)/accept", as: "ada") } }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(decisions.map(\.status).sorted() == [200, 409], "\(decisions.map(\.body))")
                #expect(decisions.contains { $0.errorCode == "offer_decided" })
                #expect(try await world.call("GET", "/v1/listings/\(stage)", as: "bo", org: "beacon").json()["status"] as? String == "closed")
                let states = try await world.backendDatabase.rows("SELECT status FROM offers ORDER BY status")
                #expect(states.map { $0[0] } == ["accepted", "rejected"])
                #expect(try await Self.code(offer(world, on: stage, 1000, as: "bo", org: "beacon")) == "409 listing_not_open")

                // Closed by its owner: the pending offers are rejected with it and none can be accepted after.
                let hall = try await listing(world, "Acme hall")
                let pending = try #require(try await offer(world, on: hall, 300, as: "bo", org: "beacon").json()["id"] as? String)
                #expect(try await Self.code(world.call("PATCH", "/v1/listings/\(hall)", as: "ada", body: #"{"status":"closed"}"#)) == "200 -")
                #expect(try await world.call("GET", "/v1/offers/\(pending)", as: "bo", org: "beacon").json()["status"] as? String == "rejected")
                #expect(try await Self.code(world.call("POST", "/v1/offers/\(pending)/accept", as: "ada")) == "409 offer_decided")

                // Rejected by the owner (only the owner): the listing stays open, the offer is decided.
                let arena = try await listing(world, "Acme arena")
                let declined = try #require(try await offer(world, on: arena, 200, as: "cy", org: "cobalt").json()["id"] as? String)
                #expect(try await Self.code(world.call("POST", "/v1/offers/\(declined)/reject", as: "cy", org: "cobalt")) == "404 not_found")
                let rejected = try await world.call("POST", "/v1/offers/\(declined)/reject", as: "ada")
                #expect(Self.code(rejected) == "200 -", "\(rejected.body)")
                #expect(try rejected.json()["status"] as? String == "rejected")
                #expect(try await world.call("GET", "/v1/listings/\(arena)", as: "bo", org: "beacon").json()["status"] as? String == "published")
                #expect(try await Self.code(world.call("POST", "/v1/offers/\(declined)/accept", as: "ada")) == "409 offer_decided")
                #expect(try await Self.code(world.call("POST", "/v1/offers/\(declined)/reject", as: "ada")) == "409 offer_decided")
            }
        }
    }
}
