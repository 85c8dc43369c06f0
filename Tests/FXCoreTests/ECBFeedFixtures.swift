import Foundation

/// The ECB feed fixtures in Tests/Fixtures/ECB (see its README), read from the source tree.
enum ECBFeedFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appending(path: "../Fixtures/ECB").standardizedFileURL

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appending(path: name)))
    }
}
