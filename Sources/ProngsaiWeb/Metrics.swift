import Foundation
import Hummingbird
import Prometheus
import ProngsaiCore
import ProngsaiStore
import Synchronization

/// What `/metrics` reports in Prometheus's text format: requests by route pattern, method and status with
/// their latency, survey submissions accepted (one total for the node: no agency or part, so the figures
/// say nothing about when anyone in particular answered), and document jobs by state (from the database,
/// so every node reports the same queue).
final class AppMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let submissions: Counter
    private struct Key: Hashable {
        var route: String
        var method: String
        var status: Int
    }
    private let requests = Mutex<[Key: (Counter, DurationHistogram)]>([:])
    static let buckets: [Duration] = [.milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                                      .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5)]

    static var requestsName: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "prongsai", subsystem: "http", metricName: "requests", unitName: "total", helpText: "HTTP requests answered")
    }
    static var durationName: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "prongsai", subsystem: "http", metricName: "request_duration", unitName: "seconds",
                             helpText: "Time to answer an HTTP request")
    }
    static var jobsName: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "prongsai", metricName: "document_jobs", unitName: "count", helpText: "Document jobs by state, all nodes")
    }

    init() {
        submissions = registry.makeCounter(descriptor: MetricNameDescriptor(
            namespace: "prongsai", metricName: "survey_submissions_accepted", unitName: "total", helpText: "Survey forms accepted (stored, awaiting release)"))
    }

    func record(route: String, method: String, status: Int, duration: Duration) {
        let key = Key(route: route, method: method, status: status)
        let (counter, histogram) = requests.withLock { cache in
            if let found = cache[key] { return found }
            let labels = [("route", route), ("method", method), ("status", String(status))]
            let made = (registry.makeCounter(descriptor: Self.requestsName, labels: labels),
                        registry.makeDurationHistogram(descriptor: Self.durationName, labels: labels, buckets: Self.buckets))
            cache[key] = made
            return made
        }
        counter.increment()
        histogram.record(duration)
    }

    /// The text `/metrics` answers with, the job gauges read at this moment.
    func exposition(jobs: [String: Int]) -> [UInt8] {
        for state in DocumentJob.Status.allCases {
            registry.makeGauge(descriptor: Self.jobsName, labels: [("state", state.rawValue)]).set(Double(jobs[state.rawValue, default: 0]))
        }
        return registry.emitToBuffer()
    }
}

/// Times every request (outermost, so errors are counted with the status they became) under its route
/// pattern: `/agencies/{agency}/{year}`, never the path itself, so no agency code or survey link becomes a
/// label.
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let metrics: AppMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let response = try await next(request, context)
            metrics.record(route: context.endpointPath ?? "unmatched", method: request.method.rawValue, status: response.status.code, duration: clock.now - start)
            return response
        } catch {
            let status = ErrorMiddleware.appError(for: error).status.code
            metrics.record(route: context.endpointPath ?? "unmatched", method: request.method.rawValue, status: status, duration: clock.now - start)
            throw error
        }
    }
}

/// `/metrics`: with `--metrics-token` only for `Authorization: Bearer <token>`; without one, only for a
/// scraper on this machine talking to the node directly (not through a proxy).
struct MetricsController {
    let metrics: AppMetrics
    let repositories: Repositories
    let token: String?

    func register(on router: Router<AppRequestContext>) {
        router.get("/metrics") { request, context in
            try await scrape(request, context: context)
        }
    }

    func scrape(_ request: Request, context: AppRequestContext) async throws -> Response {
        let allowed: Bool
        if let token, !token.isEmpty {
            allowed = constantTimeEqual(request.headers[.authorization] ?? "", "Bearer " + token)
        } else {
            let loopback = ["127.0.0.1", "::1", "::ffff:127.0.0.1"].contains(context.peerAddress)
            allowed = loopback && request.headers[.init("X-Forwarded-For")!] == nil
        }
        guard allowed else { throw AppError.notFound }
        let jobs = try await repositories.improvement.jobCounts(logger: context.logger)
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition(jobs: jobs))))
    }
}
