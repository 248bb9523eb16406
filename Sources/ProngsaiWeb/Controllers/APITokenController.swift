import Foundation
import Hummingbird
import ProngsaiCore
import ProngsaiStore

/// The signed-in person's API tokens (`/account/tokens`): make one for some of the agencies where they are
/// the ITA officer (the token is shown once; only its SHA-256 is kept), see when each was last used, and
/// revoke one. Making and revoking are recorded in the history.
struct APITokenController {
    let repositories: Repositories
    let views: Views
    let configuration: AppConfiguration

    /// Live tokens a person may hold at once.
    static let maxActive = 20
    static let maxName = 100

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get(RouterPath(SiteURL.accountTokens.path), use: page)
        router.post(RouterPath(SiteURL.accountTokens.path), use: create)
        router.post(RouterPath(SiteURL.Pattern.accountTokenRevoke), use: revoke)
    }

    struct Page {
        struct Choice {
            var id: String
            var code: String
            var name: String
            var checked: Bool
        }

        struct Row {
            var name: String
            var hint: String
            var created: String
            var lastUsed: String
            var agencies: String
            var revokeAction: String
        }

        var choices: [Choice]
        var canCreate: Bool
        var rows: [Row]
        var hasRows: Bool
        var action: String
        /// The token just made: shown this once.
        var newToken: String?
        var newTokenName: String?
        var error: String?
        var typedName: String
        var revoked: Bool
        var documentURL: String
        var maxName: Int
    }

    /// Agencies where the person is the ITA officer: the only ones a token may name.
    static func officerAgencies(_ context: AppRequestContext) -> Set<String> {
        Set(context.grants.filter { $0.role == .officer }.compactMap(\.agencyID))
    }

    func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await render(context, revoked: request.uri.queryParameters.get("revoked") != nil)
    }

    func render(_ context: AppRequestContext, newToken: (token: String, name: String)? = nil, error: String? = nil, typedName: String = "",
                checked: Set<String> = [], revoked: Bool = false, status: HTTPResponse.Status = .ok) async throws -> Response {
        let user = try Access.requireUser(context)
        let th = context.language == .th
        let agencies = try await repositories.agencies.all(logger: context.logger)
        let byID = Dictionary(agencies.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let mine = Self.officerAgencies(context)
        let tokens = try await repositories.apiTokens.active(userID: user.id, logger: context.logger)
        let model = Page(
            choices: agencies.filter { mine.contains($0.id) }.sorted { $0.code < $1.code }.map {
                .init(id: $0.id, code: $0.code, name: $0.name.text(context.language), checked: checked.contains($0.id) || mine.count == 1)
            },
            canCreate: !mine.isEmpty,
            rows: tokens.map { token in
                Page.Row(name: token.name, hint: token.hint + "…", created: ThaiFormat.dateTime(token.createdAt, thai: th),
                         lastUsed: token.lastUsedOn.map { th ? ThaiFormat.shortDate($0) : ThaiFormat.englishDate($0) } ?? (th ? "ยังไม่เคยใช้" : "never"),
                         agencies: token.agencyIDs.map { byID[$0]?.code ?? "?" }.joined(separator: ", "),
                         revokeAction: SiteURL.accountTokenRevoke(id: token.id).path)
            },
            hasRows: !tokens.isEmpty, action: SiteURL.accountTokens.path, newToken: newToken?.token, newTokenName: newToken?.name, error: error,
            typedName: typedName, revoked: revoked, documentURL: SiteURL.apiDocument.path, maxName: Self.maxName)
        var response = try views.page("api-tokens", title: Strings.table["apiTokens"]!.text(context.language), model: model, context: context)
        response.status = status
        return response
    }

    func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try Access.requireUser(context)
        var request = request
        let form = try await FormData.read(&request, context: context)
        let th = context.language == .th
        let name = (form["name"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let chosen = Set(form.all("agency"))
        let mine = Self.officerAgencies(context)
        // Only the ITA officer role gives a token; an agency where the person is not the officer is refused whole.
        guard !mine.isEmpty, chosen.isSubset(of: mine) else { throw AppError.forbidden }
        var problem: String?
        if name.isEmpty || name.count > Self.maxName {
            problem = th ? "กรุณาตั้งชื่อโทเค็น (ไม่เกิน \(Self.maxName) ตัวอักษร) เพื่อให้จำได้ว่าใช้กับโปรแกรมใด"
                : "Name the token (at most \(Self.maxName) characters) so you know which program uses it"
        } else if chosen.isEmpty {
            problem = th ? "กรุณาเลือกหน่วยงานที่โทเค็นนี้ทำงานแทนได้อย่างน้อยหนึ่งหน่วยงาน" : "Choose at least one agency the token may act for"
        } else if try await repositories.apiTokens.active(userID: user.id, logger: context.logger).count >= Self.maxActive {
            problem = th ? "มีโทเค็นที่ใช้งานอยู่ครบ \(Self.maxActive) รายการแล้ว กรุณาเพิกถอนโทเค็นที่ไม่ใช้ก่อน"
                : "You already have \(Self.maxActive) live tokens; revoke one you no longer use first"
        }
        if let problem {
            return try await render(context, error: problem, typedName: name, checked: chosen, status: .unprocessableContent)
        }
        let secret = APITokenSecret.make()
        let token = APIToken(userID: user.id, name: name, hint: secret.hint, agencyIDs: chosen.sorted(), createdAt: configuration.clock())
        try await repositories.apiTokens.create(token, tokenHash: secret.hash, by: context.actor, logger: context.logger)
        context.logger.info("API token created", metadata: ["token": .string(token.id)])
        // Shown in this response only (no-store); a reload shows the list without it.
        return try await render(context, newToken: (secret.token, name))
    }

    func revoke(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try Access.requireUser(context)
        guard let id = context.parameters.get("token"),
              try await repositories.apiTokens.revoke(id: id, userID: user.id, by: context.actor, logger: context.logger)
        else { throw AppError.notFound }
        context.logger.info("API token revoked", metadata: ["token": .string(id)])
        return redirect(to: SiteURL.accountTokens.path + "?revoked=1")
    }
}
