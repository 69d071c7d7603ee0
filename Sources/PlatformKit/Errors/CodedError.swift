/// A stable, machine-readable error code belonging to one error type (`Domain`), in the
/// swift-nio / jwt-kit struct-with-code style: codes are values, new ones can be added without
/// breaking anyone's exhaustive switch.
public struct ErrorCode<Domain>: Sendable, Hashable, CustomStringConvertible {
    public let name: String

    public init(_ name: String) { self.name = name }

    public var description: String { name }
}

/// An error with a stable code and a message for people.
public protocol CodedError: Error, Sendable, CustomStringConvertible {
    var code: ErrorCode<Self> { get }
    var message: String { get }
}

extension CodedError {
    public var description: String { "\(code): \(message)" }
}
