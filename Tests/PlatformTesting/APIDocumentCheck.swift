import Foundation

/// Checks a served OpenAPI document against the running service with
/// `Tests/Support/openapi_check.py`: the document validates, sample responses match their
/// documented schemas, and the documented operations can be compared with the routes.
public struct APIDocumentCheck: Sendable {
    /// The script's exit status and output (its first problem when it failed).
    public let status: Int32
    public let output: String
    /// "METHOD /path" of every documented operation.
    public let documented: Set<String>

    /// `samples`: `["method", "path" (the documented template), "status", "body"]` each.
    public static func run(document: String, samples: [[String: Any]]) async throws -> APIDocumentCheck {
        let folder = TestEnvironment.scratch.appendingPathComponent(TestEnvironment.uniqueName("openapi"))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let doc = folder.appendingPathComponent("api.yaml"), samplesFile = folder.appendingPathComponent("samples.json")
        try document.write(to: doc, atomically: true, encoding: .utf8)
        try JSONSerialization.data(withJSONObject: samples).write(to: samplesFile)
        let script = TestEnvironment.root.appendingPathComponent("Tests/Support/openapi_check.py").path
        let result = try await ChildProcess.run(TestEnvironment.python, [script, doc.path, samplesFile.path])
        let documented = Set(result.output.split(separator: "\n").map(String.init).filter { $0.contains(" /") })
        return APIDocumentCheck(status: result.status, output: result.output, documented: documented)
    }

    /// Router descriptions ("GET /a/:id" or "GET /a/{id}") in the document's `{id}` form.
    public static func normalise(_ routes: [String]) -> Set<String> {
        Set(routes.map { route in
            route.split(separator: "/", omittingEmptySubsequences: false).map { part in
                part.hasPrefix(":") ? "{\(part.dropFirst())}" : String(part)
            }.joined(separator: "/")
        })
    }
}
