import AccessControl
import Foundation
import PlatformKit
import PlatformPostgres
import PlatformTesting
import Testing
import ServiceWorlds

/// Auth's access change feed: every change that can narrow access is published, in the
/// change's own transaction; a reader never skips an event however transactions interleave;
/// a reader out of reach is told to resync.
@Suite struct AccessFeedTests {
    /// Reads the feed as a business backend does.
    struct Follower {
        let auth: AuthHarness
        var cursor: AccessFeedCursor

        static func start(_ auth: AuthHarness) async throws -> Follower {
            Follower(auth: auth, cursor: try await Self.page(auth, after: nil).cursor)
        }

        static func page(_ auth: AuthHarness, after cursor: AccessFeedCursor?, wait: Int = 0) async throws -> AccessFeedPage {
            let query = cursor.map { "?after=\($0)&wait_ms=\(wait)" } ?? ""
            let reply = try await auth.call("GET", "/internal/v1/access-feed" + query, as: "finance")
            guard reply.status == 200 else { throw TestFailure("access-feed: \(reply.status) \(reply.body)") }
            return try JSONDecoder().decode(AccessFeedPage.self, from: Data(reply.body.utf8))
        }

        /// Reads until every change committed before the call has been handed out (the feed
        /// vouches for a moment after it), dropping what it read.
        mutating func drain() async throws {
            let start = ContinuousClock.now
            while true {
                guard ContinuousClock.now - start < .seconds(30) else { throw TestFailure("feed: never complete") }
                let sent = ContinuousClock.now
                let page = try await next(wait: 100)
                if page.events.isEmpty, let complete = page.completeSince(sent: sent), complete >= start { return }
            }
        }

        /// The next page; moves the cursor on.
        mutating func next(wait: Int = 200) async throws -> AccessFeedPage {
            let page = try await Self.page(auth, after: cursor, wait: wait)
            #expect(!page.resync, "a live follower was told to resync")
            #expect(page.cursor >= cursor, "the cursor went back")
            #expect(page.events.allSatisfy { $0.cursor > cursor && $0.cursor <= page.cursor })
            cursor = page.cursor
            return page
        }

        /// Events until `done` says the collected ones are enough, or `limit` passes.
        mutating func collect(within limit: Duration = .seconds(10), until done: ([AccessEvent]) -> Bool) async throws -> [AccessEvent] {
            let deadline = ContinuousClock.now + limit
            var events: [AccessEvent] = []
            while !done(events) {
                guard ContinuousClock.now < deadline else { throw TestFailure("feed: waited \(limit); have \(events.map(\.kind))") }
                events += try await next().events
            }
            return events
        }
    }

    func sql(_ auth: AuthHarness, _ statement: String, _ parameters: [String?] = []) async throws {
        _ = try await auth.database.rows(statement, parameters)
    }

