import Foundation
import XCTest

extension XCTestCase {
    /// A fresh directory under the system's temporary directory, removed when the test ends.
    func temporaryDirectory(prefix: String) throws -> String {
        let dir = NSTemporaryDirectory() + prefix + "-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }
}
