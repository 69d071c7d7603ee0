import Foundation

/// Fuzzes a running service against its OpenAPI document with schemathesis
/// (`Tests/Support/api_fuzz_hooks.py` adds fresh credentials to every request): no 5xx, every
/// answer's status documented, every body matching its documented schema.
public struct APIFuzz: Sendable {
    /// Who the generated requests come from.
    public enum Caller: Sendable {
        /// A service calling internal routes (a fresh credential per request), acting for a person.
        case service(name: String, key: String, callee: String, actingUser: String?)
        /// A user signed in through `loginURL` (public routes), again after any 401; with `org`,
        /// every request names that company in `x-org`.
        case user(loginURL: String, email: String, password: String, org: String? = nil)
    }

    public let document: URL
    public let baseURL: String
    public let caller: Caller
    /// Only the operations whose path matches (e.g. `^/internal/`), or those that do not.
    public var includePaths: String?
    public var excludePaths: String?
    /// Examples per operation (on top of the coverage phase's boundary cases): bounded so CI
    /// stays within its budget.
    public var maxExamples = 15

    public init(document: URL, baseURL: String, caller: Caller, includePaths: String? = nil, excludePaths: String? = nil) {
        self.document = document
        self.baseURL = baseURL
        self.caller = caller
        self.includePaths = includePaths
        self.excludePaths = excludePaths
    }

    /// schemathesis's exit status, its report, and how many operations it selected (from the
    /// report: zero means the run proved nothing).
    public func run() async throws -> (status: Int32, output: String, operations: Int) {
        var arguments = ["-m", "schemathesis.cli", "--no-color", "run", document.path, "--url", baseURL,
                         "--checks", "not_a_server_error,status_code_conformance,response_schema_conformance",
                         "--max-examples", String(maxExamples), "--phases", "examples,coverage,fuzzing",
                         // One worker: CPython 3.11's ast.parse is not thread-safe ("AST constructor
                         // recursion depth mismatch" inside hypothesis with two).
                         "--workers", "1", "--request-timeout", "10", "--seed", "20261130",
                         "--generation-deterministic", "--suppress-health-check", "all"]
        if let includePaths { arguments += ["--include-path-regex", includePaths] }
        if let excludePaths { arguments += ["--exclude-path-regex", excludePaths] }
        var environment = ProcessInfo.processInfo.environment
        environment["SCHEMATHESIS_HOOKS"] = "api_fuzz_hooks"
        environment["PYTHONPATH"] = TestEnvironment.root.appendingPathComponent("Tests/Support").path
        switch caller {
        case .service(let name, let key, let callee, let actingUser):
            environment["KISUM_FUZZ_SERVICE_KEY"] = key
            environment["KISUM_FUZZ_CALLER"] = name
            environment["KISUM_FUZZ_CALLEE"] = callee
            environment["KISUM_FUZZ_ACTING_USER"] = actingUser
        case .user(let loginURL, let email, let password, let org):
            environment["KISUM_FUZZ_ORG"] = org
            environment["KISUM_FUZZ_LOGIN_URL"] = loginURL
            environment["KISUM_FUZZ_LOGIN_EMAIL"] = email
            environment["KISUM_FUZZ_LOGIN_PASSWORD"] = password
        }
        let (status, output) = try await ChildProcess.run(TestEnvironment.python, arguments, environment: environment)
        let selected = output.firstMatch(of: /Operations:\s+(\d+) selected/).flatMap { Int($0.1) } ?? 0
        return (status, output, selected)
    }
}
