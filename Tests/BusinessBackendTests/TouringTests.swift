import Foundation
import PlatformKit
import PlatformTesting
import ServiceWorlds
import Testing
import TouringService

extension BackendSuites {
    /// Touring against real Core, Auth and PostgreSQL: tours and shows kept per company, a
    /// show's lifecycle, and pages stable while shows are added.
    @Suite struct TouringTests {
        static func code(_ reply: TestResponse) -> String { "\(reply.status) \(reply.errorCode ?? "-")" }

        @Test(.timeLimit(.minutes(2))) func toursAndShowsStayInTheirCompany() async throws {
            try await BackendWorld.with(TouringDaemon.self) { world in
                let created = try await world.call("POST", "/v1/tours", as: "ada", body: #"{"name":"Spring run","artist":"The Acmes"}"#)
                #expect(created.status == 201)
                let tour = try #require(try created.json()["id"] as? String)
                let show = try await world.call("POST", "/v1/tours/\(tour)/shows", as: "ada",
                                                body: #"{"date":"2027-03-12","city":"Lisbon","venue_ref":"Coliseu"}"#)
                #expect(show.status == 201, "\(show.body)")
                #expect(try show.json()["status"] as? String == "hold")
                let showID = try #require(try show.json()["id"] as? String)
                // Beacon sees none of it and cannot add to it.
                #expect(try await Self.code(world.call("GET", "/v1/tours/\(tour)", as: "bo", org: "beacon")) == "404 not_found")
                #expect(try await Self.code(world.call("GET", "/v1/tours/\(tour)/shows", as: "bo", org: "beacon")) == "404 not_found")
                #expect(try await Self.code(world.call("GET", "/v1/shows/\(showID)", as: "bo", org: "beacon")) == "404 not_found")
                #expect(try await Self.code(world.call("POST", "/v1/tours/\(tour)/shows", as: "bo", org: "beacon",
                                                       body: #"{"date":"2027-03-13","city":"Porto"}"#)) == "404 not_found")
                #expect(try await Self.code(world.call("PATCH", "/v1/shows/\(showID)", as: "bo", org: "beacon", body: #"{"status":"canceled"}"#))
                    == "404 not_found")
                #expect((try await world.call("GET", "/v1/tours", as: "bo", org: "beacon").json()["items"] as? [Any])?.isEmpty == true)
                // hold → confirmed → canceled, and canceled is final.
                #expect(try await Self.code(world.call("PATCH", "/v1/shows/\(showID)", as: "ada", body: #"{"status":"confirmed"}"#)) == "200 -")
                #expect(try await Self.code(world.call("PATCH", "/v1/shows/\(showID)", as: "ada", body: #"{"status":"hold"}"#)) == "409 invalid_transition")
                #expect(try await Self.code(world.call("PATCH", "/v1/shows/\(showID)", as: "ada", body: #"{"status":"canceled"}"#)) == "200 -")
                #expect(try await Self.code(world.call("PATCH", "/v1/shows/\(showID)", as: "ada", body: #"{"status":"confirmed"}"#))
                    == "409 invalid_transition")
                for bad in [#"{"date":"2027-02-30","city":"X"}"#, #"{"date":"2027-03-01","city":""}"#, #"{"date":"2027-03-01","city":"X","status":"canceled"}"#,
                            #"{"date":"2027-03-01","city":"X","status":"maybe"}"#] {
                    #expect(try await Self.code(world.call("POST", "/v1/tours/\(tour)/shows", as: "ada", body: bad)) == "422 validation_failed", "\(bad)")
                }
            }
        }

        @Test(.timeLimit(.minutes(2))) func showPagesStayStableWhileShowsAreAdded() async throws {
            try await BackendWorld.with(TouringDaemon.self) { world in
                let tour = try #require(try await world.call("POST", "/v1/tours", as: "ada", body: #"{"name":"Long run"}"#).json()["id"] as? String)
                func add(_ index: Int) async throws -> String {
                    let reply = try await world.call("POST", "/v1/tours/\(tour)/shows", as: "ada", body: #"{"date":"2027-04-0\#(index)","city":"City \#(index)"}"#)
                    return try #require(try reply.json()["id"] as? String)
                }
                var created: [String] = []
                for index in 1...5 { created.append(try await add(index)) }
                var seen: [String] = [], cursor: String? = nil
                repeat {
                    let page = try await world.call("GET", "/v1/tours/\(tour)/shows?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""), as: "ada").json()
                    seen += (page["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                    cursor = page["next_cursor"] as? String
                    if seen.count == 2 { for index in 6...7 { created.append(try await add(index)) } }
                } while cursor != nil
                #expect(seen == created)
            }
        }
    }
}
