import Foundation
import Hummingbird

/// Whether a catalog object may still be sold.
public enum CatalogStatus: String, Codable, Sendable {
    case active, retired
}

/// A product module (`core_app`, `finance`, `market`, …).
public struct CatalogModule: Codable, Sendable, Equatable, ResponseEncodable {
    public var key: String
    public var name: String
    public var status: CatalogStatus
    public var version: Int

    /// The module that only an active Basic package grants.
    public static let coreApp = "core_app"

    public init(key: String, name: String, status: CatalogStatus, version: Int) {
        self.key = key
        self.name = name
        self.status = status
        self.version = version
    }
}

/// A bundle of modules (e.g. `basic`, which includes `core_app`).
public struct CatalogPackage: Codable, Sendable, Equatable, ResponseEncodable {
    public var key: String
    public var name: String
    public var status: CatalogStatus
    public var version: Int
    public var modules: [String]

    public init(key: String, name: String, status: CatalogStatus, version: Int, modules: [String]) {
        self.key = key
        self.name = name
        self.status = status
        self.version = version
        self.modules = modules
    }
}

/// One module sold on its own.
public struct CatalogAddon: Codable, Sendable, Equatable, ResponseEncodable {
    public var key: String
    public var name: String
    public var status: CatalogStatus
    public var version: Int
    public var module: String

    public init(key: String, name: String, status: CatalogStatus, version: Int, module: String) {
        self.key = key
        self.name = name
        self.status = status
        self.version = version
        self.module = module
    }
}

/// The whole catalog.
public struct Catalog: Codable, Sendable, Equatable, ResponseEncodable {
    public var modules: [CatalogModule]
    public var packages: [CatalogPackage]
    public var addons: [CatalogAddon]

    public init(modules: [CatalogModule], packages: [CatalogPackage], addons: [CatalogAddon]) {
        self.modules = modules
        self.packages = packages
        self.addons = addons
    }
}

/// Catalog keys: lowercase letters, digits and `_`, starting with a letter, 2 to 40 long.
public func isCatalogKey(_ key: String) -> Bool {
    key.range(of: "^[a-z][a-z0-9_]{1,39}$", options: .regularExpression) != nil
}
