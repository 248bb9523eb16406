import Foundation
import ProngsaiCore
import ProngsaiReports
import ProngsaiStore

struct MeasureFormModel {
    var number: String
    var title: String
    var method: String
    var start: String
    var end: String
    var responsible: String
    var items: String
    var target: String
    var summary: String
    var outcome: String
    var statuses: [Choice]
    var indicators: [Choice]

    init(_ form: MeasureForm, framework: Framework, language: Language) {
        number = form.number
        title = form.title
        method = form.method
        start = form.start
        end = form.end
        responsible = form.responsible
        items = form.items
        target = form.target
        summary = form.summary
        outcome = form.outcome
        statuses = MeasureStatus.allCases.map { Choice(value: $0.rawValue, label: $0.name.text(language), selected: $0.rawValue == form.status) }
        indicators = framework.indicatorRefs.map { Choice(value: $0.id, label: $0.label(language), selected: form.indicators.contains($0.id)) }
    }
}
