import Foundation

/// The `prongsai score` input document (CONTRACT.md): a framework reference and one result per part/tool.
public struct ScoreRequest: Sendable {
    public enum FrameworkReference: Sendable, Hashable {
        case builtin(String)
        case file(String)
    }

    public var framework: FrameworkReference
    public var results: JSONObject

    /// Reads the envelope; the results are read against the framework by `inputs(for:)`.
    public static func parse(_ document: JSONValue) throws(ScoreInputError) -> ScoreRequest {
        guard let root = document.objectValue else {
            throw ScoreInputError(path: "$", message: "must be an object, not \(document.typeName)")
        }
        let reference: FrameworkReference
        switch (root["framework"], root["frameworkFile"]) {
        case (.some, .some):
            throw ScoreInputError(path: "framework", message: "give either framework or frameworkFile, not both")
        case (.some(let value), nil):
            guard let id = value.stringValue, !id.isEmpty else { throw ScoreInputError(path: "framework", message: "must be a framework id string") }
            reference = .builtin(id)
        case (nil, .some(let value)):
            guard let path = value.stringValue, !path.isEmpty else { throw ScoreInputError(path: "frameworkFile", message: "must be a path string") }
            reference = .file(path)
        case (nil, nil):
            throw ScoreInputError(path: "framework", message: "is missing; name a built-in framework or give frameworkFile")
        }
        guard let resultsValue = root["results"] else { throw ScoreInputError(path: "results", message: "is missing") }
        guard let results = resultsValue.objectValue else {
            throw ScoreInputError(path: "results", message: "must be an object, not \(resultsValue.typeName)")
        }
        return ScoreRequest(framework: reference, results: results)
    }

    /// The typed inputs, checked against the framework's parts, tools, questions and items.
    public func inputs(for framework: Framework) throws(ScoreInputError) -> ScoreInputs {
        try Self.inputs(from: results, framework: framework)
    }

    public static func inputs(from results: JSONObject, framework: Framework) throws(ScoreInputError) -> ScoreInputs {
        var inputs = ScoreInputs()
        let checklists = Dictionary(uniqueKeysWithValues: framework.checklistTools.map { ($0.tool.id, $0.checklist) })
        for (key, value) in results.members {
            let path = "results.\(key)"
            if let (_, survey) = framework.surveyTool(forPart: key) {
                inputs.parts[key] = try partInput(value, path: path, survey: survey)
            } else if let checklist = checklists[key] {
                inputs.checklists[key] = try checklistInput(value, path: path, checklist: checklist)
            } else {
                let expected = (framework.partIDs + framework.checklistTools.map(\.tool.id)).joined(separator: ", ")
                throw ScoreInputError(path: path, message: "unknown part or tool for \(framework.id) (expected: \(expected))")
            }
        }
        try Scorer.validateKeys(framework, inputs)
        return inputs
    }

