extension BackendConfiguration: Equatable {
    /// Field by field; `mapping` pairs in order.
    public static func == (lhs: BackendConfiguration, rhs: BackendConfiguration) -> Bool {
        lhs.urlPattern == rhs.urlPattern && lhs.method == rhs.method && lhs.host == rhs.host
            && lhs.serviceDiscovery == rhs.serviceDiscovery && lhs.disableHostSanitize == rhs.disableHostSanitize
            && lhs.encoding == rhs.encoding && lhs.allow == rhs.allow && lhs.deny == rhs.deny
            && lhs.mapping.elementsEqual(rhs.mapping) { $0.from == $1.from && $0.to == $1.to }
            && lhs.group == rhs.group && lhs.target == rhs.target && lhs.isCollection == rhs.isCollection
            && lhs.inputHeaders == rhs.inputHeaders && lhs.inputQueryStrings == rhs.inputQueryStrings
            && lhs.extraConfig == rhs.extraConfig && lhs.jsonPath == rhs.jsonPath
    }
}
