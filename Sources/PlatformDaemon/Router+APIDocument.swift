import AccessControl
import Foundation
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore
import PlatformKit
import Yams

extension Router where Context == PlatformRequestContext {
    /// `GET /openapi.yaml`: the daemon's API document, from its bundle (management listener).
    /// With `enforced`, each operation behind the access layer shows what it needs
    /// (`x-kisum-access`: the `x-org` company, and the module and permission of its group),
    /// taken from the routes as declared, so the document cannot drift from the code.
    /// `settings` replaces values of the bundled document with the ones this daemon was
    /// configured with (a limit the service checks is the limit the document states).
    public func addAPIDocument(_ url: URL?, enforced: DeclaredRoutes? = nil, settings: [APIDocumentSetting] = []) {
        let rendered = NIOLockedValueBox<String?>(nil)
        get("/openapi.yaml") { _, _ in
            let text = try rendered.withLockedValue { cached in
                if let cached { return cached }
                guard let url, let text = try? String(contentsOf: url, encoding: .utf8) else {
                    throw PlatformError(.notFound, "the API document is not installed")
                }
                var document = try enforced.map { try APIDocumentAccess.annotate(text, with: $0.all) } ?? text
                if !settings.isEmpty { document = try APIDocumentSetting.apply(settings, to: document) }
                cached = document
                return document
            }
            return Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: ByteBuffer(string: text)))
        }
    }
}

/// Writes the access requirements of enforced routes into an OpenAPI document.
public enum APIDocumentAccess {
    /// `document` with `x-kisum-access` on the operation of every route in `routes` that it
    /// documents (an undocumented route is left to the document tests to find).
    public static func annotate(_ document: String, with routes: [DeclaredRoute]) throws -> String {
        guard !routes.isEmpty else { return document }
        guard var root = try Yams.compose(yaml: document), var paths = root["paths"] else {
            throw PlatformError(.internalError, "the API document has no paths")
        }
        for route in routes {
            let method = route.method.lowercased()
            guard var item = paths[route.path], var operation = item[method] else { continue }
            var access: [(Node, Node)] = [(Node("company"), Node("the member's company, named by the x-org header (id or slug)"))]
            if route.requirements.count == 1, let requirement = route.requirements.first, !requirement.coreAppVisible {
                access.append((Node("module"), Node(requirement.module)))
                if let permission = requirement.permission { access.append((Node("permission"), Node(permission))) }
            } else if !route.requirements.isEmpty {
                access.append((Node("all_of"), .sequence(Node.Sequence(route.requirements.map { Node($0.description) }))))
            }
            operation["x-kisum-access"] = .mapping(Node.Mapping(access))
            item[method] = operation
            paths[route.path] = item
        }
        root["paths"] = paths
        return try Yams.serialize(node: root, width: -1, allowUnicode: true)
    }
}

/// A value of the API document that comes from configuration, e.g. a `maxLength` the service
/// enforces from a setting.
public struct APIDocumentSetting: Sendable {
    /// Mapping keys from the document's root to the value, e.g. `components`, `schemas`, …
    public let path: [String]
    public let value: Int

    public init(_ path: [String], _ value: Int) {
        self.path = path
        self.value = value
    }

    /// `document` with every setting's value in place; a path the document lacks is an error
    /// (the document and the code disagree).
    static func apply(_ settings: [APIDocumentSetting], to document: String) throws -> String {
        guard var root = try Yams.compose(yaml: document) else { throw PlatformError(.internalError, "the API document is empty") }
        for setting in settings {
            root = try replacing(in: root, at: setting.path[...], with: Node(String(setting.value), Tag(.int)))
        }
        return try Yams.serialize(node: root, width: -1, allowUnicode: true)
    }

    private static func replacing(in node: Node, at path: ArraySlice<String>, with value: Node) throws -> Node {
        guard let key = path.first else { return value }
        guard var mapping = node.mapping, let child = mapping[key] else {
            throw PlatformError(.internalError, "the API document has no \(key) where a configured value belongs")
        }
        mapping[key] = try replacing(in: child, at: path.dropFirst(), with: value)
        return .mapping(mapping)
    }
}
