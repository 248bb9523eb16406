import Foundation
import Logging
import ServiceLifecycle

/// Background work repeated at an interval beside the web server, from start-up until the service group
/// shuts down: the evidence link checker and the survey release rounds. A failed round is logged (with
/// `describe`, which decides how much of the error may be said) and the next one runs as planned.
struct PeriodicService: Service {
    let interval: Duration
    let logger: Logger
    let failure: String
    let describe: @Sendable (any Error) -> String
    let work: @Sendable () async throws -> Void

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await work()
            } catch {
                logger.error("\(failure): \(describe(error))")
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
