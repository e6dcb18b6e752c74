/// A fault injected into the mock's answers, for the next `count` requests or until cleared.
///
/// Faults apply to every request except the `/__mock/*` control endpoints, matched route or not, and the
/// request is still recorded (the backend "saw" it).
///
/// ```swift
/// server.setFailure(.status(503, count: 3))           // three 503s, then normal answers
/// server.setFailure(.delay(.milliseconds(300)))       // every answer 300 ms late until cleared
/// server.setFailure(.resetMidBody())                  // headers and part of the body, then a TCP RST
/// server.setFailure(nil)                              // back to normal
/// ```
public struct MockFailure: Sendable, Equatable {
    /// What goes wrong.
    public enum Fault: Sendable, Equatable {
        /// Answer this status with this body (`Content-Type: application/json`) instead of the route's response.
        case status(Int, body: [UInt8])
        /// Answer normally, but this much later (added to the route's own delay).
        case delay(Duration)
        /// Answer 200 `application/json` with a truncated, unparsable JSON body.
        case invalidJSON
        /// Answer 200 `application/json` with a valid JSON body of exactly this many bytes (at least 14).
        case oversizedBody(bytes: Int)
        /// Close the connection without writing anything.
        case closeConnection
        /// Write a 200 head announcing 4,096 bytes and 1,024 of them, then reset the connection (SO_LINGER 0).
        case resetMidBody
    }

    /// The fault.
    public var fault: Fault
    /// How many requests it applies to; `nil` means every request until cleared.
    public var count: Int?

    /// A fault for the next `count` requests (`nil`: until cleared).
    public init(_ fault: Fault, count: Int? = nil) {
        self.fault = fault
        self.count = count.map { max(0, $0) }
    }

    /// The JSON body `status(_:body:count:)` answers by default.
    public static let defaultStatusBody = #"{"error":"injected failure"}"#

    /// Answer `code` with `body` instead of the route's response.
    public static func status(_ code: Int, body: String = defaultStatusBody, count: Int? = nil) -> MockFailure {
        MockFailure(.status(code, body: Array(body.utf8)), count: count)
    }

    /// Delay answers by `duration`.
    public static func delay(_ duration: Duration, count: Int? = nil) -> MockFailure {
        MockFailure(.delay(duration), count: count)
    }

    /// Answer an unparsable JSON body.
    public static func invalidJSON(count: Int? = nil) -> MockFailure {
        MockFailure(.invalidJSON, count: count)
    }

    /// Answer a JSON body of exactly `bytes` bytes.
    public static func oversizedBody(bytes: Int, count: Int? = nil) -> MockFailure {
        MockFailure(.oversizedBody(bytes: bytes), count: count)
    }

    /// Close the connection without answering.
    public static func closeConnection(count: Int? = nil) -> MockFailure {
        MockFailure(.closeConnection, count: count)
    }

    /// Reset the connection in the middle of the body.
    public static func resetMidBody(count: Int? = nil) -> MockFailure {
        MockFailure(.resetMidBody, count: count)
    }
}
