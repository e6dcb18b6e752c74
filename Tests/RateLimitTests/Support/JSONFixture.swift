import Foundation

/// Decodes a configuration type from a JSON literal, as the gateway does from its config tree.
func decode<T: Decodable>(_ type: T.Type, from json: String) throws -> T {
    try JSONDecoder().decode(type, from: Data(json.utf8))
}
