import Foundation

/// One problem found in a framework file, located by its JSON path (`$.tools[1].weight`).
public struct FrameworkProblem: Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "\(path): \(message)" }
}

/// A framework file that cannot be used, with every problem found in it.
public struct FrameworkError: Error, Sendable, CustomStringConvertible {
    public var source: String
    public var problems: [FrameworkProblem]

    public init(source: String, problems: [FrameworkProblem]) {
        self.source = source
        self.problems = problems
    }

    public var description: String {
        let header = "\(source): invalid framework (\(problems.count) problem\(problems.count == 1 ? "" : "s"))"
        return ([header] + problems.map { "  \($0)" }).joined(separator: "\n")
    }
}

/// Reads and validates framework files.
public enum FrameworkLoader {
    /// Loads a framework file from disk.
    public static func load(path: String) throws(FrameworkError) -> Framework {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw FrameworkError(source: path, problems: [FrameworkProblem(path: "$", message: "cannot read the file (\(Self.describe(error)))")])
        }
        return try load(data: data, source: path)
    }

    public static func load(data: Data, source: String) throws(FrameworkError) -> Framework {
        let document: JSONValue
        do {
            document = try JSONParser.parse(data)
        } catch {
            throw FrameworkError(source: source, problems: [FrameworkProblem(path: "$", message: error.description)])
        }
        return try load(document: document, source: source)
    }

    /// Validates a parsed document and builds the framework; reports every problem, not just the first.
    public static func load(document: JSONValue, source: String) throws(FrameworkError) -> Framework {
        var reader = Reader()
        let framework = reader.framework(document)
        if let framework, reader.problems.isEmpty { return framework }
        throw FrameworkError(source: source, problems: reader.problems)
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? CocoaError, let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError {
            return underlying.localizedDescription
        }
        return (error as NSError).localizedDescription
    }
}

/// Walks a framework document, collecting problems with their paths.
private struct Reader {
    var problems: [FrameworkProblem] = []

    mutating func problem(_ path: String, _ message: String) {
        problems.append(FrameworkProblem(path: path, message: message))
    }

    // MARK: typed field access

    mutating func object(_ value: JSONValue?, _ path: String) -> JSONObject? {
        guard let value else {
            problem(path, "is missing")
            return nil
        }
        guard let object = value.objectValue else {
            problem(path, "must be an object, not \(value.typeName)")
            return nil
        }
        return object
    }

    mutating func array(_ value: JSONValue?, _ path: String, nonEmpty: Bool = true) -> [JSONValue]? {
        guard let value else {
            problem(path, "is missing")
            return nil
        }
        guard let array = value.arrayValue else {
            problem(path, "must be an array, not \(value.typeName)")
            return nil
        }
        if nonEmpty && array.isEmpty {
            problem(path, "must not be empty")
            return nil
        }
        return array
    }

