import Foundation
import Yams

/// The runbooks of a folder (`runbooks/*.yaml`), each validated on load.
public struct RunbookLibrary: Sendable {
    public let runbooks: [Runbook]

    public init(runbooks: [Runbook]) {
        self.runbooks = runbooks.sorted { $0.name < $1.name }
    }

    /// Reads every `.yaml` file in `folder`; one invalid file fails the load with every
    /// problem named (a runbook that cannot be trusted is not offered).
    public static func load(from folder: URL) throws -> RunbookLibrary {
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "yaml" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        var runbooks: [Runbook] = []
        for file in files {
            let runbook = try parse(try String(contentsOf: file, encoding: .utf8), file: file.lastPathComponent)
            if runbook.name + ".yaml" != file.lastPathComponent {
                throw RunbookError.invalid(file: file.lastPathComponent, problems: ["its name (\(runbook.name)) must match the file name"])
            }
            runbooks.append(runbook)
        }
        let names = runbooks.map(\.name)
        if let twice = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
            throw RunbookError.invalid(file: folder.path, problems: ["\(twice) is defined twice"])
        }
        return RunbookLibrary(runbooks: runbooks)
    }

    /// One runbook from its YAML text, validated.
    public static func parse(_ yaml: String, file: String) throws -> Runbook {
        let runbook: Runbook
        do {
            runbook = try YAMLDecoder().decode(Runbook.self, from: yaml)
        } catch {
            throw RunbookError.invalid(file: file, problems: [Self.describe(error)])
        }
        let problems = RunbookValidator.problems(in: runbook)
        guard problems.isEmpty else { throw RunbookError.invalid(file: file, problems: problems) }
        return runbook
    }

    /// The runbook called `name`.
    public func runbook(named name: String) throws -> Runbook {
        guard let runbook = runbooks.first(where: { $0.name == name }) else {
            throw RunbookError.unknownRunbook(name, known: runbooks.map(\.name))
        }
        return runbook
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            "missing \(key.stringValue) at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context), DecodingError.dataCorrupted(let context):
            "\(context.debugDescription) at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        default: "not YAML a runbook can be read from: \(error)"
        }
    }
}
