import Gateway
import Testing

@Suite("JSONMerger")
struct JSONMergerTests {
    static let exactCases: [(name: String, objects: [String], expected: String)] = [
        ("disjoint objects", [#"{"user":1}"#, #"{"orders":[1,2]}"#], #"{"user":1,"orders":[1,2]}"#),
        (
            "later backend wins, key keeps its first position",
            [#"{"user":1,"cart":2}"#, #"{"cart":3,"total":4}"#],
            #"{"user":1,"cart":3,"total":4}"#
        ),
        (
            "three backends overlapping",
            [#"{"user":1,"cart":1}"#, #"{"cart":2,"total":2}"#, #"{"total":3,"user":3}"#],
            #"{"user":3,"cart":2,"total":3}"#
        ),
        ("merge is shallow", [#"{"user":{"id":1}}"#, #"{"user":{"name":"Ada"}}"#], #"{"user":{"name":"Ada"}}"#),
        ("single non-empty object is copied as is", ["{}", #"{ "user" : 1 }"#, " { } "], #"{ "user" : 1 }"#),
        ("all empty", ["{}", "{ }"], "{}"),
        ("nothing to merge", [], "{}"),
        ("non-objects are skipped", ["[1,2]", #"{"user":1}"#, "", #"{"cart":2}"#], #"{"user":1,"cart":2}"#),
        ("escaped and plain spellings are one key", [#"{"id":1}"#, #"{"\u0069d":2}"#], #"{"\u0069d":2}"#),
        ("values are copied raw", [#"{"n":1.50E+3}"#, #"{"s":"\u00e9\/"}"#], #"{"n":1.50E+3,"s":"\u00e9\/"}"#),
    ]

    @Test("merges by top-level key", arguments: exactCases)
    func merges(name: String, objects: [String], expected: String) {
        #expect(Engine.merge(objects) == expected)
    }

    @Test("merges the same with object keys, splicing when no key repeats", arguments: exactCases)
    func mergesWithKeys(name: String, objects: [String], expected: String) {
        let merged = Engine.merge(objects, keys: true)
        #expect(Engine.reference(merged) == Engine.reference(expected))
        let parsed = ReferenceJSONParser.parseReportingDuplicates(Array(merged.utf8))
        #expect(parsed?.duplicateKeys == false)
    }

    @Test("splices disjoint objects byte for byte, whitespace included")
    func splices() {
        let merged = Engine.merge([#"{ "user" : {"id":1} }"#, "{}", #"{"orders":[ ]}"#], keys: true)
        #expect(merged == #"{ "user" : {"id":1} ,"orders":[ ]}"#)
    }

    @Test("uses the keys that apply returns")
    func keysFromApply() throws {
        let bodies = [#"{"id":1,"name":"Ada"}"#, #"[1,2]"#, #"{"id":2}"#]
        let manipulations = [
            ResponseManipulation(), ResponseManipulation(isCollection: true), ResponseManipulation(group: "other"),
        ]
        var formatted: [[UInt8]] = []
        var keys: [JSONObjectKeys] = []
        for (body, manipulation) in zip(bodies, manipulations) {
            var output: [UInt8] = []
            let bodyBytes = Array(body.utf8)
            let objectKeys = try bodyBytes.withUnsafeBytes { buffer throws(JSONError) in
                try manipulation.apply(to: buffer, into: &output)
            }
            keys.append(objectKeys)
            formatted.append(output)
        }
        #expect(keys.map(\.count) == [2, 1, 1])
        var merged: [UInt8] = []
        Engine.withBuffers(formatted) { JSONMerger.merge($0, keys: keys, into: &merged) }
        #expect(
            String(decoding: merged, as: UTF8.self) == #"{"id":1,"name":"Ada","collection":[1,2],"other":{"id":2}}"#
        )

        // An overlap (`id` twice) takes the full path: later wins.
        var overlapping: [UInt8] = []
        Engine.withBuffers([formatted[0], Array(#"{"id":2}"#.utf8)]) { buffers in
            JSONMerger.merge(buffers, keys: [keys[0], JSONObjectKeys(of: buffers[1])], into: &overlapping)
        }
        #expect(String(decoding: overlapping, as: UTF8.self) == #"{"id":2,"name":"Ada"}"#)
    }

    @Test("merges many members like a dictionary merge, in declaration order")
    func manyMembers() throws {
        var generator = SplitMix64(seed: 42)
        for _ in 0..<50 {
            var expected: [String: ReferenceJSON] = [:]
            var texts: [String] = []
            for backend in 0..<3 {
                var object: [String: ReferenceJSON] = [:]
                for _ in 0..<Int.random(in: 0...30, using: &generator) {
                    object["k\(Int.random(in: 0..<40, using: &generator))"] = .number("\(backend)")
                }
                expected.merge(object) { _, later in later }
                texts.append(
                    String(decoding: ReferenceJSONWriter.writeNoisy(.object(object), using: &generator), as: UTF8.self)
                )
            }
            for useKeys in [false, true] {
                let merged = Engine.merge(texts, keys: useKeys)
                let parsed = try #require(ReferenceJSONParser.parseReportingDuplicates(Array(merged.utf8)))
                #expect(parsed.value == .object(expected))
                #expect(!parsed.duplicateKeys)
            }
        }
    }
}

extension JSONMergerTests {
    @Test("builds static data objects that merge like a backend")
    func staticData() throws {
        var staticObject: [UInt8] = []
        try JSONMerger.writeObject(
            members: [
                ("banner", Array(#" "Sale \"today\"" "#.utf8)), ("limits", Array(#"{"max": 5}"#.utf8)),
                ("tab\there", Array("true".utf8)), ("banner", Array("null".utf8)),
            ],
            into: &staticObject
        )
        let text = String(decoding: staticObject, as: UTF8.self)
        #expect(text == #"{"banner":null,"limits":{"max": 5},"tab\there":true}"#)
        #expect(
            Engine.merge([#"{"user":1,"banner":"x"}"#, text])
                == #"{"user":1,"banner":null,"limits":{"max": 5},"tab\there":true}"#
        )
        var ignored: [UInt8] = []
        #expect(throws: JSONError.invalidJSON(offset: 1, reason: .unexpectedEnd)) {
            try JSONMerger.writeObject(members: [("broken", Array("[".utf8))], into: &ignored)
        }
    }
}

@Suite("JSONCollectionRenderer")
struct JSONCollectionRendererTests {
    static let cases: [(object: String, expected: String)] = [
        (#"{"collection":[1,2]}"#, "[1,2]"),
        (#"{"user":1,"collection":[ {"id":3} ]}"#, #"[ {"id":3} ]"#),
        (#"{"user":1}"#, "[]"),
        ("{}", "[]"),
        (#"{"collection":{"id":1}}"#, #"{"id":1}"#),  // written whatever its kind, as Lura does
        (#"{"collection":null}"#, "null"),
        (#"{"\u0063ollection":[5]}"#, "[5]"),
        ("", "[]"),
        ("not json", "[]"),
    ]

    @Test("writes the collection member, or an empty array", arguments: cases)
    func renders(object: String, expected: String) {
        #expect(Engine.renderCollection(object) == expected)
    }

    @Test("renders the collection of merged is_collection backends")
    func afterMerge() throws {
        let collection = try Engine.apply(ResponseManipulation(isCollection: true), #"[{"id":1},{"id":2}]"#)
        let merged = Engine.merge([collection, #"{"count":2}"#])
        #expect(Engine.renderCollection(merged) == #"[{"id":1},{"id":2}]"#)
    }
}
