import Foundation
import PlatformKit
import PlatformTesting
import ServiceWorlds
import Testing
import VenueService

extension BackendSuites {
    /// Venue against real Core, Auth and PostgreSQL: two confirmed bookings of one venue never
    /// overlap — refused by the database, also under concurrent inserts.
    @Suite struct VenueTests {
        static func code(_ reply: TestResponse) -> String { "\(reply.status) \(reply.errorCode ?? "-")" }

        func venue(_ world: BackendWorld, as person: String = "ada", org: String = "acme") async throws -> String {
            let reply = try await world.call("POST", "/v1/venues", as: person, org: org, body: #"{"name":"Hall","city":"Lyon","capacity":900}"#)
            guard reply.status == 201, let id = try reply.json()["id"] as? String else { throw TestFailure("venue: \(reply.status) \(reply.body)") }
            return id
        }

        func book(_ world: BackendWorld, _ venue: String, _ from: String, _ to: String, status: String = "confirmed", as person: String = "ada",
                  org: String = "acme") async throws -> TestResponse {
            try await world.call("POST", "/v1/venues/\(venue)/bookings", as: person, org: org, body: """
                {"title":"Show","starts_at":"2027-05-01T\(from):00Z","ends_at":"2027-05-01T\(to):00Z","status":"\(status)"}
                """)
        }

        @Test(.timeLimit(.minutes(2))) func concurrentOverlappingConfirmationsBookOnce() async throws {
            try await BackendWorld.with(VenueDaemon.self) { world in
                let hall = try await venue(world)
                // Eight overlapping confirmed bookings at once: exactly one is taken.
                let replies = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                    for minute in 0..<8 { group.addTask { try await book(world, hall, "10:0\(minute)", "12:0\(minute)") } }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(replies.filter { $0.status == 201 }.count == 1, "\(replies.map(\.body))")
                #expect(replies.filter { $0.errorCode == "booking_overlaps" }.count == 7)
                #expect(try await world.backendDatabase.rows("SELECT count(*) FROM bookings WHERE status = 'confirmed'")[0][0] == "1")
            }
        }

        @Test(.timeLimit(.minutes(2))) func holdsOverlapConfirmationsNeverAndTheDatabaseEnforcesIt() async throws {
            try await BackendWorld.with(VenueDaemon.self) { world in
                let hall = try await venue(world)
                #expect(try await Self.code(book(world, hall, "18:00", "22:00")) == "201 -")
                // Back to back is not an overlap; a hold over the confirmed evening is allowed.
                #expect(try await Self.code(book(world, hall, "22:00", "23:30")) == "201 -")
                let hold = try await book(world, hall, "19:00", "21:00", status: "hold")
                #expect(Self.code(hold) == "201 -")
                let holdID = try #require(try hold.json()["id"] as? String)
                // Confirming the hold would overlap: refused, and it stays a hold.
                #expect(try await Self.code(world.call("PATCH", "/v1/bookings/\(holdID)", as: "ada", body: #"{"status":"confirmed"}"#))
                    == "409 booking_overlaps")
                #expect(try await world.call("GET", "/v1/bookings/\(holdID)", as: "ada").json()["status"] as? String == "hold")
                // Venues and bookings are the company's own: Beacon can neither list, read nor book Acme's.
                let beaconVenues = try await world.call("GET", "/v1/venues", as: "bo", org: "beacon").json()["items"] as? [[String: Any]]
                #expect(beaconVenues?.contains { $0["id"] as? String == hall } == false)
                #expect(try await Self.code(world.call("GET", "/v1/venues/\(hall)", as: "bo", org: "beacon")) == "404 not_found")
                #expect(try await Self.code(world.call("GET", "/v1/bookings/\(holdID)", as: "bo", org: "beacon")) == "404 not_found")
                #expect(try await Self.code(book(world, hall, "08:00", "09:00", as: "bo", org: "beacon")) == "404 not_found")
                // Another venue is another calendar.
                let other = try await venue(world)
                #expect(try await Self.code(book(world, other, "18:00", "22:00")) == "201 -")
                // Not only the code: the database itself refuses an overlapping confirmed row.
                let company = try #require(world.companies["acme"]).uuidString
                await #expect(throws: (any Error).self) {
                    try await world.backendDatabase.rows("""
                        INSERT INTO bookings (id, company_id, venue_id, title, starts_at, ends_at, status, created_by)
                        VALUES (gen_random_uuid(), $1, $2, 'x', '2027-05-01T20:00:00Z', '2027-05-01T21:00:00Z', 'confirmed', gen_random_uuid())
                        """, [company, hall])
                }
                // Beacon cannot see or book Acme's hall.
                #expect(try await Self.code(book(world, hall, "08:00", "09:00", as: "bo", org: "beacon")) == "404 not_found")
                #expect(try await Self.code(world.call("GET", "/v1/bookings/\(holdID)", as: "bo", org: "beacon")) == "404 not_found")
                #expect(try await Self.code(book(world, hall, "10:00", "09:00")) == "422 validation_failed")
            }
        }
    }
}
