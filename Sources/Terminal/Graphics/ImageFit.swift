/// Sizes an image to a box while keeping its aspect ratio. Small images are
/// enlarged by whole factors only (crisp pixels); large ones shrink to fit.
public enum ImageFit {
    public static func fit(width: Int, height: Int, into boxWidth: Int, _ boxHeight: Int) -> (width: Int, height: Int) {
        guard width > 0, height > 0, boxWidth > 0, boxHeight > 0 else { return (1, 1) }
        if width <= boxWidth && height <= boxHeight {
            let factor = max(1, min(boxWidth / width, boxHeight / height))
            return (width * factor, height * factor)
        }
        let scale = min(Double(boxWidth) / Double(width), Double(boxHeight) / Double(height))
        return (max(1, Int(Double(width) * scale)), max(1, Int(Double(height) * scale)))
    }
}
