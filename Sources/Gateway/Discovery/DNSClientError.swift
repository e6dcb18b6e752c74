/// A lookup that got no usable answer.
enum DNSClientError: Error, Equatable, CustomStringConvertible {
    /// No answer within the timeout.
    case timeout(String, server: String)
    /// No attempt was made or none answered.
    case noAnswer(String)

    var description: String {
        switch self {
        case .timeout(let name, let server): "no DNS answer for \(name) from \(server) in time"
        case .noAnswer(let name): "no DNS answer for \(name)"
        }
    }
}
