import Foundation
import PlatformKit
import PostgresNIO

extension PSQLError: LogDetailedError {
    /// The error code, the server's SQLSTATE, primary message and the names of the schema,
    /// table, column and constraint involved, and the statement's text. Never the bound values
    /// (PostgresNIO masks them anyway) nor the server's detail and hint, which quote row data.
    public var logDetail: String {
        var parts = ["PSQLError code=\(code)"]
        if let info = serverInfo {
            let fields: [(String, PSQLError.ServerInfo.Field)] = [
                ("sqlstate", .sqlState), ("message", .message), ("schema", .schemaName), ("table", .tableName),
                ("column", .columnName), ("constraint", .constraintName),
            ]
            for (name, field) in fields { if let value = info[field] { parts.append("\(name)=\(value)") } }
        }
        if let underlying {
            let described = (underlying as? any LogDetailedError)?.logDetail ?? String(reflecting: underlying)
            parts.append("underlying=\(described)")
        }
        if let sql = query?.sql { parts.append("statement=\(sql.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " "))") }
        return parts.joined(separator: " ")
    }
}

extension PostgresDecodingError: LogDetailedError {
    /// Which column failed to decode into which type; never the cell's bytes.
    public var logDetail: String {
        "PostgresDecodingError code=\(code) column=\(columnName) index=\(columnIndex) postgres_type=\(postgresType) target=\(targetType)"
    }
}
