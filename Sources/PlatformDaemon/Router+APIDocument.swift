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
    public func addAPIDocument(_ url: URL?, enforced: DeclaredRoutes? = nil) {
        let rendered = NIOLockedValueBox<String?>(nil)
        get("/openapi.yaml") { _, _ in
            let text = try rendered.withLockedValue { cached in
                if let cached { return cached }
                guard let url, let text = try? String(contentsOf: url, encoding: .utf8) else {
                    throw PlatformError(.notFound, "the API document is not installed")
                }
                let document = try enforced.map { try APIDocumentAccess.annotate(text, with: $0.all) } ?? text
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
