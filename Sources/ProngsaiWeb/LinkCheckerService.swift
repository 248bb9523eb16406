import Foundation
import ProngsaiStore
import ServiceLifecycle

/// Runs the evidence link checker beside the web server until the service group shuts down.
struct LinkCheckerService: Service {
    let checker: LinkChecker
    let interval: Duration

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await checker.checkDue()
            } catch {
                checker.logger.error("link check failed: \(String(describing: error))")
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
