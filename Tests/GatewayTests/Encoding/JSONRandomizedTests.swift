import Gateway
import Testing

/// Randomized tests with fixed seeds: the engine against the independent reference parser and a reference
/// model of Lura's manipulation on dictionaries.
@Suite("JSON randomized")
struct JSONRandomizedTests {
    static let keys = ["id", "name", "address", "city", "zip", "data", "user", "a", "b", "collection", "x.y", "é"]

    static func randomString(using generator: inout SplitMix64) -> String {
        let pieces = ["plain", "é", "😀", "\"", "\\", "/", "\n", "\u{1}", "\u{7F}", "a longer piece of text", " "]
        return (0..<Int.random(in: 0...4, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }
            .joined()
    }

    static func randomNumber(using generator: inout SplitMix64) -> String {
        let numbers = ["0", "-0", "7", "-13", "3.25", "1e10", "-2.5E-3", "12345678901234567890", "0.0"]
        return numbers.randomElement(using: &generator)!
    }

    static func randomValue(depth: Int, keys: [String], using generator: inout SplitMix64) -> ReferenceJSON {
        let choice = Int.random(in: 0..<(depth > 3 ? 5 : 8), using: &generator)
        switch choice {
        case 0: return .string(Self.randomString(using: &generator))
        case 1: return .number(Self.randomNumber(using: &generator))
        case 2: return .bool(Bool.random(using: &generator))
        case 3: return .null
        case 4: return .number(String(Int.random(in: -1000...1000, using: &generator)))
        case 5:
            return .array(
                (0..<Int.random(in: 0...3, using: &generator)).map { _ in
                    Self.randomValue(depth: depth + 1, keys: keys, using: &generator)
                }
            )
        default: return Self.randomObject(depth: depth + 1, keys: keys, using: &generator)
        }
    }

    static func randomObject(depth: Int, keys: [String], using generator: inout SplitMix64) -> ReferenceJSON {
        var members: [String: ReferenceJSON] = [:]
        for _ in 0..<Int.random(in: 0...6, using: &generator) {
            members[keys.randomElement(using: &generator)!] = Self.randomValue(
                depth: depth,
                keys: keys,
                using: &generator
            )
        }
        return .object(members)
    }

    @Test("identity round-trips random documents byte for byte")
    func identityRoundTrip() throws {
        var generator = SplitMix64(seed: 0x5EED_0001)
        for _ in 0..<400 {
            let value = Self.randomObject(depth: 0, keys: Self.keys + ["k1", "k2", "k3"], using: &generator)
            let text = ReferenceJSONWriter.writeNoisy(value, using: &generator)
            #expect(try Engine.validate(text) == .object)
            let output = try Engine.apply(ResponseManipulation(), text)
            #expect(ReferenceJSONParser.parse(output) == value)
            let trimmed = Array(
                String(decoding: text, as: UTF8.self).utf8.drop { [0x20, 0x0A, 0x0D, 0x09].contains($0) }
            )
            #expect(trimmed.starts(with: output))
        }
    }

    @Test("validator accepts exactly what the reference parser accepts, on mutated documents")
    func differentialValidation() {
        var generator = SplitMix64(seed: 0x5EED_0002)
        let interesting: [UInt8] =
            Array(#"{}[]",:\/ u0123456789.eE+-tfn"#.utf8) + [0x00, 0x1F, 0x7F, 0x80, 0xC3, 0xED, 0xF4, 0xFF]
        var disagreements: [String] = []
        for _ in 0..<10000 {
            let value = Self.randomValue(depth: 0, keys: Self.keys, using: &generator)
            var bytes = ReferenceJSONWriter.writeNoisy(value, using: &generator)
            for _ in 0..<Int.random(in: 1...3, using: &generator) where !bytes.isEmpty {
                let position = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<4, using: &generator) {
                case 0: bytes.remove(at: position)
                case 1: bytes.insert(interesting.randomElement(using: &generator)!, at: position)
                case 2: bytes[position] = interesting.randomElement(using: &generator)!
                default: bytes.removeLast(Int.random(in: 0...min(3, bytes.count), using: &generator))
                }
            }
            let engineAccepts = (try? Engine.validate(bytes)) != nil
            let referenceAccepts = ReferenceJSONParser.parse(bytes) != nil
            if engineAccepts != referenceAccepts {
                disagreements.append("\(engineAccepts) \(bytes)")
            }
        }
        #expect(disagreements.isEmpty, "first: \(disagreements.prefix(3))")
    }

    @Test("garbage never crashes any entry point, and apply's output is always valid")
    func garbageIsHarmless() throws {
        var generator = SplitMix64(seed: 0x5EED_0004)
        let manipulations = [
            ResponseManipulation(),
            ResponseManipulation(target: "data", allow: ["id", "address.city"], mapping: [("id", "uid")], group: "g"),
            ResponseManipulation(deny: ["a.b", "name"], mapping: [("a", "b"), ("b", "a")]),
            ResponseManipulation(isCollection: true),
        ]
        let fragments = [
            #"{"a":"#, #"{"b":{"c":"#, "[", "]", "}", "{", #"""#, "\\", #"\u00"#, ",", ":", "1", "null", "é",
        ]
        for _ in 0..<3000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...12, using: &generator) {
                if Bool.random(using: &generator) {
                    bytes.append(contentsOf: fragments.randomElement(using: &generator)!.utf8)
                } else {
                    bytes.append(UInt8.random(in: 0...255, using: &generator))
                }
            }
            for manipulation in manipulations {
                if let output = try? Engine.apply(manipulation, bytes) {
                    let parsed = ReferenceJSONParser.parseReportingDuplicates(output)
                    #expect(parsed != nil, "apply wrote invalid JSON for \(bytes)")
                }
            }
            var sink: [UInt8] = []
            Engine.withBuffers([bytes, bytes]) { buffers in
                JSONMerger.merge(buffers, into: &sink)
                JSONMerger.merge(buffers, keys: buffers.map { JSONObjectKeys(of: $0) }, into: &sink)
                JSONCollectionRenderer.render(buffers[0], into: &sink)
                if let slice = JSONLookup.value(at: JSONPath("a.b"), in: buffers[0]) {
                    _ = JSONLookup.writeURLText(of: slice, in: buffers[0], into: &sink)
                }
            }
        }
    }

    /// Lura's formatter re-stated on dictionaries, with Portico's documented choices.
    struct ReferenceManipulation {
        var target: String?
        var allow: [String]
        var deny: [String]
        var mapping: [(from: String, to: String)]
        var group: String?
        var isCollection: Bool

        func apply(_ value: ReferenceJSON) -> ReferenceJSON? {
            var data: [String: ReferenceJSON]
            switch (self.isCollection, value) {
            case (true, .array): data = ["collection": value]
            case (false, .object(let object)): data = object
            default: return nil
            }
            if let target, !target.isEmpty {
                for segment in target.split(separator: ".", omittingEmptySubsequences: false).map(String.init) {
                    guard case .object(let inner)? = data[segment] else {
                        data = [:]
                        break
                    }
                    data = inner
                }
            }
            if !self.allow.isEmpty {
                data = Self.allowPrune(data, paths: self.allow.map(Self.split))
            } else if !self.deny.isEmpty {
                data = Self.denyPrune(data, paths: self.deny.map(Self.split))
            }
            if !self.mapping.isEmpty {
                var renamed: [String: (value: ReferenceJSON, rank: Int)] = [:]
                for (key, value) in data {
                    var name = key
                    var rank = 0
                    if let index = self.mapping.firstIndex(where: { $0.from == key }) {
                        name = Self.split(self.mapping[index].to)[0]
                        rank = index + 1
                    }
                    if let existing = renamed[name], existing.rank > rank { continue }
                    renamed[name] = (value, rank)
                }
                data = renamed.mapValues(\.value)
            }
            if let group, !group.isEmpty { return .object([group: .object(data)]) }
            return .object(data)
        }

        static func split(_ path: String) -> [String] {
            path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        }

        static func allowPrune(_ object: [String: ReferenceJSON], paths: [[String]]) -> [String: ReferenceJSON] {
            var kept: [String: ReferenceJSON] = [:]
            for (key, value) in object {
                let matching = paths.filter { $0.first == key }
                if matching.isEmpty { continue }
                if matching.contains(where: { $0.count == 1 }) {
                    kept[key] = value
                } else if case .object(let inner) = value {
                    let pruned = Self.allowPrune(inner, paths: matching.map { Array($0.dropFirst()) })
                    if !pruned.isEmpty { kept[key] = .object(pruned) }
                }
            }
            return kept
        }

        static func denyPrune(_ object: [String: ReferenceJSON], paths: [[String]]) -> [String: ReferenceJSON] {
            var kept: [String: ReferenceJSON] = [:]
            for (key, value) in object {
                let matching = paths.filter { $0.first == key }
                if matching.isEmpty {
                    kept[key] = value
                } else if matching.contains(where: { $0.count == 1 }) {
                    continue
                } else if case .object(let inner) = value {
                    kept[key] = .object(Self.denyPrune(inner, paths: matching.map { Array($0.dropFirst()) }))
                } else {
                    kept[key] = value
                }
            }
            return kept
        }
    }

    @Test("manipulation matches the reference model on random documents and configurations")
    func manipulationAgainstModel() throws {
        var generator = SplitMix64(seed: 0x5EED_0003)
        func randomPath() -> String {
            (0..<Int.random(in: 1...3, using: &generator)).map { _ in Self.keys.randomElement(using: &generator)! }
                .joined(separator: ".")
        }
        for iteration in 0..<1500 {
            let isCollection = Int.random(in: 0..<6, using: &generator) == 0
            var paths: [String] = []
            for _ in 0..<Int.random(in: 0...4, using: &generator) { paths.append(randomPath()) }
            let useAllow = Bool.random(using: &generator)
            var mapping: [(from: String, to: String)] = []
            for key in Self.keys.shuffled(using: &generator).prefix(Int.random(in: 0...3, using: &generator)) {
                mapping.append(
                    (
                        key,
                        Int.random(in: 0..<3, using: &generator) == 0
                            ? randomPath() : Self.keys.randomElement(using: &generator)!
                    )
                )
            }
            let model = ReferenceManipulation(
                target: Int.random(in: 0..<4, using: &generator) == 0 ? randomPath() : nil,
                allow: useAllow ? paths : [],
                deny: useAllow ? [] : paths,
                mapping: mapping,
                group: Bool.random(using: &generator) ? nil : Self.keys.randomElement(using: &generator),
                isCollection: isCollection
            )
            let manipulation = ResponseManipulation(
                target: model.target,
                allow: model.allow,
                deny: model.deny,
                mapping: model.mapping,
                group: model.group,
                isCollection: model.isCollection
            )
            let value: ReferenceJSON =
                isCollection
                ? .array([Self.randomValue(depth: 0, keys: Self.keys, using: &generator)])
                : Self.randomObject(depth: 0, keys: Self.keys, using: &generator)
            let input = ReferenceJSONWriter.writeNoisy(value, using: &generator)
            let output = try Engine.apply(manipulation, input)
            let parsed = try #require(ReferenceJSONParser.parseReportingDuplicates(output))
            #expect(!parsed.duplicateKeys, "iteration \(iteration)")
            #expect(parsed.value == model.apply(value), "iteration \(iteration): \(value) with \(model)")
        }
    }
}
