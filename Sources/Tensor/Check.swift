/// Shape and argument errors in ops are programming errors, not user input:
/// they stop the program with a message naming the op and the shapes. This uses
/// `fatalError` rather than `precondition`, which `-Ounchecked` removes.
@inline(__always)
package func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
           file: StaticString = #file, line: UInt = #line) {
    if !condition() { fatalError("Tensor: " + message(), file: file, line: line) }
}