    @Test(.timeLimit(.minutes(2))) func everyChangeThatCanNarrowAccessIsPublished() async throws {
        try await AuthHarness.with { auth in
            let user = UUID(), company = UUID(), membership = UUID(), other = UUID(), otherUser = UUID()
            let session = UUID(), role = UUID(), delegation = UUID(), expiring = UUID()
            for (id, email) in [(user, "ada@acme.test"), (otherUser, "bob@acme.test")] {
                try await sql(auth, "INSERT INTO users (id, email, password_hash) VALUES ($1, $2, 'x')", [id.uuidString, email])
            }
            try await sql(auth, "INSERT INTO companies (id, slug, name, status) VALUES ($1, 'acme', 'Acme', 'approved')", [company.uuidString])
            try await sql(auth, "INSERT INTO sessions (id, user_id, expires_at) VALUES ($1, $2, now() + interval '1 hour')",
                          [session.uuidString, user.uuidString])
            try await sql(auth, "INSERT INTO roles (id, company_id, key, name, permissions) VALUES ($1, $2, 'reader', 'Reader', '{}')",
                          [role.uuidString, company.uuidString])
            var follower = try await Follower.start(auth)

            try await sql(auth, "INSERT INTO memberships (id, user_id, company_id) VALUES ($1, $2, $3), ($4, $5, $3)",
                          [membership.uuidString, user.uuidString, company.uuidString, other.uuidString, otherUser.uuidString])
            try await sql(auth, "UPDATE sessions SET revoked_at = now() WHERE id = $1", [session.uuidString])
            try await sql(auth, "UPDATE users SET status = 'disabled' WHERE id = $1", [user.uuidString])
            try await sql(auth, "UPDATE memberships SET access_version = access_version + 1 WHERE id = $1", [membership.uuidString])
            try await sql(auth, "UPDATE companies SET status = 'suspended' WHERE id = $1", [company.uuidString])
            try await sql(auth, "INSERT INTO company_entitlement_versions (company_id, version) VALUES ($1, 7)", [company.uuidString])
            try await sql(auth, """
                INSERT INTO delegations (id, company_id, from_membership, to_membership, permissions, expires_at)
                VALUES ($1, $2, $3, $4, '{}', now() + interval '1 day')
                """, [delegation.uuidString, company.uuidString, membership.uuidString, other.uuidString])
            try await sql(auth, "UPDATE delegations SET revoked_at = now() WHERE id = $1", [delegation.uuidString])
            try await sql(auth, "UPDATE roles SET permissions = '{finance.invoices.read}' WHERE id = $1", [role.uuidString])
            // Grants and a delegation's terms edited row by row (no access version bumped).
            try await sql(auth, "INSERT INTO membership_module_grants VALUES ($1, 'finance')", [membership.uuidString])
            try await sql(auth, "UPDATE delegations SET permissions = '{finance.invoices.read}' WHERE id = $1", [delegation.uuidString])
            // A key retired in an emergency (in one transaction, so the key job never loads it).
            try await sql(auth, """
                WITH k AS (INSERT INTO signing_keys (kid, state, private_key_encrypted, public_jwk, activate_at)
                           VALUES ('feed-test-key', 'retiring', '\\x00', '{}', now()) RETURNING kid)
                SELECT 1 FROM k
                """)
            try await sql(auth, "UPDATE signing_keys SET state = 'retired' WHERE kid = 'feed-test-key'")
            // Rows removed outright (data repair) are changes too; a TRUNCATE tells readers to drop everything.
            let doomed = UUID()
            try await sql(auth, "INSERT INTO sessions (id, user_id, expires_at) VALUES ($1, $2, now() + interval '1 hour')",
                          [doomed.uuidString, user.uuidString])
            try await sql(auth, "UPDATE sessions SET expires_at = now() + interval '1 minute' WHERE id = $1", [doomed.uuidString])  // shortened
            try await sql(auth, "DELETE FROM sessions WHERE id = $1", [doomed.uuidString])
            try await sql(auth, "TRUNCATE membership_module_grants")
            // Nothing is written when a delegation passes its expiry: Auth announces it.
            try await sql(auth, """
                INSERT INTO delegations (id, company_id, from_membership, to_membership, permissions, expires_at)
                VALUES ($1, $2, $3, $4, '{}', now() + interval '300 milliseconds')
                """, [expiring.uuidString, company.uuidString, membership.uuidString, other.uuidString])

            // The system roles' permissions set by the migrations (role_changed, no company) come
            // first when the feed's horizon was held back by a transaction elsewhere on the shared
            // test cluster as Auth started: not this test's changes.
            func ours(_ events: [AccessEvent]) -> [AccessEvent] { events.filter { $0.kind != "role_changed" || $0.companyID != nil } }
            let events = ours(try await follower.collect { ours($0).count >= 19 })
            let described = events.map { event in
                [event.kind, event.userID?.lowercased, event.companyID?.lowercased, event.membershipID?.lowercased,
                 event.sessionID?.lowercased, event.keyID].map { $0 ?? "-" }.joined(separator: " ")
            }
            let (u, c, m, o, s) = (user.lowercased, company.lowercased, membership.lowercased, other.lowercased, session.lowercased)
            #expect(described == [
                "membership_changed \(u) \(c) \(m) - -", "membership_changed \(otherUser.lowercased) \(c) \(o) - -",
                "session_revoked \(u) - - \(s) -",
                "user_changed \(u) - - - -",
                "membership_changed \(u) \(c) \(m) - -",
                "company_changed - \(c) - - -",
                "company_changed - \(c) - - -",
                "delegation_changed - \(c) \(o) - -",
                "delegation_changed - \(c) \(o) - -",
                "role_changed - \(c) - - -",
                "membership_changed \(u) \(c) \(m) - -",
                "delegation_changed - \(c) \(o) - -",
                "signing_key_retired - - - - feed-test-key",
                "session_revoked \(u) - - \(doomed.lowercased) -",
                "session_revoked \(u) - - \(doomed.lowercased) -",
                "truncated:membership_module_grants - - - - -",
                "delegation_changed - \(c) \(o) - -",  // created
                "delegation_changed - \(c) \(o) - -",  // expired, announced
                "membership_changed \(otherUser.lowercased) \(c) \(o) - -",  // and the receiver's access bumped
            ])
            #expect(events.filter { $0.knownKind == nil }.map(\.kind) == ["truncated:membership_module_grants"])
            let strictlyOrdered = zip(events, events.dropFirst()).allSatisfy { $0.cursor < $1.cursor }
            #expect(strictlyOrdered)
            // A follower from before this Auth started (behind its memory) reads from the table.
            let early = try await Follower.page(auth, after: AccessFeedCursor(tx: 0, id: 0))
            #expect(!early.resync && early.events.contains { $0.kind == "membership_changed" })
        }
    }

    /// Identifiers allocated in one order and committed in the other: the later id commits
    /// first, and a reader that went by id alone would move past the earlier one for good.
    @Test(.timeLimit(.minutes(2))) func anEarlierTransactionCommittingLaterIsNeverSkipped() async throws {
        try await AuthHarness.with { auth in
            let (first, second) = try await twoMemberships(auth)
            var follower = try await Follower.start(auth)
            try await follower.drain()
            let base = try await auth.database.rows("SELECT coalesce(max(id), 0) FROM access_events")[0][0] ?? "0"
            // The first writer takes its event id, then holds its transaction open.
            let slow = Task {
                try await auth.database.script("""
                    BEGIN; UPDATE memberships SET access_version = access_version + 1 WHERE id = '\(first)';
                    SELECT pg_sleep(2); COMMIT;
                    """)
            }
            #expect(try await eventually(within: .seconds(20)) {
                try await auth.database.rows("SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(2)%' AND state = 'active' AND pid <> pg_backend_pid()")
                    .first?.first == "1"
            })
            try await sql(auth, "UPDATE memberships SET access_version = access_version + 1 WHERE id = $1", [second.uuidString])
            let secondCommitted = ContinuousClock.now
            let committed = try await auth.database.rows("SELECT id, membership_id FROM access_events WHERE id > $1 ORDER BY id", [base])
            #expect(committed.map { $0[1] } == [second.lowercased])  // the first is not visible yet

            // While the first is open the feed hands out nothing, and never claims to be
            // complete past the second's commit (that would vouch for a state missing it).
            try await Task.sleep(for: .milliseconds(200))
            let sent = ContinuousClock.now
            let during = try await follower.next(wait: 300)
            #expect(during.events.isEmpty)
            if let complete = during.completeSince(sent: sent) { #expect(complete <= secondCommitted) }
            #expect(during.heldMilliseconds ?? 0 >= 250)  // a long poll: held, and the vouching counts it

            _ = try await slow.value
            let events = try await follower.collect { $0.count >= 2 }
            #expect(events.map(\.membershipID) == [first, second])  // transaction order, not id order
            let after = try await follower.next(wait: 300)
            #expect(after.events.isEmpty && after.completeAgeMilliseconds != nil)
        }
    }

    /// Many writers committing in every order while a follower reads: it sees each committed
    /// event exactly once.
    @Test(.timeLimit(.minutes(3))) func concurrentWritersLoseNoEvent() async throws {
        try await AuthHarness.with { auth in
            let (first, second) = try await twoMemberships(auth)
            var follower = try await Follower.start(auth)
            try await follower.drain()
            let base = try await auth.database.rows("SELECT coalesce(max(id), 0) FROM access_events")[0][0] ?? "0"
            let writers = 6, changes = 20
            let writing = Task {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for writer in 0..<writers {
                        group.addTask {
                            let target = writer % 2 == 0 ? first : second
                            for change in 0..<changes {
                                try await auth.database.script("""
                                    BEGIN; UPDATE memberships SET access_version = access_version + 1 WHERE id = '\(target)';
                                    SELECT pg_sleep(\(Double((writer * 7 + change * 13) % 5) / 100)); COMMIT;
                                    """)
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            var seen: [AccessEvent] = []
            let deadline = ContinuousClock.now + .seconds(90)
            while seen.count < writers * changes {
                guard ContinuousClock.now < deadline else { throw TestFailure("feed: \(seen.count) of \(writers * changes) events") }
                seen += try await follower.next(wait: 100).events
            }
            try await writing.value
            let stored = try await auth.database.rows("SELECT tx || '-' || id FROM access_events WHERE id > $1 ORDER BY tx, id", [base])
                .map { $0[0] ?? "" }
            #expect(seen.map(\.cursor.description) == stored)
            #expect(Set(seen.map(\.cursor)).count == seen.count)
            #expect(seen.count == writers * changes)
            #expect(try await follower.next(wait: 300).events.isEmpty)
        }
    }

    @Test(.timeLimit(.minutes(2))) func aFollowerOutOfReachIsToldToResync() async throws {
        try await AuthHarness.with(["ACCESS_FEED_RETENTION": "1s"]) { auth in
            let (first, _) = try await twoMemberships(auth)
            let origin = AccessFeedCursor(tx: 0, id: 0)
            try await sql(auth, "UPDATE memberships SET access_version = access_version + 1 WHERE id = $1", [first.uuidString])
            let last = try await auth.database.rows("SELECT max(id) FROM access_events")[0][0] ?? ""
            // Retention (one second here) prunes the events and records how far it got.
            #expect(try await eventually(within: .seconds(20)) {
                try await auth.database.rows("SELECT count(*), (SELECT pruned_id FROM access_feed_retention) FROM access_events")[0]
                    .map { $0 ?? "" } == ["0", last]
            })
            let behind = try await Follower.page(auth, after: origin)
            #expect(behind.resync && behind.events.isEmpty && behind.cursor > origin)
            // Continuing from where it was sent is not behind any more.
            #expect(try await Follower.page(auth, after: behind.cursor).resync == false)
            // A cursor the database never handed out (another or a restored database).
            let future = try await Follower.page(auth, after: AccessFeedCursor(tx: Int64.max / 2, id: 1))
            #expect(future.resync)

            let malformed = try await auth.call("GET", "/internal/v1/access-feed?after=12;DROP", as: "finance")
            #expect(malformed.status == 400 && malformed.errorCode == "invalid_cursor")
            let tooLong = try await auth.call("GET", "/internal/v1/access-feed?after=\(behind.cursor)&wait_ms=5000", as: "finance")
            #expect(tooLong.status == 400 && tooLong.errorCode == "invalid_request")
            #expect(try await auth.call("GET", "/internal/v1/access-feed", as: "core").status == 403)
        }
    }

    private func twoMemberships(_ auth: AuthHarness) async throws -> (UUID, UUID) {
        let company = UUID(), first = UUID(), second = UUID(), ada = UUID(), bob = UUID()
        try await sql(auth, "INSERT INTO companies (id, slug, name, status) VALUES ($1, 'acme', 'Acme', 'approved')", [company.uuidString])
        try await sql(auth, "INSERT INTO users (id, email, password_hash) VALUES ($1, 'ada@acme.test', 'x'), ($2, 'bob@acme.test', 'x')",
                      [ada.uuidString, bob.uuidString])
        try await sql(auth, "INSERT INTO memberships (id, user_id, company_id) VALUES ($1, $2, $3), ($4, $5, $3)",
                      [first.uuidString, ada.uuidString, company.uuidString, second.uuidString, bob.uuidString])
        return (first, second)
    }
}
