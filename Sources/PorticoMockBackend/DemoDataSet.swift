import ArgumentParser
import Foundation

/// The demo backends of the README's `make run`: routes files under `examples/demo-backends/`.
enum DemoDataSet: String, CaseIterable, ExpressibleByArgument {
    case users
    case orders
    case catalog
    case all

    /// The routes files of this data set, relative to the demo directory.
    var routeFiles: [String] {
        switch self {
        case .all: ["users.json", "orders.json", "catalog.json"]
        default: ["\(self.rawValue).json"]
        }
    }

    /// The first existing demo directory: the explicit one, `$PORTICO_DEMO_DIR`, `./examples/demo-backends`, or
    /// one found walking up from the executable (so `.build/debug/portico-mock-backend` finds the repo's copy).
    static func locateDirectory(explicit: String?) throws -> String {
        if let explicit {
            return explicit
        }
        var candidates: [String] = []
        if let fromEnvironment = ProcessInfo.processInfo.environment["PORTICO_DEMO_DIR"] {
            candidates.append(fromEnvironment)
        }
        candidates.append(FileManager.default.currentDirectoryPath + "/examples/demo-backends")
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent()
        for _ in 0..<5 {
            candidates.append(directory.appendingPathComponent("examples/demo-backends").path)
            candidates.append(directory.appendingPathComponent("share/portico/demo-backends").path)
            directory = directory.deletingLastPathComponent()
        }
        for candidate in candidates where FileManager.default.fileExists(atPath: candidate + "/users.json") {
            return candidate
        }
        throw ValidationError(
            "cannot find the demo data (looked in \(candidates.joined(separator: ", "))); pass --demo-directory"
        )
    }
}
