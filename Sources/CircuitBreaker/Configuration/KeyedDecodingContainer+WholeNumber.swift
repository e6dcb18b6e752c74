extension KeyedDecodingContainer {
    /// A JSON number that must be whole and within `range`, or nil when the key is absent or `null`.
    ///
    /// Read as a `Double` because KrakenD accepts `60` and `60.0` alike; a fraction is an error rather than
    /// KrakenD's silent truncation (KrakenD reads `"timeout": 0.5` as 0, which then means 60 seconds).
    func decodeWholeNumber(
        forKey key: Key,
        in range: ClosedRange<Int64>,
        expected: String
    ) throws -> Int64? {
        guard let value = try decodeIfPresent(Double.self, forKey: key) else { return nil }
        guard value.rounded(.towardZero) == value, value >= Double(range.lowerBound),
            value <= Double(range.upperBound)
        else {
            let shown = value.rounded(.towardZero) == value && abs(value) < 1e15 ? "\(Int64(value))" : "\(value)"
            throw DecodingError.dataCorruptedError(
                forKey: key,
                in: self,
                debugDescription: "expected \(expected) from \(range.lowerBound) to \(range.upperBound), got \(shown)"
            )
        }
        return Int64(value)
    }
}
