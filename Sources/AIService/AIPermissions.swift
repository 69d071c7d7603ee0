import AccessControl

/// AI's permission table: every route's module and permission, in one place.
enum AIPermissions {
    static let module = "ai"
    static let assistUse = AccessRequirement(module: module, permission: "ai.assist.use")
    static let usageRead = AccessRequirement(module: module, permission: "ai.usage.read")
}
