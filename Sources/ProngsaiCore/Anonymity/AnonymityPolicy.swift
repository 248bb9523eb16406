import Foundation

/// The one rule that keeps survey respondents anonymous, read from the framework file
/// (`"anonymity": {"minimumResponses": 5}`).
///
/// Every figure derived from survey answers (a part, indicator or question score, a chart, an export row,
/// the responses in the score input) needs at least `minimumResponses` answers behind it; below that only
/// the number of answers is shown. Answers are also released from the pending table only in batches of
/// at least this size (`releasable`), so no release adds fewer than this many rows to what anyone can see.
public struct AnonymityPolicy: Sendable, Hashable {
    public var minimumResponses: Int

    public init(minimumResponses: Int = 5) {
        self.minimumResponses = max(1, minimumResponses)
    }

    /// Figures may be shown for a part with this many answers (none at all has nothing to show).
    public func allowsFigures(responses count: Int) -> Bool { count >= minimumResponses }

    /// A question's score may be shown when this many respondents answered it.
    public func allowsQuestion(answered count: Int) -> Bool { count >= minimumResponses }

    /// A batch of this many pending answers may be released.
    public func releasable(pending count: Int) -> Bool { count >= minimumResponses }

    /// Answers of one part that figures may be drawn from: all of them, or none below the minimum.
    public func visible<T>(_ responses: [T]) -> [T] { allowsFigures(responses: responses.count) ? responses : [] }
}
