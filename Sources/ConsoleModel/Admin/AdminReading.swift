/// Something the console read through the Admin API as the signed-in operator, or why it
/// could not (not signed in, refused, Admin away).
public enum AdminReading<Value: Sendable & Equatable>: Sendable, Equatable {
    case value(Value)
    case unavailable(String)

    /// The value transformed (a reason stays as it is).
    public func map<Other: Sendable & Equatable>(_ transform: (Value) -> Other) -> AdminReading<Other> {
        switch self {
        case .value(let value): .value(transform(value))
        case .unavailable(let reason): .unavailable(reason)
        }
    }
}
