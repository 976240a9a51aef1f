import Foundation
import Landscapes
import Layouts
import XCTest

/// The bundled samples/ are layouts a user can open at once.
final class SamplesTests: XCTestCase {
    func testSamplesAreIndexedLandscapeLayouts() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let dir = root.appendingPathComponent("samples").path
        let library = PaletteLibrary(palettes: [LandscapeClass.palette])
        for name in ["lake", "mountains", "village", "beach", "forest", "river-valley", "harbour", "winter"] {
            let path = dir + "/" + name + ".png"
            let layout = try LayoutFile.read(path: path, library: library)
            XCTAssertEqual(layout.palette.name, "landscape", name)
            XCTAssertEqual(layout.height, 256, name)
            XCTAssertTrue(layout.width == 256 || layout.width == 512, name)
            XCTAssertGreaterThanOrEqual(layout.labels.idsPresent.count, 6, "\(name) should show a varied scene")
        }
    }
}
