import Crypto
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import PlatformKit
import PlatformPostgres
import PostgresNIO

/// `SessionRepository` on `auth_db`.
public struct PostgresSessionRepository: SessionRepository {
    let database: PlatformDatabase
    let logger: Logger
    /// How long a used refresh token still yields its (unused) successor, for a client whose
    /// response was lost; zero turns the window off (every second use is reuse).
    var refreshGrace: Duration = .zero
    /// Seals successors for the grace window (the signing keys' key-encryption key).
    var sealer: KeyEncryption?

    public func user(email: String) async throws -> UserCredentials? {
        let rows = try await database.query(
            "SELECT id, email, password_hash, status FROM users WHERE lower(email) = lower(\(email))",
            operation: "user_by_email", logger: logger)
        guard let row = rows.first else { return nil }
        let (id, stored, hash, status) = try row.decode((UUID, String, String, String).self)
        return UserCredentials(id: id, email: stored, passwordHash: hash, active: status == "active")
    }

    public func updatePasswordHash(userID: UUID, from old: String, to hash: String) async throws -> Bool {
        try await !database.query("""
            UPDATE users SET password_hash = \(hash), updated_at = now() WHERE id = \(userID) AND password_hash = \(old) RETURNING id
            """, operation: "password_rehash", logger: logger).isEmpty
    }

    public func createSession(userID: UUID, verifiedHash: String, ttl: Duration, userAgent: String?,
                              ip: String?) async throws -> (sessionID: UUID, refreshToken: String)? {
        let sessionID = UUID()
        let token = OpaqueToken.make(prefix: "rt_")
        let expires = Date().addingTimeInterval(ttl.secondsValue)
        return try await database.withTransaction("session_create", logger: logger) { connection in
            // FOR SHARE on the user row: a disable or reset that committed first is seen here
            // (no session); one that commits later waits for this transaction and then revokes
            // the session it made.
            let created = try await connection.query("""
                INSERT INTO sessions (id, user_id, expires_at, user_agent, ip)
                SELECT \(sessionID), u.id, \(expires), \(userAgent.map { String($0.prefix(300)) }), \(ip)
                FROM users u WHERE u.id = \(userID) AND u.status = 'active' AND u.password_hash = \(verifiedHash)
                FOR SHARE
                RETURNING id
                """, logger: logger).collect()
            guard !created.isEmpty else { return nil }
            try await connection.query("""
                INSERT INTO refresh_tokens (token_hash, session_id, expires_at) VALUES (\(OpaqueToken.digest(token)), \(sessionID), \(expires))
                """, logger: logger)
            return (sessionID, token)
        }
    }

