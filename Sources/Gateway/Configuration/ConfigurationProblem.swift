/// One thing wrong with a configuration file: where it is and what was expected.
///
/// Rendered as `portico.json: endpoints[3].backend[0].url_pattern: expected a string, got 5`, or, for syntax errors
/// that have a position, `portico.json:12:7: expected ',' or '}' after an object member, got ']'`.
public struct ConfigurationProblem: Sendable, Equatable, CustomStringConvertible {
    /// The file as given to the loader (e.g. `portico.json`).
    public var file: String
    /// The JSON path of the offending value, e.g. `endpoints[3].backend[0].host[1]`; empty for the whole file.
    public var path: String
    /// What was expected and what was found.
    public var message: String
    /// 1-based line of a syntax error, when known.
    public var line: Int?
    /// 1-based column (in Unicode scalars) of a syntax error, when known.
    public var column: Int?

    /// A problem; `line` and `column` only for syntax errors.
    public init(file: String, path: String, message: String, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.path = path
        self.message = message
        self.line = line
        self.column = column
    }

    /// `file: path: message`, or `file:line:column: message` for syntax errors.
    public var description: String {
        var location = file
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        return path.isEmpty ? "\(location): \(message)" : "\(location): \(path): \(message)"
    }
}
