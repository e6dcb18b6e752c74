/// The mock's routes, compiled once and matched in declaration order.
struct RouteTable: Sendable {
    enum Match {
        case found(MockRoute, parameters: [String: String])
        case methodNotAllowed(allowed: [String])
        case notFound
    }

    private let routes: [(route: MockRoute, template: PathTemplate)]

    init(_ routes: [MockRoute]) {
        self.routes = routes.map { ($0, PathTemplate($0.path)) }
    }

    func match(method: String, path: Substring) -> Match {
        var allowed: [String] = []
        for (route, template) in self.routes {
            guard let parameters = template.match(path) else {
                continue
            }
            if route.method == "*" || route.method == method || (method == "HEAD" && route.method == "GET") {
                return .found(route, parameters: parameters)
            }
            if !allowed.contains(route.method) {
                allowed.append(route.method)
            }
        }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed: allowed)
    }
}
