import AccessControl

/// Finance's permission table: every route's module and permission, in one place.
enum FinancePermissions {
    static let module = "finance"
    static let transactionsRead = AccessRequirement(module: module, permission: "finance.transactions.read")
    static let transactionsWrite = AccessRequirement(module: module, permission: "finance.transactions.write")
    static let budgetsRead = AccessRequirement(module: module, permission: "finance.budgets.read")
    static let budgetsWrite = AccessRequirement(module: module, permission: "finance.budgets.write")
    static let reportsRead = AccessRequirement(module: module, permission: "finance.reports.read")
}
