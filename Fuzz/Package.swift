// swift-tools-version:6.0
// libFuzzer harnesses for scenepaint's file readers. A separate package so the
// normal build never sees the sanitizer flags; build and run with `make fuzz`
// (see docs/reliability.md), which passes -sanitize=fuzzer,address.
import Foundation
import PackageDescription

// The root package is the directory above; SwiftPM names a path dependency
// after its directory, which differs between checkouts and worktrees.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let readers: Target.Dependency = .product(name: "ScenepaintReaders", package: root.lastPathComponent)
let v5: SwiftSetting = .swiftLanguageMode(.v5)

let package = Package(
    name: "scenepaint-fuzz",
    dependencies: [.package(path: root.path)],
    targets: [
        .target(name: "FuzzSupport", dependencies: [readers], swiftSettings: [v5]),
        .executableTarget(name: "fuzz-layout", dependencies: ["FuzzSupport", readers], path: "Sources/FuzzLayout",
                          swiftSettings: [v5]),
        .executableTarget(name: "fuzz-safetensors", dependencies: ["FuzzSupport", readers], path: "Sources/FuzzSafeTensors",
                          swiftSettings: [v5]),
        .executableTarget(name: "fuzz-palette", dependencies: ["FuzzSupport", readers], path: "Sources/FuzzPalette",
                          swiftSettings: [v5]),
        .executableTarget(name: "fuzz-modelfile", dependencies: ["FuzzSupport", readers], path: "Sources/FuzzModelFile",
                          swiftSettings: [v5]),
    ]
)
