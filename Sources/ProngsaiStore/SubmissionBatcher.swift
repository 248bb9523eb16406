import Foundation
import Logging
import SQLKit
import Synchronization

/// Group commit for survey forms without a code (EIT part 1 links): forms that arrive while a write is under
/// way are written together by the next one, in one transaction of two statements (the receipts, then the
/// pending answers), and each sender is answered once that transaction has committed. Under load a write
/// carries many forms instead of each form paying for its own transaction; alone, a form is written at once.
/// What is stored is what the one-by-one path stores: a receipt per submission id and a pending answer with
/// a random id and no time.
final class SubmissionBatcher: Sendable {
    struct Form: Sendable {
        var assessmentID: String
        var partID: String
        var submissionID: String
        var answers: String
    }

    private struct Waiting {
        var form: Form
        var continuation: CheckedContinuation<SubmitOutcome, any Error>
    }

    private struct State {
        var queue: [Waiting] = []
        var writers = 0
    }

    private let database: Database
    private let state = Mutex(State())
    /// Forms per transaction at most (4 bound values each for the receipts: well inside SQLite's limit).
    static let maxBatch = 256
    /// Writers at once: SQLite has one writer anyway; PostgreSQL takes a few side by side.
    private let maxWriters: Int

    init(database: Database) {
        self.database = database
        maxWriters = database.engine == .sqlite ? 1 : 4
    }

    func submit(_ form: Form) async throws -> SubmitOutcome {
        try await withCheckedThrowingContinuation { continuation in
            let startWriter = state.withLock { state -> Bool in
                state.queue.append(Waiting(form: form, continuation: continuation))
                guard state.writers < maxWriters else { return false }
                state.writers += 1
                return true
            }
            if startWriter { Task { await self.writeWhileWaiting() } }
        }
    }

    private func writeWhileWaiting() async {
        while true {
            let batch = state.withLock { state -> [Waiting] in
                guard !state.queue.isEmpty else {
                    state.writers -= 1
                    return []
                }
                let taken = Array(state.queue.prefix(Self.maxBatch))
                state.queue.removeFirst(taken.count)
                return taken
            }
            if batch.isEmpty { return }
            do {
                let outcomes = try await write(batch.map(\.form))
                for (waiting, outcome) in zip(batch, outcomes) { waiting.continuation.resume(returning: outcome) }
            } catch {
                // The transaction rolled back: nothing of this batch is stored, and every sender is told so.
                for waiting in batch { waiting.continuation.resume(throwing: error) }
            }
        }
    }

    /// One transaction: receipts for the new submission ids (a repeated id, in this batch or stored before,
    /// is a duplicate), then a pending answer for each new one.
    func write(_ forms: [Form]) async throws -> [SubmitOutcome] {
        var firstIndex: [String: Int] = [:]
        for (index, form) in forms.enumerated() where firstIndex[form.submissionID] == nil { firstIndex[form.submissionID] = index }
        let unique = forms.indices.filter { firstIndex[forms[$0].submissionID] == $0 }
        let inserted: Set<String> = try await database.transaction { db in
            var receipts = db.insert(into: "survey_submissions").columns("submission_id", "assessment_id", "part_id")
            for index in unique {
                receipts = receipts.values(SQLBind(forms[index].submissionID), SQLBind(forms[index].assessmentID), SQLBind(forms[index].partID))
            }
            let new = Set(try await receipts.ignoringConflicts(with: ["submission_id"]).returning("submission_id").all()
                .map { try $0.decode(column: "submission_id", as: String.self) })
            let held = unique.filter { new.contains(forms[$0].submissionID) }
            if !held.isEmpty {
                var pending = db.insert(into: "survey_pending").columns("id", "assessment_id", "part_id", "answers")
                for index in held {
                    pending = pending.values(SQLBind(UUID().uuidString.lowercased()), SQLBind(forms[index].assessmentID), SQLBind(forms[index].partID),
                                             SQLBind(forms[index].answers))
                }
                try await pending.run()
            }
            return new
        }
        return forms.indices.map { index in
            firstIndex[forms[index].submissionID] == index && inserted.contains(forms[index].submissionID) ? .recorded : .duplicate
        }
    }
}
