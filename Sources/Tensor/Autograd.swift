/// One recorded op: its inputs and how to turn the gradient of its output into
/// gradients of its inputs. The closure keeps what backward needs alive (saved
/// activations); releasing the node after backward frees them.
final class Node {
    /// The op that made it: autograd errors name it.
    let op: TensorOp
    let inputs: [Tensor]
    let backward: (Tensor) -> [Tensor?]

    init(op: TensorOp, inputs: [Tensor], backward: @escaping (Tensor) -> [Tensor?]) {
        self.op = op
        self.inputs = inputs
        self.backward = backward
    }
}

extension Tensor {
    /// Attaches a node to an op's result when grad mode is on and some input
    /// needs a gradient. `backward` returns one gradient (or nil) per input,
    /// shaped like that input; it may skip inputs whose `requiresGrad` is false.
    package static func record(_ output: Tensor, op: TensorOp, inputs: [Tensor], backward: @escaping (Tensor) -> [Tensor?]) -> Tensor {
        guard GradMode.isEnabled, inputs.contains(where: { $0.requiresGrad }) else { return output }
        output.node = Node(op: op, inputs: inputs, backward: backward)
        output.requiresGrad = true
        return output
    }

    /// True when an op should record: saves work (and memory) in inference.
    package static func needsGraph(_ inputs: Tensor...) -> Bool {
        GradMode.isEnabled && inputs.contains(where: { $0.requiresGrad })
    }

    /// Reverse-mode differentiation from this tensor. A one-element tensor seeds
    /// with 1; otherwise pass `gradient` (same shape). Leaf gradients accumulate
    /// into `grad` (call `zeroGrad` on the module or optimiser between steps).
    /// Unless `retainGraph`, the graph below is released: its saved activations
    /// are freed and a second backward through it would see only leaves.
    public func backward(gradient: Tensor? = nil, retainGraph: Bool = false) {
        Tensor.backward([self], gradients: [gradient], retainGraph: retainGraph)
    }

    /// Backward from several roots at once (several losses sharing a graph):
    /// equivalent to the backward of their sum, in one pass.
    public static func backward(_ roots: [Tensor], gradients: [Tensor?]? = nil, retainGraph: Bool = false) {
        let seeds = gradients ?? Array(repeating: nil, count: roots.count)
        check(seeds.count == roots.count, "backward: \(roots.count) roots but \(seeds.count) gradients")
        GradMode.withoutGrad {
            var accumulated: [ObjectIdentifier: GradientSlot] = [:]
            for (root, seed) in zip(roots, seeds) where root.requiresGrad {
                let g: Tensor
                if let seed {
                    check(seed.count == root.count, "backward: gradient \(seed.shape) for tensor \(root.shape)")
                    g = seed.shape == root.shape ? seed : seed.reshaped(root.shape)
                } else {
                    check(root.count == 1, "backward from a non-scalar tensor \(root.shape) needs a gradient")
                    g = Tensor(shape: root.shape, repeating: 1)
                }
                GradientSlot.accumulate(g, into: &accumulated[ObjectIdentifier(root)])
            }
            for tensor in topologicalOrder(roots).reversed() {
                guard let slot = accumulated.removeValue(forKey: ObjectIdentifier(tensor)) else { continue }
                guard let node = tensor.node else {
                    if tensor.graphReleased {
                        fatalError("Tensor: backward reached a \(tensor.shape) tensor whose graph an earlier backward already released; "
                                   + "call the first backward with retainGraph: true, use Tensor.backward([loss1, loss2]), or detach() it")
                    }
                    if tensor.requiresGrad { tensor.accumulateLeafGradient(slot) }
                    continue
                }
                let inputGrads = node.backward(slot.tensor)
                check(inputGrads.count == node.inputs.count,
                      "\(node.op): backward returned \(inputGrads.count) gradients for \(node.inputs.count) inputs")
                for (input, grad) in zip(node.inputs, inputGrads) {
                    guard input.requiresGrad, let grad else { continue }
                    check(grad.count == input.count, "\(node.op): backward gave a gradient \(grad.shape) for input \(input.shape)")
                    let shaped = grad.shape == input.shape ? grad : grad.reshaped(input.shape)
                    GradientSlot.accumulate(shaped, into: &accumulated[ObjectIdentifier(input)])
                }
                if !retainGraph {
                    // Frees the saved activations; a later backward through here is an error, not silence.
                    tensor.node = nil
                    tensor.graphReleased = true
                }
            }
        }
    }

    /// The ops recorded in the graph below this tensor, inputs first (nil
    /// entries skipped: leaves). Tests use it to see which ops a graph holds.
    public var recordedOps: [TensorOp] { Tensor.topologicalOrder([self]).compactMap { $0.node?.op } }

    /// Inputs before outputs, every tensor reachable through recorded nodes once.
    static func topologicalOrder(_ roots: [Tensor]) -> [Tensor] {
        var order: [Tensor] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(Tensor, Int)] = []
        for root in roots where visited.insert(ObjectIdentifier(root)).inserted {
            stack.append((root, 0))
            while let (tensor, next) = stack.last {
                if let node = tensor.node, next < node.inputs.count {
                    stack[stack.count - 1].1 = next + 1
                    let input = node.inputs[next]
                    if input.requiresGrad, visited.insert(ObjectIdentifier(input)).inserted {
                        stack.append((input, 0))
                    }
                } else {
                    order.append(tensor)
                    stack.removeLast()
                }
            }
        }
        return order
    }

    private func accumulateLeafGradient(_ slot: GradientSlot) {
        if let existing = grad {
            check(existing.count == count, "existing grad \(existing.shape) for \(shape)")
            addInPlace(existing.data, slot.tensor.data, count)
        } else {
            let g = slot.owned ? slot.tensor : slot.tensor.copy()
            grad = g.shape == shape ? g : g.reshaped(shape)
        }
    }

    /// Forgets the accumulated gradient.
    public func zeroGrad() { grad = nil }
}

/// A gradient being summed during backward. The first contribution is kept by
/// reference (ops may hand the same tensor to several inputs), so it is copied
/// before the second contribution is added in place.
struct GradientSlot {
    var tensor: Tensor
    var owned: Bool

    static func accumulate(_ g: Tensor, into slot: inout GradientSlot?) {
        guard var current = slot else {
            slot = GradientSlot(tensor: g, owned: false)
            return
        }
        if !current.owned {
            current = GradientSlot(tensor: current.tensor.copy(), owned: true)
        }
        addInPlace(current.tensor.data, g.data, g.count)
        slot = current
    }
}

/// dst += src, split over threads for large arrays.
func addInPlace(_ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>, _ n: Int) {
    Parallel.forRanges(n, minimumWork: Parallel.memoryBoundMinimum) { r in
        for i in r { dst[i] += src[i] }
    }
}