    static func onlyKey(_ object: JSONObject, path: String, allowed: [String]) throws(ScoreInputError) -> String {
        guard object.members.count == 1, let key = object.keys.first, allowed.contains(key) else {
            throw ScoreInputError(path: path, message: "must have exactly one of \(allowed.map { "\"\($0)\"" }.joined(separator: ", ")), found \(object.keys.isEmpty ? "none" : object.keys.joined(separator: ", "))")
        }
        return key
    }

    static func publishedScore(_ value: JSONValue, path: String) throws(ScoreInputError) -> Decimal {
        guard let number = value.numberValue else { throw ScoreInputError(path: path, message: "must be a number 0–100, not \(value.typeName)") }
        return try Scorer.checkedPublished(number, path: path)
    }

    static func partInput(_ value: JSONValue, path: String, survey: SurveyTool) throws(ScoreInputError) -> PartInput {
        guard let object = value.objectValue else { throw ScoreInputError(path: path, message: "must be an object, not \(value.typeName)") }
        let key = try onlyKey(object, path: path, allowed: ["score", "responses"])
        if key == "score" { return .score(try publishedScore(object["score"]!, path: path + ".score")) }
        guard let list = object["responses"]!.arrayValue else {
            throw ScoreInputError(path: path + ".responses", message: "must be an array of responses")
        }
        guard !list.isEmpty else {
            throw ScoreInputError(path: path + ".responses", message: "is empty; give at least one response or a published score")
        }
        let questions = Dictionary(uniqueKeysWithValues: survey.questions.map { ($0.id, $0) })
        var responses: [SurveyResponse] = []
        responses.reserveCapacity(list.count)
        for (index, element) in list.enumerated() {
            let rpath = "\(path).responses[\(index)]"
            guard let answers = element.objectValue else {
                throw ScoreInputError(path: rpath, message: "must be an object mapping question ids to answers, not \(element.typeName)")
            }
            var response: [String: Answer] = [:]
            for (questionID, answer) in answers.members {
                let qpath = "\(rpath).\(questionID)"
                guard questions[questionID] != nil else {
                    throw ScoreInputError(path: qpath, message: "unknown question id")
                }
                switch answer {
                case .null:
                    continue
                case .number(let n):
                    guard n == n.rounded0, let level = Int(exactly: NSDecimalNumber(decimal: n).doubleValue) else {
                        throw ScoreInputError(path: qpath, message: "answer \(n) is not a whole number")
                    }
                    response[questionID] = .level(level)
                case .string(let s) where s == "yes" || s == "no":
                    response[questionID] = .yesNo(s == "yes")
                default:
                    throw ScoreInputError(path: qpath, message: "answer must be an integer level or \"yes\"/\"no\", not \(answer.typeName == "string" ? "\"\(answer.stringValue!)\"" : answer.typeName)")
                }
            }
            responses.append(SurveyResponse(response))
        }
        // Types and ranges are checked against each question's scale by Scorer.score.
        return .responses(responses)
    }

    static func checklistInput(_ value: JSONValue, path: String, checklist: ChecklistTool) throws(ScoreInputError) -> ChecklistInput {
        guard let object = value.objectValue else { throw ScoreInputError(path: path, message: "must be an object, not \(value.typeName)") }
        let key = try onlyKey(object, path: path, allowed: ["score", "failed", "items"])
        let known = checklist.items.map(\.id)
        switch key {
        case "score":
            return .score(try publishedScore(object["score"]!, path: path + ".score"))
        case "failed":
            guard let list = object["failed"]!.arrayValue else {
                throw ScoreInputError(path: path + ".failed", message: "must be an array of item ids")
            }
            var failed = Set<String>()
            for (i, element) in list.enumerated() {
                guard let id = element.stringValue else {
                    throw ScoreInputError(path: "\(path).failed[\(i)]", message: "must be an item id string, not \(element.typeName)")
                }
                guard known.contains(id) else { throw ScoreInputError(path: "\(path).failed[\(i)]", message: "unknown item id \"\(id)\"") }
                failed.insert(id)
            }
            return .items(Dictionary(uniqueKeysWithValues: known.map { ($0, !failed.contains($0)) }))
        default:
            guard let items = object["items"]!.objectValue else {
                throw ScoreInputError(path: path + ".items", message: "must be an object mapping item ids to true/false")
            }
            var passed: [String: Bool] = [:]
            for (id, flag) in items.members {
                guard known.contains(id) else { throw ScoreInputError(path: "\(path).items.\(id)", message: "unknown item id") }
                guard let b = flag.boolValue else {
                    throw ScoreInputError(path: "\(path).items.\(id)", message: "must be true or false, not \(flag.typeName)")
                }
                passed[id] = b
            }
            for id in known where passed[id] == nil {
                throw ScoreInputError(path: "\(path).items.\(id)", message: "is missing; items must list every item of the tool")
            }
            return .items(passed)
        }
    }
}

extension ScoreResult {
    /// The CONTRACT.md output document; every figure rounded half-up to 2 decimals.
    public func json(framework: Framework) -> JSONValue {
        func figures(_ f: Figures) -> JSONValue { .object(JSONObject(f.map { ($0.id, JSONValue.number($0.value.roundedForDisplay)) })) }
        func grouped(_ groups: [String: Figures]) -> JSONValue {
            let order = framework.partIDs + framework.checklistTools.map(\.tool.id)
            return .object(JSONObject(order.compactMap { key in groups[key].map { (key, figures($0)) } }))
        }
        let respondentOrder = framework.partIDs.compactMap { part in respondents[part].map { (part, JSONValue.number(Decimal($0))) } }
        return .object(JSONObject([
            ("framework", .string(frameworkID)),
            ("score", .number(score.roundedForDisplay)),
            ("level", .object(JSONObject([("id", .string(level.id)), ("th", .string(level.name.th)), ("en", .string(level.name.en))]))),
            ("tools", figures(tools)),
            ("parts", figures(parts)),
            ("indicators", grouped(indicators)),
            ("subindicators", grouped(subindicators)),
            ("questions", grouped(questions)),
            ("respondents", .object(JSONObject(respondentOrder))),
        ]))
    }
}
