import Foundation
import Hummingbird
import HummingbirdTesting
import ProngsaiCore
import ProngsaiStore
@testable import ProngsaiWeb
import Testing
import TestSupport

@Suite("one error edge: domain errors become their status, never a 500")
struct ErrorEdgeTests {
    @Test("a workflow step refused, a bad score input, a bad framework, a taken name, the last administrator: each with its status and message")
    func domainErrors() async throws {
        let views = try await Views.load()
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: ErrorMiddleware(views: views))
        let errors: [(String, any Error)] = [
            ("workflow-forbidden", WorkflowError(message: LocalizedText(th: "ท่านไม่มีสิทธิ์", en: "You may not"), forbidden: true)),
            ("workflow-conflict", WorkflowError(message: LocalizedText(th: "ส่งแล้ว", en: "Already sent"), forbidden: false)),
            ("score", ScoreInputError(path: "results.iit.score", message: "must be 0–100")),
            ("framework", FrameworkError(source: "x.json", problems: [])),
            ("duplicate", DuplicateError(what: "user", value: "officer")),
            ("last-admin", LastAdministratorError()),
        ]
        for (name, error) in errors {
            router.get(RouterPath("/\(name)")) { _, _ -> Response in throw error }
        }
        let app = Application(router: router)
        try await app.test(.router) { client in
            let expected: [String: (HTTPResponse.Status, String)] = [
                "workflow-forbidden": (.forbidden, "ท่านไม่มีสิทธิ์"), "workflow-conflict": (.conflict, "ส่งแล้ว"),
                "score": (.unprocessableContent, "results.iit.score"), "framework": (.unprocessableContent, "x.json"),
                "duplicate": (.conflict, "officer"), "last-admin": (.conflict, "ผู้ดูแลระบบ"),
            ]
            for (name, (status, text)) in expected {
                let response = try await client.execute(uri: "/\(name)", method: .get)
                #expect(response.status == status, "\(name)")
                #expect(String(buffer: response.body).contains(text), "\(name)")
            }
        }
    }

    @Test("the error middleware is outermost: a page refused inside still knows the person and language; the session store failing outside the handlers gets the same page, not a bare 500", arguments: [TestEngine.sqlite])
    func outermost(engine: TestEngine) async throws {
        try await withApp(engine) { client, world, repositories in
            var officer = Browser(client)
            _ = try await officer.signIn("muang-officer")
            let missing = try await officer.get("/agencies/nowhere/2566")
            #expect(missing.status == .notFound)
            #expect(officer.lastBody.contains("เจ้าหน้าที่เทศบาล"), "the error page is drawn for the signed-in person")
            _ = try await officer.get("/lang/en")
            _ = try await officer.get("/agencies/nowhere/2566")
            #expect(officer.lastBody.contains("lang=\"en\""), "and in their language")
            // The session middleware now fails before any handler runs.
            try await repositories.database.sql.raw("DROP TABLE sessions").run()
            let broken = try await officer.get("/agencies")
            #expect(broken.status == .internalServerError)
            #expect(officer.lastBody.contains("Something went wrong") && officer.lastBody.contains("<html"), "our page: \(officer.lastBody.prefix(300))")
            #expect(!officer.lastBody.contains("sessions") && !officer.lastBody.contains("SQLite"), "no detail of the failure reaches the person")
        }
    }
}
