/// A call whose GraphQL request cannot be built (a mutation's body is not a JSON object).
struct GraphQLRequestError: Error, CustomStringConvertible {
    /// What is wrong with the client's request.
    var reason: String

    var description: String { "GraphQL request: \(reason)" }
}