    public func refresh(_ token: String, ttl: Duration) async throws -> RefreshOutcome {
        // The common case in one round trip: an unused, unexpired token of a live session of an
        // active user rotates in a single statement. Anything else (a retry in the grace window,
        // reuse, a token a concurrent refresh just used, an unknown token) finds no row there
        // and is decided by the full transaction below, which reads under the same locks.
        let digest = OpaqueToken.digest(token)
        let next = OpaqueToken.make(prefix: "rt_")
        let nextSealed = refreshGrace > .zero ? try sealer?.seal(next, kid: Self.graceContext(digest)) : nil
        let rotated = try await database.execute(
            RotateRefreshToken(digest: digest, successor: OpaqueToken.digest(next), successorSealed: nextSealed,
                               ttlSeconds: ttl.secondsValue, now: Date()),
            operation: "session_refresh_rotate", logger: logger)
        if let (sessionID, userID) = rotated.first {
            return .rotated(userID: userID, sessionID: sessionID, refreshToken: next)
        }
        return try await database.withTransaction("session_refresh", logger: logger) { connection in
            let rows = try await connection.query("""
                SELECT t.session_id, t.used_at, t.expires_at, s.user_id, s.revoked_at, s.expires_at, t.successor_sealed,
                       t.successor, u.status = 'active'
                FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id JOIN users u ON u.id = s.user_id
                WHERE t.token_hash = \(digest) FOR UPDATE OF t, s
                """, logger: logger).collect()
            guard let row = rows.first else { return .invalid }
            let (sessionID, usedAt, tokenExpires, userID, revokedAt, sessionExpires, sealed, successorDigest, userActive) =
                try row.decode((UUID, Date?, Date, UUID, Date?, Date, ByteBuffer?, ByteBuffer?, Bool).self)
            // A disabled user's session never refreshes, whatever state a race left it in.
            guard userActive else { return .invalid }
            let now = Date()
            if let usedAt {
                // Whether the successor is still unused is read now, after the lock, in a statement
                // of its own: under READ COMMITTED it sees the successor committed by a concurrent
                // refresh we waited for (the locking statement's snapshot predates it, so two tabs
                // refreshing at once looked like token theft). No lock on the successor: a refresh
                // of it needs this session's row, which we hold, so it cannot commit meanwhile
                // (and locking it here could deadlock with that refresh).
                var successorUnused = false
                if let successorDigest {
                    successorUnused = try await connection.query("""
                        SELECT used_at IS NULL FROM refresh_tokens WHERE token_hash = \(successorDigest)
                        """, logger: logger).collect().first?.decode(Bool.self) ?? false
                }
                // A retry of a lost response: the same successor, while it is unused and the window lasts.
                if revokedAt == nil, successorUnused, now.timeIntervalSince(usedAt) <= refreshGrace.secondsValue,
                   let sealed, let sealer, let successor = try? sealer.open(Data(buffer: sealed), kid: Self.graceContext(digest)) {
                    try await connection.query("""
                        INSERT INTO audit_events (actor, action, target, outcome) VALUES (\(userID.uuidString), 'refresh', \(sessionID.uuidString), 'grace_retry')
                        """, logger: logger)
                    return .rotated(userID: userID, sessionID: sessionID, refreshToken: successor)
                }
                if revokedAt == nil {
                    try await connection.query("""
                        UPDATE sessions SET revoked_at = now(), revoke_reason = 'refresh_token_reuse' WHERE id = \(sessionID)
                        """, logger: logger)
                }
                return .reused(sessionID: sessionID)
            }
            guard revokedAt == nil, tokenExpires > now, sessionExpires > now else { return .invalid }
            let next = OpaqueToken.make(prefix: "rt_")
            let nextExpires = min(sessionExpires, now.addingTimeInterval(ttl.secondsValue))
            let nextSealed = refreshGrace > .zero ? try sealer?.seal(next, kid: Self.graceContext(digest)) : nil
            try await connection.query("""
                INSERT INTO refresh_tokens (token_hash, session_id, expires_at) VALUES (\(OpaqueToken.digest(next)), \(sessionID), \(nextExpires))
                """, logger: logger)
            try await connection.query("""
                UPDATE refresh_tokens SET used_at = now(), successor = \(OpaqueToken.digest(next)), successor_sealed = \(nextSealed)
                WHERE token_hash = \(digest)
                """, logger: logger)
            try await connection.query("UPDATE sessions SET last_seen_at = now() WHERE id = \(sessionID)", logger: logger)
            try await connection.query("""
                INSERT INTO audit_events (actor, action, target, outcome) VALUES (\(userID.uuidString), 'refresh', \(sessionID.uuidString), 'ok')
                """, logger: logger)
            return .rotated(userID: userID, sessionID: sessionID, refreshToken: next)
        }
    }

