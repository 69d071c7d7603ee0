import Foundation
import PlatformTesting
import Testing

/// The README's variable tables and the environment templates are generated from the daemons'
/// declarations; these tests fail when someone edits a declaration without regenerating.
@Suite struct GeneratedDocsTests {
    @Test func readmeConfigurationSectionIsCurrent() async throws {
        let generated = try await ChildProcess.run(TestEnvironment.binary("kisum-ops").path, ["config"])
        #expect(generated.status == 0)
        let readme = try String(contentsOf: TestEnvironment.root.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "<!-- BEGIN GENERATED CONFIG -->").last?
            .components(separatedBy: "<!-- END GENERATED CONFIG -->").first)
        #expect(section.trimmingCharacters(in: .whitespacesAndNewlines) == generated.output.trimmingCharacters(in: .whitespacesAndNewlines),
                "run: .build/debug/kisum-ops config --write-docs README.md")
        #expect(section.contains("`CANARY_DB_URL`"))
    }

    @Test func environmentTemplatesAreCurrentAndHoldNoSecrets() async throws {
        let services = try await ChildProcess.run(TestEnvironment.binary("kisum-ops").path, ["local", "services"])
        try #require(services.status == 0, "kisum-ops local services failed: \(services.output)")
        let names = services.output.split(separator: "\n").map(String.init)
        // The premise: every daemon is listed (a crash or an empty list must not pass vacuously).
        try #require(names.count >= 3 && names.contains("auth") && names.contains("core") && names.contains("admin"),
                     "unexpected service list: \(services.output)")
        for service in names {
            let generated = try await ChildProcess.run(TestEnvironment.binary("kisum-ops").path,
                                                       ["config", "--template", "--service", service])
            try #require(generated.status == 0, "kisum-ops config --template --service \(service) failed: \(generated.output)")
            let file = TestEnvironment.root.appendingPathComponent("daemons/env/\(service).env.template")
            let committed = try String(contentsOf: file, encoding: .utf8)
            #expect(committed == generated.output, "regenerate daemons/env/\(service).env.template")
            // Only names, defaults and secret-file paths: no assigned URL, key or password.
            let assignments = committed.split(separator: "\n").filter { !$0.hasPrefix("#") && $0.contains("=") }
            for line in assignments {
                let value = line.split(separator: "=", maxSplits: 1).dropFirst().first ?? ""
                #expect(value.isEmpty || line.contains("_FILE=/run/credentials/kisum@\(service).service/"), "\(line)")
            }
        }
    }

    @Test func readmeOpensWithTheTwoCommands() throws {
        let readme = try String(contentsOf: TestEnvironment.root.appendingPathComponent("README.md"), encoding: .utf8)
        let opening = readme.prefix(600)
        #expect(opening.contains("./kisum up"))
        #expect(opening.contains("./kisum test"))
        let ci = try String(contentsOf: TestEnvironment.root.appendingPathComponent(".ci/run"), encoding: .utf8)
        #expect(ci.contains("exec ./kisum test"))
    }
}
