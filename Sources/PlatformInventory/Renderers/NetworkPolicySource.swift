/// The network matrix as Swift source for ServiceAuth (`NetworkPolicy.allowedCallers`), so the
/// callers a daemon accepts on its internal routes are the inventory's, never a second list.
public struct NetworkPolicySource: Sendable {
    public let inventory: Inventory

    public init(inventory: Inventory) { self.inventory = inventory }

    public static let path = "Sources/ServiceAuth/NetworkPolicy+Matrix.swift"

    public func render() -> String {
        var out = GeneratedText.header(comment: "//", what: "the network matrix")
        out += "extension NetworkPolicy {\n"
        out += "    /// Callers allowed per callee (the inventory's `callers`). Anything not listed is denied.\n"
        out += "    public static let allowedCallers: [String: Set<String>] = [\n"
        for service in inventory.services {
            let callers = service.callers.map { "\"\($0)\"" }.joined(separator: ", ")
            out += "        \"\(service.name)\": [\(callers)],\n"
        }
        out += "    ]\n}\n"
        return out
    }
}
