/// What the preview pane shows: the figures of the LGGAN paper, live.
public enum PreviewView: String, CaseIterable, Sendable {
    case fused
    case global
    case local
    case globalWeight = "weight-global"
    case localWeight = "weight-local"
    /// The sub-generator output of one class, its mask and the weights inside it.
    case classView = "class"
    /// Layout and fused image next to each other.
    case sideBySide = "side-by-side"

    /// Number key that selects the view (1-7).
    public var key: Character {
        Character(String((PreviewView.allCases.firstIndex(of: self) ?? 0) + 1))
    }

    public var title: String {
        switch self {
        case .fused: return "fused"
        case .global: return "global"
        case .local: return "local"
        case .globalWeight: return "global weight"
        case .localWeight: return "local weight"
        case .classView: return "class"
        case .sideBySide: return "layout | fused"
        }
    }

    public static func forKey(_ key: Character) -> PreviewView? {
        allCases.first { $0.key == key }
    }

    public var next: PreviewView {
        let all = PreviewView.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}
