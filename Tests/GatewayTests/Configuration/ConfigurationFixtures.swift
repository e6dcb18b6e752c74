import Gateway

/// Sample files and builders shared by the configuration tests.
enum ConfigurationFixtures {
    /// A file using every key the loader reads, in JSON.
    static let fullJSON = #"""
        {
          "$schema": "https://www.krakend.io/schema/krakend.json",
          "version": 3,
          "@comment": "users and orders behind one gateway",
          "name": "portico-demo",
          "port": 9090,
          "listen_ip": "127.0.0.1",
          "host": ["127.0.0.1:9001/"],
          "timeout": "3s",
          "cache_ttl": "1m",
          "output_encoding": "json",
          "read_timeout": "10s",
          "write_timeout": "12s",
          "idle_timeout": "1m30s",
          "read_header_timeout": "500ms",
          "max_header_bytes": 65536,
          "extra_config": {
            "router": { "health_path": "/healthz", "disable_access_log": true, "return_error_msg": true },
            "portico/http": {
              "status_codes": "precise", "max_body_bytes": 1048576, "max_backend_response_bytes": 2097152,
              "backend_idle_timeout": "30s", "max_idle_connections_per_host": 16, "connect_timeout": "250ms"
            },
            "security/cors": { "allow_origins": ["*"] }
          },
          "endpoints": [
            {
              "@comment": "one user, with the orders of a sequential call",
              "endpoint": "/users/{id}",
              "method": "get",
              "timeout": "800ms",
              "cache_ttl": "30s",
              "output_encoding": "json-collection",
              "input_headers": ["Authorization", "X-Request-Id"],
              "input_query_strings": ["*"],
              "concurrent_calls": 2,
              "extra_config": { "qos/ratelimit/router": { "max_rate": 50 } },
              "backend": [
                {
                  "url_pattern": "/v1/users/{id}?fields=all",
                  "method": "post",
                  "host": ["http://10.0.0.1:8080", "users.internal"],
                  "sd": "static",
                  "encoding": "json",
                  "allow": ["id", "address.city"],
                  "mapping": { "id": "user_id", "address.city": "city" },
                  "group": "user",
                  "target": "data",
                  "is_collection": true,
                  "input_headers": [""],
                  "input_query_strings": ["page"],
                  "extra_config": { "qos/circuit-breaker": { "interval": 60, "timeout": 10, "max_errors": 1 } }
                },
                { "url_pattern": "/orders?user={resp0_user.id}&sub={JWT.sub}", "deny": ["secret"] }
              ]
            },
            {
              "endpoint": "/download/*",
              "output_encoding": "no-op",
              "backend": [ { "url_pattern": "/files", "disable_host_sanitize": true, "host": ["http://files:81/root"] } ]
            }
          ]
        }
        """#

    /// The same file as `fullJSON`, in YAML (with a merge key and an anchor for good measure).
    static let fullYAML = #"""
        $schema: https://www.krakend.io/schema/krakend.json
        version: 3
        "@comment": users and orders behind one gateway
        name: portico-demo
        port: 9090
        listen_ip: 127.0.0.1
        host: ["127.0.0.1:9001/"]
        timeout: 3s
        cache_ttl: 1m
        output_encoding: json
        read_timeout: 10s
        write_timeout: 12s
        idle_timeout: 1m30s
        read_header_timeout: 500ms
        max_header_bytes: 65536
        extra_config:
          router:
            health_path: /healthz
            disable_access_log: true
            return_error_msg: true
          portico/http:
            status_codes: precise
            max_body_bytes: 1048576
            max_backend_response_bytes: 2097152
            backend_idle_timeout: 30s
            max_idle_connections_per_host: 16
            connect_timeout: 250ms
          security/cors:
            allow_origins: ["*"]
        endpoints:
          - "@comment": one user, with the orders of a sequential call
            endpoint: /users/{id}
            method: get
            timeout: 800ms
            cache_ttl: 30s
            output_encoding: json-collection
            input_headers: [Authorization, X-Request-Id]
            input_query_strings: ["*"]
            concurrent_calls: 2
            extra_config:
              qos/ratelimit/router: {max_rate: 50}
            backend:
              - url_pattern: /v1/users/{id}?fields=all
                method: post
                host: ["http://10.0.0.1:8080", users.internal]
                sd: static
                encoding: json
                allow: [id, address.city]
                mapping:
                  id: user_id
                  address.city: city
                group: user
                target: data
                is_collection: true
                input_headers: [""]
                input_query_strings: [page]
                extra_config:
                  qos/circuit-breaker: &breaker
                    interval: 60
                    timeout: 10
                    max_errors: 1
              - url_pattern: /orders?user={resp0_user.id}&sub={JWT.sub}
                deny: [secret]
          - endpoint: /download/*
            output_encoding: no-op
            backend:
              - url_pattern: /files
                disable_host_sanitize: true
                host: ["http://files:81/root"]
        """#

    /// The smallest valid file: one endpoint, one backend, hosts from the service.
    static let minimalJSON = #"""
        {"version": 3, "host": ["http://127.0.0.1:9001"],
         "endpoints": [{"endpoint": "/users/{id}", "backend": [{"url_pattern": "/users/{id}"}]}]}
        """#

    /// Namespaces the tests pretend stages handle.
    static let knownNamespaces: Set<String> = ["qos/circuit-breaker", "qos/ratelimit/router", "security/cors"]

    /// A loader with the test namespaces and an empty environment.
    static func loader(environment: [String: String] = [:]) -> ConfigurationLoader {
        ConfigurationLoader(knownNamespaces: knownNamespaces, environment: environment)
    }

    /// A small valid file as a value: keys given are set, keys listed in `without…` removed, at each level.
    static func service(
        _ service: ConfigObject = [:],
        endpoint: ConfigObject = [:],
        backend: ConfigObject = [:],
        withoutService: [String] = [],
        withoutEndpoint: [String] = [],
        withoutBackend: [String] = []
    ) -> ConfigValue {
        var backendObject: ConfigObject = ["url_pattern": "/users/{id}"]
        for (key, value) in backend { backendObject[key] = value }
        for key in withoutBackend { backendObject[key] = nil }
        var endpointObject: ConfigObject = ["endpoint": "/users/{id}", "backend": [.object(backendObject)]]
        for (key, value) in endpoint { endpointObject[key] = value }
        for key in withoutEndpoint { endpointObject[key] = nil }
        var root: ConfigObject = [
            "version": 3, "host": ["http://127.0.0.1:9001"], "endpoints": [.object(endpointObject)],
        ]
        for (key, value) in service { root[key] = value }
        for key in withoutService { root[key] = nil }
        return .object(root)
    }

    /// The problems of loading `value`, one rendered line each (empty when it loads).
    static func problems(
        _ value: ConfigValue,
        loader: ConfigurationLoader = loader(),
        file: String = "portico.json"
    ) -> [String] {
        do {
            _ = try loader.load(value: value, fileName: file)
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    /// The warnings of loading `value`, which must load.
    static func warnings(_ value: ConfigValue, loader: ConfigurationLoader = loader()) throws -> [ConfigurationWarning]
    {
        try loader.load(value: value, fileName: "portico.json").warnings
    }
}
