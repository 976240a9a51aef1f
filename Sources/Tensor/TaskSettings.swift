/// The task-local settings that ops read (graph recording, the convolution
/// backend, precision, Winograd, layout and one-hot lookup choices, the op profile), captured
/// on one thread and set again on another: a Dispatch worker starts with the
/// defaults, not with what the caller set with `with(...)`. Every `@TaskLocal`
/// an op reads belongs here, or a branch run on a worker would silently use
/// its default (a training graph in inference, f32 where bf16 was asked).
struct TaskSettings {
    var gradEnabled: Bool
    var backend: ConvolutionBackend
    var precision: ConvolutionPrecision
    var winograd: Bool
    var channelsLast: Bool
    var oneHotLookup: Bool
    var profile: OpProfile?

    /// The settings in force on the calling thread.
    static var current: TaskSettings {
        TaskSettings(gradEnabled: GradMode.enabled, backend: ConvolutionSettings.backend,
                     precision: ConvolutionSettings.precision, winograd: ConvolutionSettings.winograd,
                     channelsLast: ConvolutionSettings.channelsLast,
                     oneHotLookup: ConvolutionSettings.oneHotLookup, profile: OpProfile.current)
    }

    /// Runs `body` with these settings in force on the current thread.
    func apply<R>(_ body: () throws -> R) rethrows -> R {
        try GradMode.$enabled.withValue(gradEnabled) {
            try ConvolutionSettings.$backend.withValue(backend) {
                try ConvolutionSettings.$precision.withValue(precision) {
                    try ConvolutionSettings.$winograd.withValue(winograd) {
                        try ConvolutionSettings.$channelsLast.withValue(channelsLast) {
                            try ConvolutionSettings.$oneHotLookup.withValue(oneHotLookup) {
                                try OpProfile.$current.withValue(profile, operation: body)
                            }
                        }
                    }
                }
            }
        }
    }
}
