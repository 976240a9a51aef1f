// swift-tools-version:6.0
// scenepaint: a terminal scene editor with an embedded CPU LGGAN generator.
// Dependencies point one way: Support <- Tensor <- Models <- Training/Evaluation;
// Support <- Layouts <- Landscapes; Editor <- Models + Layouts; Terminal <- Editor; CLI on top.
import PackageDescription

// Hot loops are written with unsafe pointers; -Ounchecked removes the remaining
// overflow/bounds traps there. Only the numeric modules get it.
let fastMath: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release)),
]
let v5: SwiftSetting = .swiftLanguageMode(.v5)

let package = Package(
    name: "scenepaint",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "scenepaint", targets: ["scenepaint"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // System libraries (Debian -dev packages, found through pkg-config).
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CNCurses", path: "Sources/CNCurses", pkgConfig: "ncursesw",
                       providers: [.apt(["libncursesw5-dev"])]),
        .systemLibrary(name: "CSixel", path: "Sources/CSixel", pkgConfig: "libsixel",
                       providers: [.apt(["libsixel-dev"])]),
        // libpng reports errors with longjmp, which Swift cannot catch: a thin C
        // bridge owns the setjmp and hands back error strings.
        .target(name: "CPNG", path: "Sources/CPNG",
                linkerSettings: [.linkedLibrary("png16"), .linkedLibrary("z")]),
        // libjpeg-turbo's error_exit must not return: the same kind of setjmp bridge.
        .target(name: "CJPEG", path: "Sources/CJPEG", linkerSettings: [.linkedLibrary("jpeg")]),

        .target(name: "Support", swiftSettings: [v5]),
        .target(name: "Tensor", dependencies: ["CBLAS", "Support"], swiftSettings: fastMath + [v5]),
        .target(name: "Layouts", dependencies: ["CPNG", "CJPEG", "Support"], swiftSettings: fastMath + [v5]),
        .target(name: "Landscapes", dependencies: ["Layouts", "Support"], swiftSettings: fastMath + [v5]),
        .target(name: "Models", dependencies: ["Tensor", "Layouts", "Support"], swiftSettings: fastMath + [v5]),
        .target(name: "Training", dependencies: ["Models", "Tensor", "Layouts", "Landscapes", "Support"],
                swiftSettings: fastMath + [v5]),
        .target(name: "Evaluation", dependencies: ["Models", "Training", "Tensor", "Layouts", "Support", "CBLAS"],
                swiftSettings: fastMath + [v5]),
        .target(name: "Editor", dependencies: ["Models", "Layouts", "Support"], swiftSettings: [v5]),
        .target(name: "Terminal", dependencies: ["Editor", "Layouts", "Support", "CNCurses", "CSixel"],
                swiftSettings: [v5]),
        .executableTarget(
            name: "scenepaint",
            dependencies: [
                "Support", "Tensor", "Layouts", "Landscapes", "Models", "Training", "Evaluation",
                "Editor", "Terminal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: [v5]),

        .testTarget(name: "SupportTests", dependencies: ["Support"], swiftSettings: [v5]),
        .testTarget(name: "TensorTests", dependencies: ["Tensor", "Support"], swiftSettings: [v5]),
        .testTarget(name: "LayoutsTests", dependencies: ["Layouts", "Support"], swiftSettings: [v5]),
        .testTarget(name: "LandscapesTests", dependencies: ["Landscapes", "Layouts"], swiftSettings: [v5]),
        .testTarget(name: "ModelsTests", dependencies: ["Models", "Training", "Evaluation", "Tensor", "Layouts"],
                    swiftSettings: [v5]),
        .testTarget(name: "EditorTests", dependencies: ["Editor", "Layouts", "Models"], swiftSettings: [v5]),
        .testTarget(name: "TerminalTests", dependencies: ["Terminal", "Layouts"], swiftSettings: [v5]),
        // Runs the built binary as a process (and in tmux): exit codes, messages, files.
        .testTarget(name: "CLITests", dependencies: ["Layouts", "Support"], swiftSettings: [v5]),
    ]
)
