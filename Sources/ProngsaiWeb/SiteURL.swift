import ProngsaiCore

/// Every URL of the site, built in one place: routes register `pattern`s, pages link with `path`.
public enum SiteURL: Sendable, Hashable {
    case home
    case login
    case logout
    case language(Language)
    case agencies
    case dashboard(agency: String, year: Int)
    case items(agency: String, year: Int)
    case item(agency: String, year: Int, item: String)
    case results(agency: String, year: Int)
    case whatIf(agency: String, year: Int)
    case history(agency: String, year: Int)
    case stylesheet
    case health

    public var path: String {
        switch self {
        case .home: "/"
        case .login: "/login"
        case .logout: "/logout"
        case .language(let language): "/lang/\(language.rawValue)"
        case .agencies: "/agencies"
        case .dashboard(let agency, let year): "/agencies/\(agency)/\(year)"
        case .items(let agency, let year): "/agencies/\(agency)/\(year)/items"
        case .item(let agency, let year, let item): "/agencies/\(agency)/\(year)/items/\(item)"
        case .results(let agency, let year): "/agencies/\(agency)/\(year)/results"
        case .whatIf(let agency, let year): "/agencies/\(agency)/\(year)/what-if"
        case .history(let agency, let year): "/agencies/\(agency)/\(year)/history"
        case .stylesheet: "/static/app.css"
        case .health: "/healthz"
        }
    }

    /// Route patterns, with `:name` parameters.
    enum Pattern {
        static let language = "/lang/:lang"
        static let dashboard = "/agencies/:agency/:year"
        static let items = "/agencies/:agency/:year/items"
        static let item = "/agencies/:agency/:year/items/:item"
        static let results = "/agencies/:agency/:year/results"
        static let whatIf = "/agencies/:agency/:year/what-if"
        static let history = "/agencies/:agency/:year/history"
    }
}
