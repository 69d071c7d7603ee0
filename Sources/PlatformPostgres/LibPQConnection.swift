import PlatformKit
import CLibPQ
import Foundation
import NIOPosix

/// A blocking libpq connection for operations tooling (migrations, provisioning, backups):
/// `execute` runs whole SQL files through the simple-query protocol, as `psql -f` does.
/// Daemons use PostgresNIO; this type never runs on an event loop (see `run(on:)`).
public final class LibPQConnection {
    private let handle: OpaquePointer

    /// Connects with libpq; the error never includes the password.
    public init(settings: PostgresSettings) throws(DatabaseCommandError) {
        guard let handle = PQconnectdb(settings.conninfo) else {
            throw DatabaseCommandError(sqlState: nil, message: "libpq could not allocate a connection")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(handle)).trimmingTrailingNewlines()
            PQfinish(handle)
            throw DatabaseCommandError(sqlState: nil, message: "cannot connect to \(settings.database) as \(settings.username): \(message)")
        }
        self.handle = handle
        _ = try? execute("SET client_min_messages = warning")
    }

    deinit { PQfinish(handle) }

    /// Runs SQL (one or many statements) and returns the rows of the last one as text.
    @discardableResult
    public func execute(_ sql: String) throws(DatabaseCommandError) -> [[String?]] {
        try collect(PQexec(handle, sql))
    }

    /// Runs one statement with text parameters `$1…$n`.
    @discardableResult
    public func execute(_ sql: String, parameters: [String?]) throws(DatabaseCommandError) -> [[String?]] {
        var cStrings: [UnsafeMutablePointer<CChar>?] = parameters.map { $0.flatMap { strdup($0) } }
        defer { cStrings.forEach { free($0) } }
        let result = cStrings.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: buffer.count) { values in
                PQexecParams(handle, sql, Int32(parameters.count), nil, values, nil, nil, 0)
            }
        }
        return try collect(result)
    }

    private func collect(_ result: OpaquePointer?) throws(DatabaseCommandError) -> [[String?]] {
        guard let result else {
            throw DatabaseCommandError(sqlState: nil, message: String(cString: PQerrorMessage(handle)).trimmingTrailingNewlines())
        }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return []
        case PGRES_TUPLES_OK:
            let rows = PQntuples(result), columns = PQnfields(result)
            return (0..<rows).map { row in
                (0..<columns).map { column in
                    PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
                }
            }
        default:
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            let primary = PQresultErrorField(result, Int32(UInt8(ascii: "M"))).map { String(cString: $0) }
                ?? String(cString: PQresultErrorMessage(result)).trimmingTrailingNewlines()
            throw DatabaseCommandError(sqlState: state, message: primary)
        }
    }

    /// Runs blocking libpq work on NIO's thread pool, off the caller's executor.
    public static func run<Value: Sendable>(
        _ work: @escaping @Sendable () throws -> Value
    ) async throws -> Value {
        try await NIOThreadPool.singleton.runIfActive(work)
    }
}

/// A libpq call failed; `sqlState` is PostgreSQL's error code when the server answered.
public struct DatabaseCommandError: Error, Sendable, CustomStringConvertible {
    public let sqlState: String?
    public let message: String

    public var description: String { sqlState.map { "\(message) (SQLSTATE \($0))" } ?? message }
}

extension PostgresSettings {
    /// A libpq keyword/value connection string.
    public var conninfo: String {
        func quoted(_ value: String) -> String {
            "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
        }
        var parts = [
            "host=\(quoted(host))", "port=\(port)", "user=\(quoted(username))", "dbname=\(quoted(database))",
            "sslmode=\(sslMode.rawValue)", "connect_timeout=\(max(1, connectTimeout.wholeSeconds))",
            "application_name=\(quoted(applicationName))",
        ]
        if let password { parts.append("password=\(quoted(password))") }
        if let sslRootCertificate { parts.append("sslrootcert=\(quoted(sslRootCertificate))") }
        return parts.joined(separator: " ")
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var copy = self
        while copy.last?.isNewline == true { copy.removeLast() }
        return copy
    }
}
