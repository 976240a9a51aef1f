import Layouts

/// Which neighbours a flood fill spreads to.
public enum Connectivity: Int, Sendable, CaseIterable {
    case four = 4
    case eight = 8
}

/// The connected region of equal class ids around a seed pixel.
public enum FloodFill {
    /// Indices (y * width + x) of every pixel connected to `seed` through
    /// pixels of the seed's class, in visiting order. Empty if the seed is outside.
    public static func region(in labels: LabelMap, from seed: PixelPoint, connectivity: Connectivity) -> [Int] {
        guard labels.contains(x: seed.x, y: seed.y) else { return [] }
        let width = labels.width, height = labels.height
        let target = labels[seed.x, seed.y]
        var visited = [Bool](repeating: false, count: width * height)
        var stack = [seed.y * width + seed.x]
        visited[stack[0]] = true
        var result: [Int] = []
        let steps: [(Int, Int)] = connectivity == .four
            ? [(1, 0), (-1, 0), (0, 1), (0, -1)]
            : [(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (1, -1), (-1, 1), (-1, -1)]
        labels.ids.withUnsafeBufferPointer { ids in
            while let index = stack.popLast() {
                result.append(index)
                let x = index % width, y = index / width
                for (dx, dy) in steps {
                    let nx = x + dx, ny = y + dy
                    guard nx >= 0, ny >= 0, nx < width, ny < height else { continue }
                    let n = ny * width + nx
                    if !visited[n] && ids[n] == target {
                        visited[n] = true
                        stack.append(n)
                    }
                }
            }
        }
        return result
    }
}
