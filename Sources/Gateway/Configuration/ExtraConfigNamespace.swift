/// `extra_config` namespace names: the ones the loader reads itself, and KrakenD's historical long names.
///
/// KrakenD CE still accepts the Go import paths that were namespaces before v2 (e.g.
/// `github.com/devopsfaith/krakend-circuitbreaker/gobreaker` for `qos/circuit-breaker`). The loader turns every such
/// alias into its short name, so stages only ever look up short names. The table is KrakenD CE's (`cmd/krakend-ce`),
/// each long name accepted with both spellings KrakenD files use, `github.com/…` and `github_com/…`.
public enum ExtraConfigNamespace {
    /// KrakenD's router options, read by the loader into `ServiceConfiguration.router`.
    public static let router = "router"
    /// Portico's data-path options, read by the loader into `ServiceConfiguration.http`.
    public static let porticoHTTP = "portico/http"

    /// Long (historical) name → short name.
    public static let aliases: [String: String] = {
        var aliases: [String: String] = [:]
        for (longName, shortName) in krakendAliases {
            aliases[longName] = shortName
            // Both spellings appear in real files; KrakenD's own table mixes them.
            if longName.hasPrefix("github.com/") {
                aliases["github_com/" + longName.dropFirst("github.com/".count)] = shortName
            } else if longName.hasPrefix("github_com/") {
                aliases["github.com/" + longName.dropFirst("github_com/".count)] = shortName
            }
        }
        return aliases
    }()

    /// The short name for `namespace`: its alias target, or `namespace` itself.
    public static func canonicalName(_ namespace: String) -> String {
        aliases[namespace] ?? namespace
    }

    /// KrakenD CE's alias table, as it registers it with Lura's `config.ExtraConfigAlias`.
    private static let krakendAliases: KeyValuePairs<String, String> = [
        "github_com/devopsfaith/krakend/transport/http/server/handler": "plugin/http-server",
        "github.com/devopsfaith/krakend/transport/http/client/executor": "plugin/http-client",
        "github.com/devopsfaith/krakend/proxy/plugin": "plugin/req-resp-modifier",
        "github.com/devopsfaith/krakend/proxy": "proxy",
        "github_com/luraproject/lura/router/gin": "router",
        // The router's name before Lura was split out of KrakenD (KrakenD 1.x).
        "github_com/devopsfaith/krakend/router/gin": "router",

        "github.com/devopsfaith/krakend-ratelimit/juju/router": "qos/ratelimit/router",
        "github.com/devopsfaith/krakend-ratelimit/juju/proxy": "qos/ratelimit/proxy",
        "github.com/devopsfaith/krakend-httpcache": "qos/http-cache",
        "github.com/devopsfaith/krakend-circuitbreaker/gobreaker": "qos/circuit-breaker",

        "github.com/devopsfaith/krakend-oauth2-clientcredentials": "auth/client-credentials",
        "github.com/devopsfaith/krakend-jose/validator": "auth/validator",
        "github.com/devopsfaith/krakend-jose/signer": "auth/signer",
        "github_com/devopsfaith/bloomfilter": "auth/revoker",

        "github_com/devopsfaith/krakend-botdetector": "security/bot-detector",
        "github_com/devopsfaith/krakend-httpsecure": "security/http",
        "github_com/devopsfaith/krakend-cors": "security/cors",

        "github.com/devopsfaith/krakend-cel": "validation/cel",
        "github.com/devopsfaith/krakend-jsonschema": "validation/json-schema",

        "github.com/devopsfaith/krakend-amqp/agent": "async/amqp",

        "github.com/devopsfaith/krakend-amqp/consume": "backend/amqp/consumer",
        "github.com/devopsfaith/krakend-amqp/produce": "backend/amqp/producer",
        "github.com/devopsfaith/krakend-lambda": "backend/lambda",
        "github.com/devopsfaith/krakend-pubsub/publisher": "backend/pubsub/publisher",
        "github.com/devopsfaith/krakend-pubsub/subscriber": "backend/pubsub/subscriber",
        "github.com/devopsfaith/krakend/transport/http/client/graphql": "backend/graphql",
        "github.com/devopsfaith/krakend/http": "backend/http",

        "github_com/devopsfaith/krakend-gelf": "telemetry/gelf",
        "github_com/devopsfaith/krakend-gologging": "telemetry/logging",
        "github_com/devopsfaith/krakend-logstash": "telemetry/logstash",
        "github_com/devopsfaith/krakend-metrics": "telemetry/metrics",
        "github_com/letgoapp/krakend-influx": "telemetry/influx",
        "github_com/devopsfaith/krakend-influx": "telemetry/influx",
        "github_com/Jozefiel/krakend-influx2": "telemetry/influx2",
        "github_com/devopsfaith/krakend-opencensus": "telemetry/opencensus",

        "github.com/devopsfaith/krakend-lua/router": "modifier/lua-endpoint",
        "github.com/devopsfaith/krakend-lua/proxy": "modifier/lua-proxy",
        "github.com/devopsfaith/krakend-lua/proxy/backend": "modifier/lua-backend",
        "github.com/devopsfaith/krakend-martian": "modifier/martian",
    ]
}
