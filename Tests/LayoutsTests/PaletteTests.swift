import Foundation
import Layouts
import XCTest

final class PaletteTests: XCTestCase {
    private func decode(_ json: String) throws -> Palette {
        try Palette.decode(json: Data(json.utf8), source: "p.json")
    }

    func testValidPaletteParsesAndRoundTrips() throws {
        let p = try decode(#"{"name":"mini","ignore":255,"classes":[{"id":0,"name":"sky","color":[1,2,3]},{"id":4,"name":"sea","color":[4,5,6]}]}"#)
        XCTAssertEqual(p.name, "mini")
        XCTAssertEqual(p.count, 2)
        XCTAssertEqual(p.ignoreID, 255)
        XCTAssertEqual(p.idLimit, 5)
        XCTAssertEqual(p.class(id: 4)?.name, "sea")
        XCTAssertNil(p.class(id: 1))
        XCTAssertEqual(p.id(forColor: RGBColor(1, 2, 3)), 0)
        XCTAssertEqual(try Palette.decode(json: p.encodeJSON(), source: "again"), p)
    }

    func testDuplicateIDNamesBothClasses() {
        XCTAssertThrowsError(try decode(#"{"name":"x","classes":[{"id":1,"name":"a","color":[1,1,1]},{"id":1,"name":"b","color":[2,2,2]}]}"#)) {
            XCTAssertEqual("\($0)", "p.json: id 1 is used twice (\"a\" and \"b\")")
        }
    }

    func testDuplicateColourIsRejected() {
        XCTAssertThrowsError(try decode(#"{"name":"x","classes":[{"id":1,"name":"a","color":[1,1,1]},{"id":2,"name":"b","color":[1,1,1]}]}"#)) {
            XCTAssertEqual("\($0)", "p.json: colour (1, 1, 1) is used twice (id 1 \"a\" and id 2 \"b\")")
        }
    }

    func testOutOfRangeIDAndColourAreRejected() {
        XCTAssertThrowsError(try decode(#"{"name":"x","classes":[{"id":300,"name":"a","color":[1,1,1]}]}"#)) {
            XCTAssertEqual("\($0)", "p.json: class \"a\" has id 300, outside 0-255")
        }
        XCTAssertThrowsError(try decode(#"{"name":"x","classes":[{"id":3,"name":"a","color":[1,1,256]}]}"#)) {
            XCTAssertTrue("\($0)".hasPrefix("p.json: has a bad value at classes[0].color"), "\($0)")
        }
        XCTAssertThrowsError(try decode(#"{"name":"x","ignore":-1,"classes":[{"id":3,"name":"a","color":[1,1,2]}]}"#))
    }

    func testBadJSONAndMissingFieldsNameTheFile() {
        XCTAssertThrowsError(try decode("{not json")) { XCTAssertEqual("\($0)", "p.json: is not valid JSON") }
        XCTAssertThrowsError(try decode(#"{"name":"x","classes":[{"id":3,"color":[1,1,2]}]}"#)) {
            XCTAssertEqual("\($0)", "p.json: is missing \"name\" at classes[0]")
        }
        XCTAssertThrowsError(try decode(#"{"name":"x","classes":[{"id":1,"name":"a","color":[1,1,2]},{"id":1.5,"name":"b","color":[1,1,3]}]}"#)) {
            XCTAssertEqual("\($0)", "p.json: has 1.5 at classes[1].id, where a whole number belongs")
        }
        XCTAssertThrowsError(try decode(#"{"name":"x","classes":[{"id":1,"name":"a","color":[1,1,2.25]}]}"#)) {
            XCTAssertEqual("\($0)", "p.json: has 2.25 at classes[0].color[2], where a whole number belongs")
        }
        XCTAssertThrowsError(try decode(#"{"name":"x","classes":[]}"#)) { XCTAssertEqual("\($0)", "p.json: has no classes") }
        XCTAssertThrowsError(try Palette.load(path: "/nonexistent.json")) {
            XCTAssertEqual("\($0)", "/nonexistent.json: no such file")
        }
    }

    func testAWrongTopLevelIsNamedAsNotAPalette() {
        XCTAssertThrowsError(try decode("[]")) {
            XCTAssertEqual("\($0)", #"p.json: is not a palette: the top level must be an object with "name" and "classes" (as palettes/landscape.json)"#)
        }
    }

    func testLibraryLoadsDirectoryAndReportsUnknownNames() throws {
        let dir = temporaryDirectory()
        try testPalette(name: "one").encodeJSON().write(to: URL(fileURLWithPath: dir + "/one.json"))
        let library = try PaletteLibrary(directory: dir)
        XCTAssertEqual(library.palettes.map(\.name), ["one"])
        XCTAssertThrowsError(try library.named("two")) { XCTAssertEqual("\($0)", "unknown palette \"two\" (known: one)") }
        try Data("[]".utf8).write(to: URL(fileURLWithPath: dir + "/broken.json"))
        XCTAssertThrowsError(try PaletteLibrary(directory: dir)) { XCTAssertTrue("\($0)".hasPrefix(dir + "/broken.json: ")) }
    }
}
