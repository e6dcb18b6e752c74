/// Feed dates (RSS's RFC 822 / RFC 1123, Atom's RFC 3339) rewritten as gofeed's parsed times appear in
/// KrakenD's JSON: RFC 3339 in UTC, fractional seconds without trailing zeros (`2003-06-03T09:39:21Z`).
///
/// Covers the forms feeds use (`Tue, 03 Jun 2003 09:39:21 GMT`, `3 Jun 2003 09:39 +0200`, `2003-06-03T09:39:21.5-05:00`),
/// with the RFC 822 zone names and `±hhmm` offsets; anything else gives nil (the parsed field is then left out,
/// as gofeed leaves it nil). Pure arithmetic, no Foundation.
enum FeedDate {
    /// The RFC 3339 UTC text of `text`, or nil when it is not a date in a known form.
    static func rfc3339UTC(_ text: String) -> String? {
        let trimmed = Substring(text).drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = trimmed.first else { return nil }
        let parsed =
            first.isLetter || !trimmed.contains("-") || trimmed.contains(" ") ? rfc822(trimmed) : rfc3339(trimmed)
        guard let parsed else { return nil }
        return format(seconds: parsed.seconds, fraction: parsed.fraction)
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let zones: [String: Int] = [
        "gmt": 0, "ut": 0, "utc": 0, "z": 0, "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6,
        "pst": -8, "pdt": -7,
    ]

    /// `[Day,] DD Mon YYYY HH:MM[:SS] Zone`.
    private static func rfc822(_ text: Substring) -> (seconds: Int, fraction: Substring)? {
        var fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { $0 }
        if let first = fields.first, first.last == "," || first.allSatisfy(\.isLetter) { fields.removeFirst() }
        guard fields.count >= 4, let day = Int(fields[0]),
            let month = months.firstIndex(of: fields[1].prefix(3).lowercased()), var year = Int(fields[2])
        else { return nil }
        if year < 100 { year += year < 50 ? 2000 : 1900 }
        let clock = fields[3].split(separator: ":")
        guard clock.count == 2 || clock.count == 3, let hour = Int(clock[0]), let minute = Int(clock[1]) else {
            return nil
        }
        let secondField = clock.count == 3 ? clock[2] : "0"
        let secondParts = secondField.split(separator: ".", maxSplits: 1)
        guard let second = Int(secondParts[0]) else { return nil }
        var offset = 0
        if fields.count >= 5 {
            guard let zone = zoneOffset(fields[4]) else { return nil }
            offset = zone
        }
        guard let seconds = epochSeconds(year, month + 1, day, hour, minute, second) else { return nil }
        return (seconds - offset, secondParts.count == 2 ? secondParts[1] : "")
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)`.
    private static func rfc3339(_ text: Substring) -> (seconds: Int, fraction: Substring)? {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 20, utf8[4] == UInt8(ascii: "-"), utf8[7] == UInt8(ascii: "-"),
            utf8[10] == UInt8(ascii: "T") || utf8[10] == UInt8(ascii: "t") || utf8[10] == UInt8(ascii: " "),
            utf8[13] == UInt8(ascii: ":"), utf8[16] == UInt8(ascii: ":"),
            let year = number(utf8, 0..<4), let month = number(utf8, 5..<7), let day = number(utf8, 8..<10),
            let hour = number(utf8, 11..<13), let minute = number(utf8, 14..<16), let second = number(utf8, 17..<19)
        else { return nil }
        var index = 19
        var fraction: Substring = ""
        if utf8[index] == UInt8(ascii: ".") {
            let start = index + 1
            index = start
            while index < utf8.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(utf8[index]) { index += 1 }
            guard index > start else { return nil }
            fraction = Substring(String(decoding: utf8[start..<index], as: UTF8.self))
        }
        guard index < utf8.count, let zone = zoneOffset(Substring(String(decoding: utf8[index...], as: UTF8.self)))
        else { return nil }
        guard let seconds = epochSeconds(year, month, day, hour, minute, second) else { return nil }
        return (seconds - zone, fraction)
    }

    /// Seconds east of UTC for `Z`, a zone name, `±hhmm` or `±hh:mm`.
    private static func zoneOffset(_ zone: Substring) -> Int? {
        if let hours = zones[zone.lowercased()] { return hours * 3600 }
        guard let sign = zone.first, sign == "+" || sign == "-" else { return nil }
        let digits = zone.dropFirst().filter { $0 != ":" }
        guard digits.count == 4, let value = Int(digits) else { return nil }
        let seconds = (value / 100) * 3600 + (value % 100) * 60
        return sign == "-" ? -seconds : seconds
    }

    private static func number(_ utf8: [UInt8], _ range: Range<Int>) -> Int? {
        var value = 0
        for byte in utf8[range] {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    /// Seconds since 1970 for a UTC civil time (Howard Hinnant's days-from-civil).
    private static func epochSeconds(
        _ year: Int,
        _ month: Int,
        _ day: Int,
        _ hour: Int,
        _ minute: Int,
        _ second: Int
    )
        -> Int?
    {
        guard (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour), (0...59).contains(minute),
            (0...60).contains(second)
        else { return nil }
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return days * 86_400 + hour * 3600 + minute * 60 + second
    }

    private static func format(seconds: Int, fraction: Substring) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        // Civil from days (Hinnant).
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        var result = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T"
        result += "\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay % 3600 / 60, 2)):\(pad(secondOfDay % 60, 2))"
        // Go's RFC3339Nano: at most nine digits, trailing zeros dropped.
        var digits = fraction.prefix(9)
        while digits.last == "0" { digits = digits.dropLast() }
        if !digits.isEmpty { result += "." + digits }
        return result + "Z"
    }
}
