// swift-tools-version:6.0
// scenepaint: a terminal scene editor with an embedded CPU LGGAN generator.
// The module graph: each target below lists exactly the modules its files import
// (Tests/CLITests/PackageGraphTests checks both the targets and these lines).
//   Tensor <- CBLAS, CDNNL, Support
//   ONNX <- Tensor   (protobuf writer, ONNX messages, the engine's layers as ONNX operators)
//   Layouts <- CPNG, CJPEG, Support
//   Datasets <- Layouts, Support
//   Landscapes <- Datasets, Layouts, Support
//   Generation <- Layouts, Support   (SceneGenerator, GeneratedViews, the views, the palette rule)
//   Models <- Generation, Tensor, ONNX, Layouts, Support
//   Training <- Datasets, Generation, Models, Tensor, Layouts, Support
//   Evaluation <- Datasets, Generation, Models, Layouts, Support, CBLAS   (not Training)
//   Editor <- Generation, Layouts, Support   (not Models, not Tensor)
//   Terminal <- Editor, Generation, Layouts, Support, CNCurses, CSixel, CChafa
//   scenepaint <- Support, Tensor, ONNX, Layouts, Datasets, Landscapes, Generation, Models, Training, Evaluation, Editor, Terminal, ArgumentParser
// Support, CPNG, CJPEG and the system-library shims depend on nothing here.
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
        // The file readers, for the libFuzzer harnesses in Fuzz/ (a separate package).
        .library(name: "ScenepaintReaders", targets: ["Support", "Tensor", "Layouts", "Models"]),
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
        .systemLibrary(name: "CChafa", path: "Sources/CChafa", pkgConfig: "chafa",
                       providers: [.apt(["libchafa-dev", "libglib2.0-dev"])]),
        // libpng reports errors with longjmp, which Swift cannot catch: a thin C
        // bridge owns the setjmp and hands back error strings.
        .target(name: "CPNG", path: "Sources/CPNG",
                linkerSettings: [.linkedLibrary("png16"), .linkedLibrary("z")]),
        // oneDNN (libdnnl-dev 2.6, no pkg-config file): a C bridge, because its C API passes
        // dimensions as fixed arrays and layouts as opaque descriptors that need careful release.
        .target(name: "CDNNL", path: "Sources/CDNNL",
                linkerSettings: [.linkedLibrary("dnnl"), .linkedLibrary("gomp")]),

        // libjpeg-turbo's error_exit must not return: the same kind of setjmp bridge as CPNG.
        .target(name: "CJPEG", path: "Sources/CJPEG", linkerSettings: [.linkedLibrary("jpeg")]),

        .target(name: "Support", swiftSettings: [v5]),
        .target(name: "Tensor", dependencies: ["CBLAS", "CDNNL", "Support"], swiftSettings: fastMath + [v5]),
        .target(name: "ONNX", dependencies: ["Tensor"], swiftSettings: [v5]),
        .target(name: "Layouts", dependencies: ["CPNG", "CJPEG", "Support"], swiftSettings: fastMath + [v5]),
        .target(name: "Datasets", dependencies: ["Layouts", "Support"], swiftSettings: [v5]),
        .target(name: "Landscapes", dependencies: ["Datasets", "Layouts", "Support"], swiftSettings: fastMath + [v5]),
        .target(name: "Generation", dependencies: ["Layouts", "Support"], swiftSettings: [v5]),
        .target(name: "Models", dependencies: ["Generation", "Tensor", "ONNX", "Layouts", "Support"], swiftSettings: fastMath + [v5]),
        .target(name: "Training", dependencies: ["Datasets", "Generation", "Models", "Tensor", "Layouts", "Support"],
                swiftSettings: fastMath + [v5]),
        .target(name: "Evaluation", dependencies: ["Datasets", "Generation", "Models", "Layouts", "Support", "CBLAS"],
                swiftSettings: fastMath + [v5]),
        .target(name: "Editor", dependencies: ["Generation", "Layouts", "Support"], swiftSettings: [v5]),
        .target(name: "Terminal", dependencies: ["Editor", "Generation", "Layouts", "Support", "CNCurses", "CSixel", "CChafa"],
                swiftSettings: [v5]),
        .executableTarget(
            name: "scenepaint",
            dependencies: [
                "Support", "Tensor", "ONNX", "Layouts", "Datasets", "Landscapes", "Generation", "Models", "Training", "Evaluation",
                "Editor", "Terminal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: [v5]),

        .testTarget(name: "SupportTests", dependencies: ["Support"], swiftSettings: [v5]),
        .testTarget(name: "ONNXTests", dependencies: ["ONNX", "Tensor"], swiftSettings: [v5]),
        .testTarget(name: "TensorTests", dependencies: ["Tensor", "Support"], swiftSettings: [v5]),
        .testTarget(name: "LayoutsTests", dependencies: ["Layouts"], swiftSettings: [v5]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "Layouts", "Support"], swiftSettings: [v5]),
        .testTarget(name: "LandscapesTests", dependencies: ["Landscapes", "Datasets", "Layouts"], swiftSettings: [v5]),
        .testTarget(name: "ModelsTests", dependencies: ["Models", "Datasets", "Generation", "Training", "Evaluation", "Tensor", "Layouts", "Support", "ONNX"],
                    swiftSettings: [v5]),
        .testTarget(name: "GenerationTests", dependencies: ["Generation", "Layouts"], swiftSettings: [v5]),
        .testTarget(name: "EditorTests", dependencies: ["Editor", "Generation", "Layouts"], swiftSettings: [v5]),
        .testTarget(name: "TerminalTests", dependencies: ["Terminal", "Editor", "Layouts"], swiftSettings: [v5]),
        // Runs the built binary as a process (and in tmux): exit codes, messages, files.
        .testTarget(name: "CLITests", dependencies: ["Layouts", "Support"], swiftSettings: [v5]),
    ]
)
