/// The platform's network matrix (spec: "which services can talk to which others"): for
/// each callee, the services allowed to call its internal routes. The table itself,
/// `allowedCallers`, is generated from `daemons/inventory.yml` (NetworkPolicy+Matrix.swift).
public enum NetworkPolicy {
    /// Business backends, which may call Auth's internal access routes.
    public static let businessBackends: Set<String> = ["basic", "finance", "market", "touring", "venue", "ai"]

    /// Services that enforce users' access with the shared layer: they follow Auth's change
    /// feed and ask Auth for decisions it cannot vouch for (the canary is the reference).
    public static let accessEnforcers: Set<String> = businessBackends.union(["canary"])

    /// The callers `callee` accepts on its internal routes.
    public static func callers(of callee: String) -> Set<String> {
        allowedCallers[callee] ?? []
    }
}
