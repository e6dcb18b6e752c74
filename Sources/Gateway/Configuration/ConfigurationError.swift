/// Every problem found in a configuration file; thrown when there is at least one.
///
/// The loader does not stop at the first problem: one run lists everything to fix, one problem per line.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The problems, in the order found (file order, mostly).
    public var problems: [ConfigurationProblem]
    /// Warnings found on the way, so `portico check` can show them next to the errors.
    public var warnings: [ConfigurationWarning]

    /// An error with these problems (at least one) and the warnings found alongside.
    public init(problems: [ConfigurationProblem], warnings: [ConfigurationWarning] = []) {
        self.problems = problems
        self.warnings = warnings
    }

    /// A single problem.
    public init(file: String, path: String, message: String) {
        self.init(problems: [ConfigurationProblem(file: file, path: path, message: message)])
    }

    /// One problem per line.
    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}
