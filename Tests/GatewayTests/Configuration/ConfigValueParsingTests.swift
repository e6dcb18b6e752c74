import Gateway
import Testing

@Suite("Configuration parsing: JSON and YAML into ConfigValue")
struct ConfigValueParsingTests {
    func json(_ text: String) throws -> ConfigValue {
        try ConfigurationFormat.json.parse(text, fileName: "portico.json")
    }

    func yaml(_ text: String) throws -> ConfigValue {
        try ConfigurationFormat.yaml.parse(text, fileName: "portico.yaml")
    }

    /// The one problem a syntax error produces, rendered.
    func syntaxError(_ format: ConfigurationFormat, _ text: String) -> String? {
        let fileName = format == .json ? "portico.json" : "portico.yaml"
        do {
            _ = try format.parse(text, fileName: fileName)
            return nil
        } catch {
            return error.problems.map(\.description).joined(separator: "\n")
        }
    }

    @Test func jsonKeepsTypesAndKeyOrder() throws {
        let value = try json(#"{"b": 1, "a": 1.5, "c": true, "d": null, "e": "x", "f": [1, "2"], "g": {}}"#)
        let object = try #require(value.objectValue)
        #expect(object.keys == ["b", "a", "c", "d", "e", "f", "g"])
        #expect(object["b"] == .integer(1))
        #expect(object["a"] == .double(1.5))
        #expect(object["c"] == .bool(true))
        #expect(object["d"] == .null)
        #expect(object["e"] == .string("x"))
        #expect(object["f"] == .array([.integer(1), .string("2")]))
        #expect(object["g"] == .object([:]))
    }

    @Test func jsonIntegersAndFloatsStayApart() throws {
        #expect(try json("[1, 1.0, 1e2, -0, 9223372036854775807]") == [1, 1.0, 100.0, 0, .integer(Int.max)])
    }

    @Test func jsonNumbersBeyondIntBecomeDoubles() throws {
        #expect(
            try json("[9223372036854775808, -9223372036854775809, 1e300]") == [
                .double(9.223_372_036_854_775_808e18), .double(-9.223_372_036_854_775_808e18), .double(1e300),
            ]
        )
    }