    mutating func string(_ value: JSONValue?, _ path: String) -> String? {
        guard let value else {
            problem(path, "is missing")
            return nil
        }
        guard let string = value.stringValue else {
            problem(path, "must be a string, not \(value.typeName)")
            return nil
        }
        if string.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problem(path, "must not be empty")
            return nil
        }
        return string
    }

    mutating func number(_ value: JSONValue?, _ path: String, in range: ClosedRange<Decimal>? = nil) -> Decimal? {
        guard let value else {
            problem(path, "is missing")
            return nil
        }
        guard let number = value.numberValue else {
            problem(path, "must be a number, not \(value.typeName)")
            return nil
        }
        if let range, !range.contains(number) {
            problem(path, "must be between \(range.lowerBound) and \(range.upperBound), not \(number)")
            return nil
        }
        return number
    }

    mutating func integer(_ value: JSONValue?, _ path: String, min: Int) -> Int? {
        guard let number = number(value, path) else { return nil }
        guard number == number.rounded0, number >= Decimal(min), number < 1_000_000_000 else {
            problem(path, "must be a whole number of at least \(min), not \(number)")
            return nil
        }
        return NSDecimalNumber(decimal: number).intValue
    }

    mutating func bool(_ value: JSONValue?, _ path: String, default defaultValue: Bool) -> Bool {
        guard let value else { return defaultValue }
        guard let bool = value.boolValue else {
            problem(path, "must be true or false, not \(value.typeName)")
            return defaultValue
        }
        return bool
    }

    /// `{"th": …, "en": …}`; when absent, the fallback stands in both languages.
    mutating func localized(_ value: JSONValue?, _ path: String, fallback: String) -> LocalizedText {
        guard let value else { return LocalizedText(th: fallback, en: fallback) }
        if let plain = value.stringValue { return LocalizedText(th: plain, en: plain) }
        guard let object = value.objectValue else {
            problem(path, "must be an object {\"th\": …, \"en\": …}, not \(value.typeName)")
            return LocalizedText(th: fallback, en: fallback)
        }
        var th = fallback
        var en = fallback
        if let v = object["th"] { if let s = v.stringValue { th = s } else { problem(path + ".th", "must be a string") } }
        if let v = object["en"] { if let s = v.stringValue { en = s } else { problem(path + ".en", "must be a string") } }
        if object["th"] == nil && object["en"] != nil { th = en }
        if object["en"] == nil && object["th"] != nil { en = th }
        return LocalizedText(th: th, en: en)
    }

    /// Records `id` at `path`, reporting a duplicate against the first place it was used.
    mutating func unique(_ id: String, _ path: String, in seen: inout [String: String], what: String) {
        if let first = seen[id] {
            problem(path, "duplicate \(what) id \"\(id)\" (first used at \(first))")
        } else {
            seen[id] = path
        }
    }

    /// A list element with an id that must be unique among `seen`, and a localized name (or title, text).
    mutating func element(_ value: JSONValue, _ path: String, ids seen: inout [String: String], what: String, nameKey: String = "name")
        -> (object: JSONObject, id: String?, name: LocalizedText)?
    {
        guard let object = self.object(value, path) else { return nil }
        let id = string(object["id"], path + ".id")
        if let id { unique(id, path + ".id", in: &seen, what: what) }
        return (object, id, localized(object[nameKey], "\(path).\(nameKey)", fallback: id ?? ""))
    }

    // MARK: the document

    mutating func framework(_ document: JSONValue) -> Framework? {
        guard let root = object(document, "$") else { return nil }
        let id = string(root["id"], "$.id")
        let fiscalYear = integer(root["fiscalYear"], "$.fiscalYear", min: 1)
        let title = localized(root["title"], "$.title", fallback: id ?? "")
        let scales = self.scales(root["scales"])
        let tools = self.tools(root["tools"], scales: scales ?? [:])
        let levels = self.levels(root["levels"])
        var sampling: SamplingRule?
        if let value = root["sampling"] { sampling = self.sampling(value) }
        var clarificationDays = 15
        if let value = root["clarificationDays"], let days = integer(value, "$.clarificationDays", min: 0) {
            clarificationDays = days
        }
        var improvement = ImprovementPolicy()
        if let value = root["improvement"] { improvement = self.improvement(value, tools: tools ?? []) }
        var anonymity = AnonymityPolicy()
        if let value = root["anonymity"] { anonymity = self.anonymity(value) }
        guard let id, let fiscalYear, let scales, let tools, let levels else { return nil }
        return Framework(
            id: id, fiscalYear: fiscalYear, title: title, scales: scales, tools: tools, levels: levels,
            sampling: sampling, clarificationDays: clarificationDays, document: document, improvement: improvement,
            anonymity: anonymity)
    }

    /// `anonymity`: `{"minimumResponses": 5}`; 5 when absent. Fewer than 5 would let a figure reveal
    /// one person's answers too easily, so the file may raise it but not lower it below 5.
    mutating func anonymity(_ value: JSONValue) -> AnonymityPolicy {
        guard let object = object(value, "$.anonymity") else { return AnonymityPolicy() }
        guard let n = integer(object["minimumResponses"], "$.anonymity.minimumResponses", min: 5) else { return AnonymityPolicy() }
        return AnonymityPolicy(minimumResponses: n)
    }

    /// `improvement`: `{"weakBelow": 85, "lowest": 3, "guidance": {"1": {"th": …, "en": …}}}`, all optional.
    mutating func improvement(_ value: JSONValue, tools: [Tool]) -> ImprovementPolicy {
        var policy = ImprovementPolicy()
        guard let object = object(value, "$.improvement") else { return policy }
        if let v = object["weakBelow"], let n = number(v, "$.improvement.weakBelow", in: 0...100) { policy.weakBelow = n }
        if let v = object["lowest"], let n = integer(v, "$.improvement.lowest", min: 0) { policy.lowest = n }
        if let v = object["guidance"], let guidance = self.object(v, "$.improvement.guidance") {
            let known = Set(Framework.indicatorIDs(tools))
            for (key, text) in guidance.members {
                let path = "$.improvement.guidance.\(key)"
                if !known.contains(key) { problem(path, "names no indicator or sub-indicator of this framework") }
                policy.guidance[key] = localized(text, path, fallback: "")
            }
        }
        return policy
    }

    mutating func scales(_ value: JSONValue?) -> [String: Scale]? {
        guard let object = object(value, "$.scales") else { return nil }
        if object.members.isEmpty {
            problem("$.scales", "must define at least one scale")
            return nil
        }
        var scales: [String: Scale] = [:]
        for (id, scaleValue) in object.members {
            let path = "$.scales.\(id)"
            guard let scale = self.object(scaleValue, path) else { continue }
            guard let points = scale["points"] else {
                problem(path + ".points", "is missing")
                continue
            }
            switch points {
            case .array(let elements):
                guard elements.count >= 2 else {
                    problem(path + ".points", "must list at least two points")
                    continue
                }
                var values: [Decimal] = []
                for (i, element) in elements.enumerated() {
                    if let n = number(element, "\(path).points[\(i)]", in: 0...100) { values.append(n) }
                }
                var labels: [LocalizedText] = []
                if let labelValues = scale["labels"] {
                    if let list = array(labelValues, path + ".labels") {
                        if list.count != elements.count {
                            problem(path + ".labels", "must have one label per point (\(elements.count)), not \(list.count)")
                        }
                        labels = list.enumerated().map { localized($1, "\(path).labels[\($0)]", fallback: "\($0 + 1)") }
                    }
                }
                if labels.count != elements.count { labels = (1...elements.count).map { LocalizedText(th: "\($0)", en: "\($0)") } }
                if values.count == elements.count { scales[id] = .ordinal(points: values, labels: labels) }
            case .object(let pair):
                let yes = number(pair["yes"], path + ".points.yes", in: 0...100)
                let no = number(pair["no"], path + ".points.no", in: 0...100)
                for key in pair.keys where key != "yes" && key != "no" {
                    problem("\(path).points.\(key)", "unknown answer; a yes-no scale has only \"yes\" and \"no\"")
                }
                let labels = scale["labels"]?.objectValue
                let yesLabel = localized(labels?["yes"], path + ".labels.yes", fallback: "yes")
                let noLabel = localized(labels?["no"], path + ".labels.no", fallback: "no")
                if let yes, let no { scales[id] = .yesNo(yes: yes, no: no, yesLabel: yesLabel, noLabel: noLabel) }
            default:
                problem(path + ".points", "must be an array of points or an object {\"yes\": …, \"no\": …}, not \(points.typeName)")
            }
        }
        return scales
    }

    mutating func tools(_ value: JSONValue?, scales: [String: Scale]) -> [Tool]? {
        guard let list = array(value, "$.tools") else { return nil }
        var tools: [Tool] = []
        var toolIDs: [String: String] = [:]
        // Survey part ids and checklist tool ids key the score input, so they share one namespace.
        var resultKeys: [String: String] = [:]
        var weightSum: Decimal = 0
        var weightsComplete = true
        for (t, toolValue) in list.enumerated() {
            let path = "$.tools[\(t)]"
            guard let (object, id, name) = element(toolValue, path, ids: &toolIDs, what: "tool") else {
                weightsComplete = false
                continue
            }
            let weight = number(object["weight"], path + ".weight", in: 0...1)
            if let weight { weightSum += weight } else { weightsComplete = false }
            let kindName = string(object["kind"], path + ".kind")
            var kind: Tool.Kind?
            switch kindName {
            case "survey":
                kind = survey(object, path, scales: scales, resultKeys: &resultKeys).map(Tool.Kind.survey)
            case "checklist":
                if let id { unique(id, path + ".id", in: &resultKeys, what: "result (survey part or checklist tool)") }
                kind = checklist(object, path).map(Tool.Kind.checklist)
            case nil:
                break
            case let other?:
                problem(path + ".kind", "unknown tool kind \"\(other)\"; expected \"survey\" or \"checklist\"")
            }
            if let id, let weight, let kind { tools.append(Tool(id: id, name: name, weight: weight, kind: kind)) }
        }
        if weightsComplete && weightSum != 1 {
            problem("$.tools", "tool weights must add up to 1, not \(weightSum)")
        }
        return tools.count == list.count ? tools : nil
    }

    mutating func survey(_ object: JSONObject, _ path: String, scales: [String: Scale], resultKeys: inout [String: String]) -> SurveyTool? {
        var parts: [String] = []
        if let list = array(object["parts"], path + ".parts") {
            for (p, value) in list.enumerated() {
                if let part = string(value, "\(path).parts[\(p)]") {
                    unique(part, "\(path).parts[\(p)]", in: &resultKeys, what: "result (survey part or checklist tool)")
                    parts.append(part)
                }
            }
        }
        var partNames: [String: LocalizedText] = [:]
        if let names = object["partNames"] {
            if let namesObject = self.object(names, path + ".partNames") {
                for (part, value) in namesObject.members {
                    if !parts.contains(part) { problem("\(path).partNames.\(part)", "names a part that is not in \(path).parts") }
                    partNames[part] = localized(value, "\(path).partNames.\(part)", fallback: part)
                }
            }
        }
        for part in parts where partNames[part] == nil { partNames[part] = LocalizedText(th: part, en: part) }
        var collection: [String: SurveyCollection] = [:]
        if let value = object["collection"], let map = self.object(value, path + ".collection") {
            for (part, kind) in map.members {
                let kpath = "\(path).collection.\(part)"
                if !parts.contains(part) { problem(kpath, "names a part that is not in \(path).parts") }
                guard let name = string(kind, kpath) else { continue }
                guard let method = SurveyCollection(rawValue: name) else {
                    problem(kpath, "unknown collection \"\(name)\"; expected \(SurveyCollection.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))")
                    continue
                }
                collection[part] = method
            }
        }
        if object["subindicators"] != nil || object["items"] != nil {
            problem(path, "a survey tool has indicators with questions, not sub-indicators or items")
        }
        guard let list = array(object["indicators"], path + ".indicators") else { return nil }
        var indicators: [SurveyIndicator] = []
        var indicatorIDs: [String: String] = [:]
        var questionIDs: [String: String] = [:]
        for (i, value) in list.enumerated() {
            let ipath = "\(path).indicators[\(i)]"
            guard let (indicator, id, name) = element(value, ipath, ids: &indicatorIDs, what: "indicator") else { continue }
            var questions: [Question] = []
            if let qlist = array(indicator["questions"], ipath + ".questions") {
                for (q, qvalue) in qlist.enumerated() {
                    let qpath = "\(ipath).questions[\(q)]"
                    guard let (question, qid, text) = element(qvalue, qpath, ids: &questionIDs, what: "question", nameKey: "text") else { continue }
                    let scale = string(question["scale"], qpath + ".scale")
                    if let scale, scales[scale] == nil {
                        problem(qpath + ".scale", "unknown scale \"\(scale)\" (defined: \(scales.keys.sorted().joined(separator: ", ")))")
                    }
                    let reverse = bool(question["reverse"], qpath + ".reverse", default: false)
                    var group: String?
                    if let g = question["group"] { group = string(g, qpath + ".group") }
                    var answerLabels: [String: LocalizedText] = [:]
                    if let labels = question["answerLabels"] {
                        if let object = labels.objectValue {
                            let allowed: Set<String> = switch scale.flatMap({ scales[$0] }) {
                            case .yesNo?: ["yes", "no"]
                            case .ordinal(let points, _)?: Set((1...max(1, points.count)).map(String.init))
                            case nil: []
                            }
                            for (key, value) in object.members {
                                if !allowed.contains(key) { problem("\(qpath).answerLabels.\(key)", "not an answer of scale \(scale ?? "?")") }
                                answerLabels[key] = localized(value, "\(qpath).answerLabels.\(key)", fallback: key)
                            }
                        } else {
                            problem(qpath + ".answerLabels", "must be an object {\"yes\": {\"th\": …}, …}, not \(labels.typeName)")
                        }
                    }
                    if let qid, let scale, scales[scale] != nil {
                        questions.append(Question(id: qid, group: group, text: text, scale: scale, reverse: reverse, answerLabels: answerLabels))
                    }
                }
            }
            if let id { indicators.append(SurveyIndicator(id: id, name: name, questions: questions)) }
        }
        return SurveyTool(parts: parts, partNames: partNames, collection: collection, indicators: indicators)
    }

    mutating func checklist(_ object: JSONObject, _ path: String) -> ChecklistTool? {
        if object["items"] != nil {
            problem(path + ".items", "items must sit inside a sub-indicator (found items in no sub-indicator)")
        }
        guard let list = array(object["indicators"], path + ".indicators") else { return nil }
        var indicators: [ChecklistIndicator] = []
        var indicatorIDs: [String: String] = [:]
        var subIDs: [String: String] = [:]
        var itemIDs: [String: String] = [:]
        for (i, value) in list.enumerated() {
            let ipath = "\(path).indicators[\(i)]"
            guard let (indicator, id, name) = element(value, ipath, ids: &indicatorIDs, what: "indicator") else { continue }
            if indicator["items"] != nil {
                problem(ipath + ".items", "items must sit inside a sub-indicator (found items in no sub-indicator)")
            }
            if indicator["questions"] != nil {
                problem(ipath + ".questions", "a checklist indicator has sub-indicators with items, not questions")
            }
            var subs: [SubIndicator] = []
            if let slist = array(indicator["subindicators"], ipath + ".subindicators") {
                for (s, svalue) in slist.enumerated() {
                    let spath = "\(ipath).subindicators[\(s)]"
                    guard let (sub, sid, sname) = element(svalue, spath, ids: &subIDs, what: "sub-indicator") else { continue }
                    var items: [OITItem] = []
                    if let itemList = array(sub["items"], spath + ".items") {
                        for (k, itemValue) in itemList.enumerated() {
                            let kpath = "\(spath).items[\(k)]"
                            guard let (item, kid, title) = element(itemValue, kpath, ids: &itemIDs, what: "item", nameKey: "title") else { continue }
                            var components: [String] = []
                            if let c = item["components"], let clist = array(c, kpath + ".components", nonEmpty: false) {
                                for (n, cvalue) in clist.enumerated() {
                                    if let text = string(cvalue, "\(kpath).components[\(n)]") { components.append(text) }
                                }
                            }
                            if let kid { items.append(OITItem(id: kid, title: title, components: components)) }
                        }
                    }
                    var topics: [Topic] = []
                    if let t = sub["topics"], let tlist = array(t, spath + ".topics", nonEmpty: false) {
                        let own = Set(items.map(\.id))
                        var placed: [String: String] = [:]
                        for (n, tvalue) in tlist.enumerated() {
                            let tpath = "\(spath).topics[\(n)]"
                            guard let topic = tvalue.objectValue else {
                                problem(tpath, "must be an object {\"name\": …, \"items\": [\"O1\", …]}, not \(tvalue.typeName)")
                                continue
                            }
                            if topic["name"] == nil { problem(tpath + ".name", "is missing") }
                            let tname = localized(topic["name"], tpath + ".name", fallback: "")
                            var ids: [String] = []
                            for (m, idValue) in (array(topic["items"], tpath + ".items") ?? []).enumerated() {
                                let mpath = "\(tpath).items[\(m)]"
                                guard let itemID = string(idValue, mpath) else { continue }
                                if !own.contains(itemID) {
                                    problem(mpath, "\"\(itemID)\" is not an item of sub-indicator \(sid ?? "?")")
                                } else if let first = placed[itemID] {
                                    problem(mpath, "\"\(itemID)\" is already under the topic at \(first)")
                                } else {
                                    placed[itemID] = tpath
                                    ids.append(itemID)
                                }
                            }
                            topics.append(Topic(name: tname, items: ids))
                        }
                    }
                    if let sid { subs.append(SubIndicator(id: sid, name: sname, items: items, topics: topics)) }
                }
            }
            if let id { indicators.append(ChecklistIndicator(id: id, name: name, subindicators: subs)) }
        }
        return ChecklistTool(indicators: indicators)
    }

    mutating func levels(_ value: JSONValue?) -> [LevelRule]? {
        guard let list = array(value, "$.levels") else { return nil }
        var levels: [LevelRule] = []
        var ids: [String: String] = [:]
        for (l, levelValue) in list.enumerated() {
            let path = "$.levels[\(l)]"
            guard let (level, id, name) = element(levelValue, path, ids: &ids, what: "level") else { continue }
            let minScore = number(level["minScore"], path + ".minScore", in: 0...100)
            var minEveryPart: Decimal?
            if let v = level["minEveryPart"] { minEveryPart = number(v, path + ".minEveryPart", in: 0...100) }
            if let id, let minScore {
                if let previous = levels.last, minScore > previous.minScore {
                    problem(path + ".minScore", "levels are tried in order, so minScore must not rise (\(minScore) after \(previous.minScore))")
                }
                let passing = bool(level["passing"], path + ".passing", default: false)
                levels.append(LevelRule(id: id, name: name, minScore: minScore, minEveryPart: minEveryPart, passing: passing))
            }
        }
        if levels.count == list.count, let last = levels.last, last.minScore != 0 || last.minEveryPart != nil {
            problem("$.levels[\(list.count - 1)]", "the last level must catch every score (minScore 0, no minEveryPart)")
        }
        return levels.count == list.count ? levels : nil
    }

    mutating func sampling(_ value: JSONValue) -> SamplingRule? {
        guard let object = object(value, "$.sampling") else { return nil }
        let percent = number(object["percent"], "$.sampling.percent", in: 0...100)
        let minimum = integer(object["minimum"], "$.sampling.minimum", min: 0)
        let maximum = integer(object["maximum"], "$.sampling.maximum", min: 1)
        guard let percent, let minimum, let maximum else { return nil }
        if maximum < minimum {
            problem("$.sampling.maximum", "must not be below minimum (\(minimum))")
            return nil
        }
        return SamplingRule(percent: percent, minimum: minimum, maximum: maximum)
    }
}

extension Decimal {
    /// The value rounded to a whole number, half away from zero.
    var rounded0: Decimal {
        var value = self
        var result = Decimal()
        NSDecimalRound(&result, &value, 0, .plain)
        return result
    }
}
