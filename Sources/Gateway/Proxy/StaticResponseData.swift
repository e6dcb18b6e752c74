import NIOCore

/// KrakenD's endpoint `proxy.static`: fixed data merged over the response when the strategy matches.
///
/// ```json
/// "extra_config": { "proxy": { "static": {
///     "strategy": "errored",
///     "data": { "status": "degraded" }
/// } } }
/// ```
///
/// As Lura's `NewStaticMiddleware` (`proxy/static.go`): `strategy` defaults to `always`; each top-level member
/// of `data` overwrites the response's member of that name (no deep merge). Strategies, where "errored" means
/// some backend failed: `always`; `success` (no backend failed); `complete` (none failed, response complete);
/// `errored` (some failed); `incomplete` (some failed or the response is incomplete). When every backend failed
/// and the strategy matches, the client gets 200 with the static data and `X-Krakend-Completed: false`.
struct StaticResponseData: Sendable, Equatable {
    /// When the data applies.
    enum Strategy: String, Sendable, CaseIterable {
        case always, success, complete, errored, incomplete
    }

    let strategy: Strategy
    let data: JSONObject

    init(strategy: Strategy, data: JSONObject) {
        self.strategy = strategy
        self.data = data
    }

    /// Whether the data applies to an outcome. `errored`: some backend call failed; `complete`: the response
    /// carries every backend's data.
    func matches(errored: Bool, complete: Bool) -> Bool {
        switch strategy {
        case .always: true
        case .success: !errored
        case .complete: !errored && complete
        case .errored: errored
        case .incomplete: !complete || errored
        }
    }

    /// Writes `object` (a JSON object, or nil for none) with the static members set over it.
    func merge(over object: ByteBuffer?) -> ByteBuffer {
        var merged = JSONObject()
        if let object, case .object(let parsed)? = try? JSONValue(parsing: object) { merged = parsed }
        for (key, value) in data { merged[key] = value }
        var output = ByteBufferAllocator().buffer(capacity: (object?.readableBytes ?? 0) + 64)
        JSONValue.object(merged).write(into: &output)
        return output
    }

    /// Reads `static` at `path`.
    static func read(
        _ value: ConfigValue,
        at path: String,
        into reader: inout ProxyNamespaceReader
    ) -> StaticResponseData? {
        guard let object = reader.object(value, at: path) else { return nil }
        reader.warnUnknownKeys(object, known: ["strategy", "data"], at: path)
        var strategy = Strategy.always
        if let name = reader.string(object, "strategy", at: path) {
            if let known = Strategy(rawValue: name) {
                strategy = known
            } else {
                let names = Strategy.allCases.map(\.rawValue).joined(separator: ", ")
                reader.problem(
                    ConfigurationPath.member(path, "strategy"),
                    "expected one of \(names), got \(ConfigValue.quoted(name))"
                )
                return nil
            }
        }
        guard let data = object["data"] else {
            reader.problem(path, "required key \"data\" is missing; expected an object")
            return nil
        }
        guard case .object = data, case .object(let members) = JSONValue(data) else {
            reader.problem(
                ConfigurationPath.member(path, "data"),
                "expected an object, got \(data.renderedForMessage())"
            )
            return nil
        }
        return StaticResponseData(strategy: strategy, data: members)
    }
}
