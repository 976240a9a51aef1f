/// A programming-error check that survives every build. The numeric modules are
/// compiled `-Ounchecked`, which deletes `precondition` and `assert`; a broken
/// invariant there would read or write out of bounds instead of stopping.
/// `fatalError` is kept in every optimisation mode. User input never reaches
/// this: it is refused earlier with a thrown `UserFacingError`.
@inlinable
public func invariant(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
                      file: StaticString = #file, line: UInt = #line) {
    if !condition() { fatalError(message(), file: file, line: line) }
}
