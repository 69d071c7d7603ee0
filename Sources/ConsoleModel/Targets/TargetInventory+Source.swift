import Foundation

extension TargetInventory {
    /// Where the console's targets come from: exactly one of a local state folder (`./kisum up`
    /// writes `console-targets.json` there), a target file, or the name of an environment of the
    /// operations inventory (`<assets>/console/<environment>.json`, generated from it).
    public static func file(state: String?, targets: String?, environment: String?, assets: String = "daemons") throws -> URL {
        switch (state, targets, environment) {
        case (let state?, nil, nil):
            return URL(fileURLWithPath: state, isDirectory: true).appendingPathComponent(fileName)
        case (nil, let targets?, nil):
            return URL(fileURLWithPath: targets)
        case (nil, nil, let environment?):
            guard !environment.isEmpty, environment.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }) else {
                throw InventoryError("--env must name an environment of the inventory (lower-case letters, digits, '-'): \(environment)")
            }
            return URL(fileURLWithPath: assets, isDirectory: true).appendingPathComponent("console/\(environment).json")
        default:
            throw InventoryError("pass exactly one of --state DIR, --targets FILE or --env NAME")
        }
    }

    /// The Admin API of this environment as an operator reaches it (its public address), if the
    /// inventory lists one.
    public var adminURL: String? { targets.first { $0.service == "admin" }?.publicURL }
}