    @Test func jsonEscapes() throws {
        let value = try json(#"["a\/b", "\"q\"", "\\", "\b\f\n\r\t", "\u00e9\u20AC", "\ud83d\ude00", "\ud800x"]"#)
        #expect(value == ["a/b", "\"q\"", "\\", "\u{8}\u{C}\n\r\t", "é€", "😀", "\u{FFFD}x"])
    }

    @Test func jsonTextIsReadAsUnicode() throws {
        #expect(try json(#"{"greeting": "grüß dich 👋"}"#)["greeting"] == "grüß dich 👋")
    }

    @Test func byteOrderMarkIsSkipped() throws {
        #expect(try json("\u{FEFF}{\"version\": 3}") == ["version": 3])
    }

    @Test func commentKeysAreDroppedEverywhere() throws {
        let text =
            #"{"@comment": "top", "a": {"@comment": "inner", "b": [{"@comment": "deep", "c": 1}]}, "@comment": "again"}"#
        #expect(try json(text) == ["a": ["b": [["c": 1]]]])
        let yamlText = """
            "@comment": top
            a:
              "@comment": inner
              b:
                - {"@comment": deep, c: 1}
            """
        #expect(try yaml(yamlText) == ["a": ["b": [["c": 1]]]])
    }

    static let jsonSyntaxErrors: [(String, String)] = [
        (
            "{\n  \"version\": 3\n  \"port\": 80\n}",
            #"portico.json:3:3: expected ',' or '}' after an object member, got '"'"#
        ),
        ("{\"version\": 3,}", "portico.json:1:15: trailing comma before '}' is not allowed in JSON"),
        ("[1, 2,]", "portico.json:1:7: trailing comma before ']' is not allowed in JSON"),
        ("{\"port\": 080}", "portico.json:1:10: numbers must not have leading zeros"),
        ("{\"name\": 'demo'}", "portico.json:1:10: expected a JSON value, got '''"),
        ("{\"debug\": True}", "portico.json:1:11: expected a JSON value, got 'True'"),
        ("{version: 3}", "portico.json:1:2: expected a string key in double quotes, got 'v'"),
        ("{\"name\": \"tab\there\"}", "portico.json:1:14: control character U+0009 must be escaped inside a string"),
        ("{\"name\": \"a\\qb\"}", #"portico.json:1:12: invalid escape sequence '\q' in a string"#),
        ("{\"name\": \"\\u12G4\"}", #"portico.json:1:11: invalid \u escape: expected 4 hexadecimal digits"#),
        ("{\"name\": \"open", "portico.json:1:10: unterminated string"),
        ("{\"a\": 1", "portico.json:1:8: unexpected end of file; expected ',' or '}'"),
        ("{\"a\": 1} x", "portico.json:1:10: expected the end of the file after the JSON value, got 'x'"),
        ("", "portico.json:1:1: the file is empty; expected a JSON object"),
        ("{\"a\": 1, \"a\": 2}", #"portico.json:1:10: duplicate key "a" in the same object"#),
        ("{\"a\": 1e999}", "portico.json:1:7: the number 1e999 is out of range"),
        ("{\"a\": -}", "portico.json:1:8: expected a digit after '-', got '}'"),
        ("{\"é\": 1,\n \"ü\": x}", "portico.json:2:7: expected a JSON value, got 'x'"),
    ]

    @Test(arguments: jsonSyntaxErrors)
    func jsonSyntaxErrorsNameFileLineAndColumn(_ text: String, _ expected: String) {
        #expect(syntaxError(.json, text) == expected)
    }

    @Test func syntaxErrorProblemCarriesThePosition() throws {
        let error = #expect(throws: ConfigurationError.self) {
            try ConfigurationFormat.json.parse("{\n\n   ]", fileName: "gateway.json")
        }
        let problem = try #require(error?.problems.first)
        #expect(problem.file == "gateway.json")
        #expect(problem.path == "")
        #expect(problem.line == 3)
        #expect(problem.column == 4)
    }

    @Test func jsonNestingIsCapped() {
        let deepButFine = String(repeating: "[", count: 128) + String(repeating: "]", count: 128)
        #expect(syntaxError(.json, deepButFine) == nil)
        let tooDeep = String(repeating: "[", count: 100_000)
        #expect(syntaxError(.json, tooDeep) == "portico.json:1:129: nesting deeper than 128 levels is not accepted")
    }

    @Test func yamlUsesTheCoreSchema() throws {
        let value = try yaml(
            """
            integer: 42
            negative: -7
            hex: 0x1F
            octal: 0o17
            float: 1.5
            exponent: 1e3
            infinity: .inf
            big: 9223372036854775808
            yes_is_text: yes
            on_is_text: on
            no_is_text: no
            true_is_bool: true
            False_is_bool: False
            tilde: ~
            empty:
            quoted_number: "42"
            single_quoted_bool: 'true'
            date_is_text: 2024-01-01
            duration: 1m30s
            block: |
              two
              lines
            """
        )
        #expect(value["integer"] == 42)
        #expect(value["negative"] == -7)
        #expect(value["hex"] == 31)
        #expect(value["octal"] == 15)
        #expect(value["float"] == 1.5)
        #expect(value["exponent"] == 1000.0)
        #expect(value["infinity"] == .double(.infinity))
        #expect(value["big"] == .double(9.223_372_036_854_775_808e18))
        #expect(value["yes_is_text"] == "yes")
        #expect(value["on_is_text"] == "on")
        #expect(value["no_is_text"] == "no")
        #expect(value["true_is_bool"] == true)
        #expect(value["False_is_bool"] == false)
        #expect(value["tilde"] == .null)
        #expect(value["empty"] == .null)
        #expect(value["quoted_number"] == "42")
        #expect(value["single_quoted_bool"] == "true")
        #expect(value["date_is_text"] == "2024-01-01")
        #expect(value["duration"] == "1m30s")
        #expect(value["block"] == "two\nlines")
    }

    @Test func yamlExplicitTags() throws {
        let value = try yaml("a: !!str 5\nb: !!int \"7\"\nc: !!float 2\nd: !!bool \"false\"\ne: !!null x")
        #expect(value == ["a": "5", "b": 7, "c": 2.0, "d": false, "e": nil])
        #expect(syntaxError(.yaml, "a: !!int seven") == #"portico.yaml:1:4: !!int "seven" is not an integer"#)
    }

    @Test func yamlAnchorsAliasesAndMergeKeys() throws {
        let value = try yaml(
            """
            defaults: &defaults
              timeout: 2s
              method: GET
            endpoint:
              <<: *defaults
              method: POST
            list:
              <<: [{a: 1}, {a: 2, b: 2}]
            """
        )
        #expect(value["endpoint"] == ["timeout": "2s", "method": "POST"])
        #expect(value["list"] == ["a": 1, "b": 2])
    }

    @Test func yamlAliasBombIsRejected() {
        // Ten times ten times … : 10^7 values once expanded, from a few hundred bytes.
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...6 {
            let previous = "*a\(level - 1)"
            text += "a\(level): &a\(level) [\(Array(repeating: previous, count: 10).joined(separator: ", "))]\n"
        }
        let problem = syntaxError(.yaml, text)
        #expect(problem?.hasPrefix("portico.yaml:") == true)
        #expect(problem?.hasSuffix(": the document expands to more than 100000 values (aliases?)") == true)
    }

    @Test func yamlNestingIsCapped() {
        let tooDeep = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect(syntaxError(.yaml, tooDeep) == "portico.yaml:1:129: nesting deeper than 128 levels is not accepted")
        let beyondLibYAML = String(repeating: "[", count: 5000)
        #expect(syntaxError(.yaml, beyondLibYAML)?.contains("Maximum nesting level reached") == true)
    }

    static let yamlSyntaxErrors: [(String, String)] = [
        ("version: 3\n  port: 80", "portico.yaml:2:7: mapping values are not allowed in this context"),
        ("a: 1\na: 2", #"portico.yaml:1:1: duplicate key "a" in the same mapping"#),
        (
            "endpoints: [a, b",
            "portico.yaml:2:1: did not find expected ',' or ']' (while parsing a flow sequence at line 1)"
        ),
        ("", "portico.yaml:1:1: the file is empty; expected a YAML mapping"),
        ("a: *missing", "portico.yaml:1:4: found undefined alias"),
        ("? [a]\n: 1", "portico.yaml:1:3: mapping keys must be strings"),
        (
            "--- 1\n--- 2",
            "portico.yaml:2:1: but found another document (expected a single document in the stream at line 1)"
        ),
    ]

    @Test(arguments: yamlSyntaxErrors)
    func yamlSyntaxErrorsNameFileLineAndColumn(_ text: String, _ expected: String) {
        #expect(syntaxError(.yaml, text) == expected)
    }

    @Test(arguments: [
        ("portico.json", "version: 3", ConfigurationFormat.json),
        ("portico.YAML", "{}", .yaml),
        ("portico.yml", "{}", .yaml),
        ("portico.conf", "  \n {\"version\": 3}", .json),
        ("portico.conf", "[1]", .json),
        ("portico.conf", "version: 3", .yaml),
        ("portico", "\u{FEFF}{}", .json),
    ])
    func formatComesFromTheExtensionOrTheFirstCharacter(_ file: String, _ text: String, _ format: ConfigurationFormat) {
        #expect(ConfigurationFormat.detect(fileName: file, text: text) == format)
    }

    @Test func jsonTextRendering() {
        let value: ConfigValue = ["name": "a\"b\n", "list": [1, 2.5, true, nil], "empty": [:]]
        #expect(value.jsonText == #"{"name":"a\"b\n","list":[1,2.5,true,null],"empty":{}}"#)
    }

    @Test func objectsCompareRegardlessOfOrderButKeepIt() {
        let ab: ConfigObject = ["a": 1, "b": 2]
        let ba: ConfigObject = ["b": 2, "a": 1]
        #expect(ab == ba)
        #expect(ab.keys == ["a", "b"])
        #expect(ab != ["a": 1, "b": 3])
        var edited = ab
        edited["a"] = nil
        edited["c"] = 3
        #expect(edited.keys == ["b", "c"])
        #expect(edited["b"] == 2)
    }
}
