import Logging
import NIOConcurrencyHelpers
import PlatformKit
import PostgresNIO

extension PlatformDatabase {
    /// Runs `body` in one transaction that every `withTransaction` of this database in it
    /// (however deep, in this task) joins: one commit for all, or none. For a step that must
    /// commit with writes made by code it calls — an idempotency key claimed and answered in
    /// the transaction of the write it guards. While it is open, a statement of this database
    /// on another connection (`query`, `execute`, `withConnection`) is refused: it would not
    /// see the transaction's writes and could wait on its locks. Once it has ended, nothing can
    /// join it (not even a task it started that outlived it).
    public func withEnclosingTransaction<Result: Sendable>(
        _ operation: String = "transaction",
        logger: Logger,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await withTransaction(operation, logger: logger) { connection in
            let enclosing = EnclosingTransaction(database: ObjectIdentifier(self), connection: connection)
            defer { enclosing.close() }
            return try await Self.$enclosing.withValue(enclosing) { try await body(connection) }
        }
    }

    @TaskLocal static var enclosing: EnclosingTransaction?

    /// This database's enclosing transaction in this task, if one is open.
    func enclosingTransaction() throws -> EnclosingTransaction? {
        guard let enclosing = Self.enclosing, enclosing.database == ObjectIdentifier(self) else { return nil }
        guard enclosing.isOpen else {
            throw PlatformError(.internalError, "a transaction tried to join an enclosing transaction that has ended")
        }
        return enclosing
    }

    func refuseBesideEnclosingTransaction() throws {
        guard let enclosing = Self.enclosing, enclosing.database == ObjectIdentifier(self), enclosing.isOpen else { return }
        throw PlatformError(.internalError, "a statement outside the open enclosing transaction (use withTransaction inside it)")
    }
}

/// The transaction `withEnclosingTransaction` opened, and whether it still is.
final class EnclosingTransaction: Sendable {
    let database: ObjectIdentifier
    let connection: PostgresConnection
    private let state = NIOLockedValueBox((open: true, savepoints: 0))

    init(database: ObjectIdentifier, connection: PostgresConnection) {
        self.database = database
        self.connection = connection
    }

    var isOpen: Bool { state.withLockedValue { $0.open } }

    func close() { state.withLockedValue { $0.open = false } }

    /// Runs `body` inside the enclosing transaction under a savepoint of its own: released when
    /// it returns, rolled back to when it throws.
    func join<Result: Sendable>(logger: Logger, _ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        let name = state.withLockedValue { state in
            state.savepoints += 1
            return "kisum_joined_\(state.savepoints)"
        }
        try await connection.query(PostgresQuery(unsafeSQL: "SAVEPOINT \(name)"), logger: logger)
        do {
            let result = try await body(connection)
            try await connection.query(PostgresQuery(unsafeSQL: "RELEASE SAVEPOINT \(name)"), logger: logger)
            return result
        } catch {
            _ = try? await connection.query(PostgresQuery(unsafeSQL: "ROLLBACK TO SAVEPOINT \(name)"), logger: logger)
            throw error
        }
    }
}
