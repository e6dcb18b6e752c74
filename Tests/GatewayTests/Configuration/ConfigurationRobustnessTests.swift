import Gateway
import Testing

/// A small seeded generator, so a failing mutation can be replayed.
struct ConfigurationMutationRandom: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

@Suite("Configuration robustness: bad input fails, never crashes")
struct ConfigurationRobustnessTests {
    let loader = ConfigurationFixtures.loader()

    @Test func everyTruncatedJSONFileIsASyntaxErrorWithAPosition() {
        let text = ConfigurationFixtures.fullJSON
        let scalars = Array(text.unicodeScalars)
        var checked = 0
        for length in stride(from: 0, to: scalars.count - 1, by: 3) {
            var prefix = String.UnicodeScalarView()
            prefix.append(contentsOf: scalars[..<length])
            do {
                _ = try loader.load(text: String(prefix), fileName: "portico.json")
                Issue.record("a truncated file of \(length) scalars loaded")
            } catch {
                #expect(error.problems.count == 1)
                #expect(error.problems.first?.line != nil)
            }
            checked += 1
        }
        #expect(checked > 500)
    }

    @Test(arguments: [ConfigurationFormat.json, .yaml])
    func randomlyMutatedFilesLoadOrFail(_ format: ConfigurationFormat) {
        let original = Array((format == .json ? ConfigurationFixtures.fullJSON : ConfigurationFixtures.fullYAML).utf8)
        let alphabet = Array(#"{}[]:,"'\ -_.0123456789aeEtrufnl/*?&%@#$!|>*&<~"#.utf8) + [0x0A, 0x09, 0xC3, 0xA9]
        var generator = ConfigurationMutationRandom(state: format == .json ? 1 : 2)
        var loaded = 0
        var failed = 0
        for _ in 0..<400 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let position = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: bytes[position] = alphabet.randomElement(using: &generator) ?? 0x20
                case 1: bytes.remove(at: position)
                default: bytes.insert(alphabet.randomElement(using: &generator) ?? 0x20, at: position)
                }
            }
            let text = String(decoding: bytes, as: UTF8.self)
            do {
                _ = try loader.load(text: text, fileName: format == .json ? "portico.json" : "portico.yaml")
                loaded += 1
            } catch {
                #expect(!error.problems.isEmpty)
                #expect(error.problems.allSatisfy { !$0.message.isEmpty })
                failed += 1
            }
        }
        #expect(loaded + failed == 400)
        #expect(failed > 100)
    }
}
