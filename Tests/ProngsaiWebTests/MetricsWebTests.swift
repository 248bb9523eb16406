import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ProngsaiCore
import ProngsaiStore
import ProngsaiWeb
import Testing
import TestSupport

@Suite("metrics in Prometheus format", .serialized)
struct MetricsWebTests {
    /// The value of one sample line, e.g. `prongsai_document_jobs_count{state="queued"}`.
    static func sample(_ text: String, _ prefix: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(prefix + " ") }.flatMap { Double($0.split(separator: " ").last!) }
    }

    @Test("requests by route pattern and status with latency, submissions accepted, jobs by state; only for this machine or the token",
          arguments: TestEngine.available)
    func metrics(engine: TestEngine) async throws {
        try await withApp(engine, configure: { $0.jobInterval = nil }) { client, world, repositories in
            var officer = Browser(client)
            _ = try await officer.signIn("officer")
            _ = try await officer.get("/agencies/banpong/2566")
            _ = try await officer.get("/agencies/banpong/2599")
            let path = try await officer.openSurvey("eit1", population: "120")
            for _ in 0..<3 {
                var person = Browser(client)
                _ = try await person.get(path)
                #expect(try await person.send(.post, path, form: [("submission", person.submissionID!)] + (try answers("eit1"))).status == .seeOther)
            }
            _ = try await repositories.improvement.createJob(assessmentID: world.assessment.id, steps: 1, by: AuditActor(userID: nil, name: "t"), logger: testLogger)

            let scrape = try await client.execute(uri: "/metrics", method: .get)
            #expect(scrape.status == .ok)
            let text = String(buffer: scrape.body)
            #expect(Self.sample(text, #"prongsai_http_requests_total{route="/agencies/{agency}/{year}",method="GET",status="200"}"#) == 1)
            #expect(Self.sample(text, #"prongsai_http_requests_total{route="/agencies/{agency}/{year}",method="GET",status="404"}"#) == 1)
            #expect(Self.sample(text, #"prongsai_http_requests_total{route="/s/{code}",method="POST",status="303"}"#) == 3)
            #expect(text.contains(#"prongsai_http_request_duration_seconds_bucket{route="/login",method="POST",status="303",le="0.05"}"#))
            #expect(Self.sample(text, "prongsai_survey_submissions_accepted_total") == 3)
            #expect(Self.sample(text, #"prongsai_document_jobs_count{state="queued"}"#) == 1)
            #expect(!text.contains("banpong") && !text.contains(String(path.dropFirst(3))), "route patterns, never an agency or a survey link")
            // Through a proxy it is not there.
            let proxied = try await client.execute(uri: "/metrics", method: .get, headers: [HTTPField.Name("X-Forwarded-For")!: "203.0.113.9"])
            #expect(proxied.status == .notFound)
        }
        try await withApp(engine, configure: { $0.metricsToken = "s3cret-token"; $0.jobInterval = nil }) { client, _, _ in
            let bare = try await client.execute(uri: "/metrics", method: .get)
            let wrong = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer wrong"])
            let right = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer s3cret-token"])
            #expect(bare.status == .notFound && wrong.status == .notFound, "with a token, this machine needs it too")
            #expect(right.status == .ok)
        }
    }
}
