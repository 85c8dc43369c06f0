import Tracing

/// Runs `operation` in a child span of the request's span, or bare when there is none: tracing is off (the
/// request middleware is not installed), so the cost is one task-local read, not a tracer lookup under a lock.
func withRequestChildSpan<T>(
    _ name: String, ofKind kind: SpanKind = .internal, isolation: isolated (any Actor)? = #isolation,
    _ operation: (_ span: (any Span)?) async throws -> T
) async rethrows -> T {
    guard let parent = InstrumentationContext.current else { return try await operation(nil) }
    let span = InstrumentationSystem.tracer.startSpan(name, context: parent, ofKind: kind)
    defer { span.end() }
    do {
        return try await InstrumentationContext.$current.withValue(span.context) { try await operation(span) }
    } catch {
        span.recordError(error)
        span.setStatus(SpanStatus(code: .error))
        throw error
    }
}