    /// Rotates an unused refresh token in one statement (see `refresh`): locks the token and
    /// its session, inserts the successor, marks the token used, touches the session and
    /// audits, or returns no row when the token cannot simply rotate. A refresh that commits
    /// first makes the locked row fail `used_at IS NULL` on re-check, so the second sees none.
    struct RotateRefreshToken: PostgresPreparedStatement {
        static let name = "kisum_rotate_refresh_token"
        static let sql = """
            WITH current AS (
                SELECT t.token_hash, t.session_id, s.user_id, s.expires_at AS session_expires
                FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id JOIN users u ON u.id = s.user_id
                WHERE t.token_hash = $1 AND t.used_at IS NULL AND t.expires_at > $5
                  AND s.revoked_at IS NULL AND s.expires_at > $5 AND u.status = 'active'
                FOR UPDATE OF t, s
            ), successor AS (
                INSERT INTO refresh_tokens (token_hash, session_id, expires_at)
                SELECT $2, session_id, least(session_expires, $5 + make_interval(secs => $4)) FROM current
            ), used AS (
                UPDATE refresh_tokens t SET used_at = now(), successor = $2, successor_sealed = $3
                FROM current WHERE t.token_hash = current.token_hash
            ), seen AS (
                UPDATE sessions s SET last_seen_at = now() FROM current WHERE s.id = current.session_id
            ), audited AS (
                INSERT INTO audit_events (actor, action, target, outcome)
                SELECT upper(user_id::text), 'refresh', upper(session_id::text), 'ok' FROM current
            )
            SELECT session_id, user_id FROM current
            """
        static let bindingDataTypes: [PostgresDataType] = [.bytea, .bytea, .bytea, .float8, .timestamptz]
        let digest: ByteBuffer
        let successor: ByteBuffer
        let successorSealed: Data?
        let ttlSeconds: Double
        /// This instance's clock, as the full transaction judges expiry with.
        let now: Date

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 4)
            bindings.append(digest)
            bindings.append(successor)
            if let successorSealed { bindings.append(ByteBuffer(data: successorSealed)) } else { bindings.appendNull() }
            bindings.append(ttlSeconds)
            bindings.append(now)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> (UUID, UUID) { try row.decode((UUID, UUID).self) }
    }

    /// Authenticated data binding a sealed successor to the token it succeeds.
    static func graceContext(_ digest: ByteBuffer) -> String { "refresh-successor:" + Data(buffer: digest).base64EncodedString() }

    /// Forgets sealed successors whose grace window has passed (they only served retries).
    public func forgetSealedSuccessors() async throws {
        _ = try await database.query("""
            UPDATE refresh_tokens SET successor_sealed = NULL
            WHERE successor_sealed IS NOT NULL AND used_at < now() - make_interval(secs => \(refreshGrace.secondsValue))
            """, operation: "refresh_grace_sweep", logger: logger)
    }

    public func isLive(sessionID: UUID, userID: UUID) async throws -> Bool {
        try await liveUntil(sessionID: sessionID, userID: userID) != nil
    }

    public func liveUntil(sessionID: UUID, userID: UUID) async throws -> Date? {
        let rows = try await database.query("""
            SELECT expires_at FROM sessions WHERE id = \(sessionID) AND user_id = \(userID) AND revoked_at IS NULL AND expires_at > now()
            """, operation: "session_live", logger: logger)
        return try rows.first?.decode(Date.self)
    }

    public func revoke(sessionID: UUID, userID: UUID?, reason: String) async throws -> Bool {
        let rows = try await database.query("""
            UPDATE sessions SET revoked_at = now(), revoke_reason = \(reason)
            WHERE id = \(sessionID) AND revoked_at IS NULL AND (\(userID)::uuid IS NULL OR user_id = \(userID))
            RETURNING id
            """, operation: "session_revoke", logger: logger)
        return !rows.isEmpty
    }

    public func revokeAll(userID: UUID, reason: String) async throws -> Int {
        try await database.query("""
            UPDATE sessions SET revoked_at = now(), revoke_reason = \(reason) WHERE user_id = \(userID) AND revoked_at IS NULL RETURNING id
            """, operation: "session_revoke_all", logger: logger).count
    }

    public func liveSessions(userID: UUID) async throws -> [SessionSummary] {
        try await database.query("""
            SELECT id, created_at, last_seen_at, expires_at, user_agent FROM sessions
            WHERE user_id = \(userID) AND revoked_at IS NULL AND expires_at > now() ORDER BY created_at DESC LIMIT 200
            """, operation: "sessions_list", logger: logger).map { row in
            let (id, created, seen, expires, agent) = try row.decode((UUID, Date, Date, Date, String?).self)
            return SessionSummary(id: id, createdAt: created, lastSeenAt: seen, expiresAt: expires, userAgent: agent)
        }
    }

    public func audit(actor: String, action: String, target: String?, outcome: String, requestID: String?,
                      details: [String: String]?) async throws {
        let json = try details.map { String(decoding: try JSONEncoder.sorted.encode($0), as: UTF8.self) }
        _ = try await database.query("""
            INSERT INTO audit_events (actor, action, target, outcome, request_id, details)
            VALUES (\(actor), \(action), \(target), \(outcome), \(requestID), \(json)::jsonb)
            """, operation: "audit", logger: logger)
    }
}

extension JSONEncoder {
    /// Deterministic JSON for audit details.
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }
}
