import Foundation
import Hummingbird
import Logging
import PlatformKit
import PlatformPostgres
import PlatformRedis
import PostgresNIO

/// A note as stored, and where this read came from.
public struct Note: Codable, ResponseEncodable, Sendable, Equatable {
    public let id: Int64
    public let body: String
    public var source: String?
}

/// Notes in PostgreSQL, read through Redis (cache-aside). Redis down or wrong changes only
/// speed: any cache failure, or a cached value that does not decode, falls back to the
/// database.
struct NoteRepository: Sendable {
    let database: PlatformDatabase
    let cache: RedisClient?
    let logger: Logger
    static let ttl: Duration = .seconds(300)

    func create(body: String) async throws -> Note {
        let rows = try await database.query("INSERT INTO canary_notes (body) VALUES (\(body)) RETURNING id",
                                            operation: "note_insert", logger: logger)
        let id = try rows[0].decode(Int64.self)
        return Note(id: id, body: body, source: "database")
    }

    /// The note a path parameter names, or 400/404.
    func read(_ parameter: String?) async throws -> Note {
        guard let id = parameter.flatMap({ Int64($0) }) else { throw PlatformError(.invalidRequest, "id must be a number") }
        guard let found = try await find(id: id) else { throw PlatformError(.notFound, "no note \(id)") }
        return found
    }

    func find(id: Int64) async throws -> Note? {
        let key = "canary:note:\(id)"
        if let cache {
            do {
                if let bytes = try await cache.get(key),
                   let note = try? JSONDecoder().decode(Note.self, from: Data(bytes)), note.id == id {
                    return Note(id: note.id, body: note.body, source: "cache")
                }
            } catch {
                logger.debug("cache read failed; using the database", metadata: ["error_code": "\(error.code)"])
            }
        }
        let rows = try await database.query("SELECT id, body FROM canary_notes WHERE id = \(id)",
                                            operation: "note_select", logger: logger)
        guard let row = rows.first else { return nil }
        let (foundID, body) = try row.decode((Int64, String).self)
        let note = Note(id: foundID, body: body, source: nil)
        if let cache, let data = try? JSONEncoder().encode(note) {
            try? await cache.set(key, Array(data), ttl: Self.ttl)
        }
        return Note(id: foundID, body: body, source: "database")
    }
}
