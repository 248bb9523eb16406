import Foundation

/// Words that name a kind of local government. Text copied from another agency's report (an อบต.
/// writing "เทศบาลดำเนินการ…") is caught before it goes into a signed document.
public enum AgencyWords {
    /// Each local-government family and the words that name it.
    static let families: [(types: Set<String>, words: [String])] = [
        (["อบต."], ["องค์การบริหารส่วนตำบล", "อบต."]),
        (["เทศบาลตำบล", "เทศบาลเมือง", "เทศบาลนคร"], ["เทศบาล", "ทต.", "ทม.", "ทน."]),
        (["อบจ."], ["องค์การบริหารส่วนจังหวัด", "อบจ."]),
    ]

    public struct Finding: Sendable, Hashable {
        /// Where the text is (an item id, "มาตรการที่ 2" …), as the caller named it.
        public var place: String
        public var word: String
        /// A few words either side of the finding.
        public var excerpt: String
    }

    /// Words of other local-government families in `texts`, at most one per place; nothing for agencies
    /// outside those families.
    public static func foreign(in texts: [(place: String, text: String)], agencyType: String) -> [Finding] {
        guard let own = families.first(where: { $0.types.contains(agencyType) }) else { return [] }
        let ownWords = own.words
        let others = families.filter { !$0.types.contains(agencyType) }.flatMap(\.words)
        var out: [Finding] = []
        for (place, text) in texts {
            // One finding per place: the first foreign word says enough to send the officer there.
            words: for word in others {
                var search = text.startIndex..<text.endIndex
                while let range = text.range(of: word, range: search) {
                    search = range.upperBound..<text.endIndex
                    // "องค์การบริหารส่วนตำบล" is not "องค์การบริหารส่วนจังหวัด"; a short form inside one of our own words is ours.
                    if ownWords.contains(where: { own in own.count > word.count && text[range.lowerBound...].hasPrefix(own) }) { continue }
                    let start = text.index(range.lowerBound, offsetBy: -20, limitedBy: text.startIndex) ?? text.startIndex
                    let end = text.index(range.upperBound, offsetBy: 20, limitedBy: text.endIndex) ?? text.endIndex
                    out.append(Finding(place: place, word: word, excerpt: String(text[start..<end])))
                    break words
                }
            }
        }
        return out
    }
}
