import Foundation

/// Writes `text` to `path`, creating the directories on the way.
func writeConfigurationFile(_ path: String, _ text: String) throws {
    let url = URL(fileURLWithPath: path)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
}

/// Removes `path` and everything under it, ignoring a path that is already gone.
func removeConfigurationFiles(_ path: String) {
    try? FileManager.default.removeItem(atPath: path)
}
