/// One entry of an endpoint's `backend[]`: where to send the request and how to shape the answer.
///
/// ```json
/// { "url_pattern": "/users/{id}", "method": "GET", "host": ["http://127.0.0.1:9001"],
///   "encoding": "json", "allow": ["id", "address.city"], "mapping": {"id": "user_id"},
///   "group": "user", "target": "data", "is_collection": false }
/// ```
///
/// Defaults: `method` the endpoint's; `host` the service's; `encoding` `json`; no manipulation.
/// When both `allow` and `deny` are set, `allow` wins and `deny` is ignored (KrakenD's rule; a warning says so).
public struct BackendConfiguration: Sendable {
    /// `url_pattern`: path (and optional query) with `{param}` placeholders, e.g. `/users/{id}`.
    public var urlPattern: String
    /// `method`: upper-case HTTP method (default: the endpoint's).
    public var method: String
    /// `host`: base URLs (`http://host:port`), round-robin (default: the service's `host`).
    public var host: [String]
    /// `sd`: service discovery, `static` (default) or `dns`.
    public var serviceDiscovery: String
    /// `disable_host_sanitize` (default false).
    public var disableHostSanitize: Bool
    /// `encoding` (default `json`).
    public var encoding: BackendEncoding
    /// `allow`: dot paths to keep.
    public var allow: [String]
    /// `deny`: dot paths to drop.
    public var deny: [String]
    /// `mapping`: renames, in file order.
    public var mapping: [(from: String, to: String)]
    /// `group`: wrap the response under this key.
    public var group: String?
    /// `target`: dot path of the object to extract before any other manipulation.
    public var target: String?
    /// `is_collection`: a top-level array becomes `{"collection": [...]}`.
    public var isCollection: Bool
    /// `input_headers` at backend level: narrows the endpoint's selection (nil: the endpoint's).
    public var inputHeaders: HeaderSelection?
    /// `input_query_strings` at backend level: narrows the endpoint's selection (nil: the endpoint's).
    public var inputQueryStrings: HeaderSelection?
    /// `extra_config` of this backend, every namespace as written.
    public var extraConfig: ExtraConfig
    /// Where this backend sits in the file, e.g. `endpoints[3].backend[0]`.
    public var jsonPath: String

    /// A backend; the loader fills `method` and `host` from the endpoint and the service.
    public init(
        urlPattern: String,
        method: String = "GET",
        host: [String] = [],
        serviceDiscovery: String = "static",
        disableHostSanitize: Bool = false,
        encoding: BackendEncoding = .json,
        allow: [String] = [],
        deny: [String] = [],
        mapping: [(from: String, to: String)] = [],
        group: String? = nil,
        target: String? = nil,
        isCollection: Bool = false,
        inputHeaders: HeaderSelection? = nil,
        inputQueryStrings: HeaderSelection? = nil,
        extraConfig: ExtraConfig? = nil,
        jsonPath: String = "endpoints[0].backend[0]"
    ) {
        self.urlPattern = urlPattern
        self.method = method
        self.host = host
        self.serviceDiscovery = serviceDiscovery
        self.disableHostSanitize = disableHostSanitize
        self.encoding = encoding
        self.allow = allow
        self.deny = deny
        self.mapping = mapping
        self.group = group
        self.target = target
        self.isCollection = isCollection
        self.inputHeaders = inputHeaders
        self.inputQueryStrings = inputQueryStrings
        self.extraConfig = extraConfig ?? ExtraConfig(path: jsonPath + ".extra_config")
        self.jsonPath = jsonPath
    }
}

/// A backend's `encoding`: how its response body is read.
public enum BackendEncoding: String, Sendable, CaseIterable {
    /// `json`: an object (or an array with `is_collection`); invalid JSON is a backend failure.
    case json
    /// `safejson`: any JSON value; an array becomes `{"collection": [...]}`, a scalar `{"result": value}`.
    case safeJSON = "safejson"
    /// `string`: the whole body as `{"content": "..."}`.
    case string
    /// `xml`: the document as a JSON object in clbanning/mxj's shape (`-attr`, `#text`, repeated elements as arrays).
    case xml
    /// `rss`: an RSS or Atom feed as the object KrakenD's rss decoder builds (`items`, `title`, …).
    case rss
    /// `no-op`: status, headers and body pass through untouched (single backend only).
    case noop = "no-op"
}

/// An endpoint's `output_encoding`: how the merged response is written.
public enum OutputEncoding: String, Sendable, CaseIterable {
    /// `json`: the merged object.
    case json
    /// `json-collection`: the `collection` array of the merged object (`[]` when absent).
    case jsonCollection = "json-collection"
    /// `string`: the merged object's `content` member as `text/plain` (empty when it is not a string).
    case string
    /// `xml`: the merged object as XML (clbanning/mxj's shape, as krakend-xml renders it).
    case xml
    /// `yaml`: the merged object as YAML.
    case yaml
    /// `negotiate`: JSON, XML or YAML (for `text/plain`), chosen by the request's `Accept`.
    case negotiate
    /// `no-op`: the single backend's response, untouched.
    case noop = "no-op"
}
