/// Path helpers for the router's slow paths: gin's `cleanPath` and Go's percent-decoding rules.
enum RoutePath {
    /// gin's `cleanPath`: a leading `/`, no empty, `.` or `..` segments (`..` never climbs above the root), and the
    /// trailing slash kept when the input had one (or ended in `/.` or `/..`). Used by `remove_extra_slash` and by
    /// the fixed-path redirect. Allocates the result.
    static func clean(_ path: Substring) -> String {
        if path.isEmpty { return "/" }
        var kept: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            if segment == "." { continue }
            if segment == ".." {
                if !kept.isEmpty { kept.removeLast() }
                continue
            }
            kept.append(segment)
        }
        var result = "/" + kept.joined(separator: "/")
        let trailing = path.count > 1 && (path.last == "/" || path.hasSuffix("/.") || path.hasSuffix("/.."))
        if trailing && result != "/" { result += "/" }
        return result
    }

    /// True when `path` is `prefix` itself or lies under it (`/__debug`, `/__debug/`, `/__debug/anything`).
    static func isUnder(_ path: Substring, _ prefix: String) -> Bool {
        guard path.hasPrefix(prefix) else { return false }
        let rest = path.dropFirst(prefix.count)
        return rest.isEmpty || rest.first == "/"
    }

    /// Lura's `paramChecker`, for a raw (still percent-encoded) parameter taken from the request target.
    ///
    /// Lura's rule runs on Go's already-decoded path: a parameter is refused (400) when decoding it once more changes
    /// it or fails, or when it holds `?` or `#` — so a double-encoded `..%252F` never reaches a backend as `../`.
    /// Portico routes on the raw path, so it decodes once itself and applies the same rule to the result; and since
    /// Go would have split a segment at an encoded `%2F` (no route would then see it as one parameter), a decoded `/`
    /// is refused too, except in a trailing `*` wildcard. A raw escape that is not `%XX` is refused, as Go's server
    /// refuses the request line. Allocation-free; the common case (no `%`, no `#`) is one scan.
    static func isAcceptableParameter(_ raw: Substring, isWildcard: Bool) -> Bool {
        let utf8 = raw.utf8
        guard utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "#") || $0 == UInt8(ascii: "?") })
        else { return true }
        var index = utf8.startIndex
        while index != utf8.endIndex {
            var byte = utf8[index]
            if byte == UInt8(ascii: "%") {
                let high = utf8.index(after: index)
                guard high != utf8.endIndex, let highValue = JSONStringUnescaper.hexValue(utf8[high]) else {
                    return false
                }
                let low = utf8.index(after: high)
                guard low != utf8.endIndex, let lowValue = JSONStringUnescaper.hexValue(utf8[low]) else { return false }
                byte = highValue << 4 | lowValue
                index = low
            }
            switch byte {
            case UInt8(ascii: "%"), UInt8(ascii: "?"), UInt8(ascii: "#"): return false
            case UInt8(ascii: "/") where !isWildcard: return false
            default: break
            }
            index = utf8.index(after: index)
        }
        return true
    }

    /// Go's `url.PathUnescape` (or `QueryUnescape` with `plusAsSpace`); nil for a malformed escape.
    static func decode(_ text: Substring, plusAsSpace: Bool = false) -> String? {
        let utf8 = text.utf8
        if !utf8.contains(where: { $0 == UInt8(ascii: "%") || (plusAsSpace && $0 == UInt8(ascii: "+")) }) {
            return String(text)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%") {
                let high = utf8.index(after: index)
                guard high != utf8.endIndex, let highValue = JSONStringUnescaper.hexValue(utf8[high]) else {
                    return nil
                }
                let low = utf8.index(after: high)
                guard low != utf8.endIndex, let lowValue = JSONStringUnescaper.hexValue(utf8[low]) else { return nil }
                bytes.append(highValue << 4 | lowValue)
                index = utf8.index(after: low)
                continue
            }
            bytes.append(plusAsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            index = utf8.index(after: index)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Go's `url.QueryEscape`: unreserved bytes kept, space as `+`, everything else `%XX` (upper-case hex).
    static func queryEscape(_ text: String) -> String {
        var result = ""
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "):
                result.append("+")
            default:
                result.append("%")
                result.unicodeScalars.append(Unicode.Scalar(hex[Int(byte >> 4)]))
                result.unicodeScalars.append(Unicode.Scalar(hex[Int(byte & 0xF)]))
            }
        }
        return result
    }
}
