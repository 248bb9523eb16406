import ArgumentParser
import Foundation
import Hummingbird
import Logging
import ProngsaiStore
import ProngsaiWeb

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the web app.",
        discussion: "With --demo and no --database, starts on a fresh ./prongsai-demo.sqlite holding the reference agency (อบต.บ้านโป่ง, FY2566)."
    )

    @OptionGroup var options: DatabaseOptions
    @Option(help: "A read-only copy of the database (a PostgreSQL streaming replica) for the public results and transparency pages; never written or migrated (docs/scale.md).")
    var readDatabase: String?
    @Option(help: "Address to listen on (default: $PRONGSAI_HOST, else 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on (default: $PRONGSAI_PORT, else 8080).") var port: Int?
    @Flag(help: "Load the reference agency and demo accounts (passwords printed at start-up). Refuses a database holding anything but the demo.") var demo = false
    @Flag(help: "Mark cookies Secure (when served over HTTPS).") var secureCookies = false
    @Option(help: "Public survey submissions allowed per client address per minute, kept in memory only (0: no limit).")
    var submissionsPerMinute: Int = 30
    @Option(help: "Folder for evidence files (default: beside an SQLite database; in the database on PostgreSQL).")
    var files: String?
    @Option(help: "The largest evidence file accepted, in MB.") var maxFileMB: Int = 20
    @Flag(help: "Let the evidence link checker fetch private and loopback addresses (closed networks only).") var allowPrivateLinks = false
    @Option(help: "The address people use to reach Prongsai, for survey links and QR codes (default: $PRONGSAI_PUBLIC_URL, else the request's host).")
    var publicURL: String?
    @Flag(help: "SQLite: wait for the disk on every commit (synchronous=FULL), so a power cut loses no acknowledged write; slower.")
    var durable = false
    @Option(help: "Public survey submissions allowed per client address per day, in memory (with --submissions-per-minute above 0).")
    var submissionsPerDay: Int = 300
    @Option(name: .customLong("trusted-proxy"), help: "A reverse proxy (CIDR, e.g. 10.0.0.5/32) whose X-Forwarded-For names the client (repeatable).")
    var trustedProxies: [String] = []
    @Option(name: .customLong("allowed-host"), help: "A host name this server answers to when --public-url is not set (repeatable; localhost and the bind address always).")
    var allowedHosts: [String] = []
    @Option(help: "Seconds between rounds that release pending survey answers in shuffled batches (at least 1; docs/anonymity.md).")
    var releaseEvery: Double = 2
    @Option(help: "The bearer token /metrics asks for (default: $PRONGSAI_METRICS_TOKEN; without one, /metrics answers only a scraper on this machine).")
    var metricsToken: String?
    @Option(help: "Who must use two-factor sign-in: \"required\" for administrators and assessors (others may turn it on), or \"optional\" for everyone (default: required; optional with --demo).")
    var twoFactor: String?
    @Option(help: "A file of the keys that encrypt corruption complaints, one ID:BASE64 per line, the first sealing (default: $PRONGSAI_COMPLAINT_KEYS_FILE, or the keys themselves in $PRONGSAI_COMPLAINT_KEYS; make one with `prongsai complaints keygen`). Without keys the complaint channel says it is not open; --demo makes a file beside the demo database.")
    var complaintKeys: String?

    func validate() throws {
        if let twoFactor, !["required", "optional"].contains(twoFactor) { throw ValidationError("--two-factor must be \"required\" or \"optional\".") }
        if !(1...3600).contains(releaseEvery) { throw ValidationError("--release-every must be 1–3600 seconds.") }
        if maxFileMB < 1 || maxFileMB > 1024 { throw ValidationError("--max-file-mb must be 1–1024.") }
        if submissionsPerMinute < 0 { throw ValidationError("--submissions-per-minute must be 0 or more.") }
        if submissionsPerDay < 1 { throw ValidationError("--submissions-per-day must be 1 or more.") }
        for proxy in trustedProxies where AddressRange(proxy) == nil {
            throw ValidationError("--trusted-proxy \(proxy) is not an address or a CIDR range (e.g. 10.0.0.5/32, 10.0.0.0/8).")
        }
        if let publicURL, !(publicURL.hasPrefix("http://") || publicURL.hasPrefix("https://")) {
            throw ValidationError("--public-url must start with http:// or https://.")
        }
    }

    func run() async throws {
        let env = ProcessInfo.processInfo.environment
        let logger = makeLogger()
        var location = try options.location()
        if demo && options.database == nil && env["PRONGSAI_DATABASE_URL"] == nil {
            let path = "./prongsai-demo.sqlite"
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            location = .sqlite(path: path)
        }
        var configuration = AppConfiguration(
            host: host ?? env["PRONGSAI_HOST"] ?? "127.0.0.1",
            port: port ?? env["PRONGSAI_PORT"].flatMap(Int.init) ?? 8080,
            secureCookies: secureCookies,
            submissionsPerMinute: submissionsPerMinute,
            publicURL: publicURL ?? env["PRONGSAI_PUBLIC_URL"],
            maxEvidenceBytes: maxFileMB * 1_048_576)
        configuration.allowPrivateLinks = allowPrivateLinks
        configuration.trustedProxies = trustedProxies.compactMap(AddressRange.init)
        configuration.submissionsPerDay = submissionsPerDay
        configuration.allowedHosts = allowedHosts + (env["PRONGSAI_ALLOWED_HOSTS"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        configuration.releaseInterval = .milliseconds(Int(releaseEvery * 1000))
        configuration.metricsToken = metricsToken ?? env["PRONGSAI_METRICS_TOKEN"]
        // The demo is for trying Prongsai without an authenticator app at hand.
        configuration.twoFactor = (twoFactor ?? (demo ? "optional" : "required")) == "required" ? .required : .optional
        configuration.complaintKeys = try loadComplaintKeys(file: complaintKeys, demoBeside: demo ? location : nil)
        let database: Database
        do { database = try Database.open(location, logger: logger, durable: durable) } catch { throw InputError(message: "\(location): \(error)") }
        var filesFolder = files
        if filesFolder == nil, case .sqlite(let path) = location {
            filesFolder = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("prongsai-files").path
        }
        let repositories = Repositories(database: database, filesFolder: filesFolder)
        let catalog = try FrameworkCatalog.builtin(store: repositories.frameworks)
        do {
            try await database.prepareEngine()
            let migrator = Migrator(database: database)
            if location.isSQLite {
                try await migrator.migrate(logger: logger)
            } else {
                let applied = try await migrator.appliedVersions()
                guard applied.last == Migrations.all.last?.version else {
                    throw InputError(message: "\(location): the schema is not up to date; run `prongsai migrate --database …` first")
                }
            }
        } catch let error as InputError {
            throw error
        } catch {
            throw InputError(message: "\(location): cannot prepare the database: \(String(describing: error))")
        }
        var banner = ["Prongsai is running at http://\(configuration.host == "0.0.0.0" ? "127.0.0.1" : configuration.host):\(configuration.port)/  (database \(location))"]
        if demo {
            let accounts: [DemoLoader.Account]
            do {
                accounts = try await DemoLoader.load(into: repositories, catalog: catalog,
                                                     complaints: configuration.complaintKeys.map { ComplaintRepository(database: database, vault: ComplaintVault(keys: $0)) },
                                                     logger: logger)
            } catch let refused as DemoLoader.Refused {
                try? await database.shutdown()
                throw InputError(message: "\(location): \(refused.description)")
            }
            banner.append("Demo: อบต.บ้านโป่ง, fiscal year 2566. Sign in with one of these accounts:")
            for account in accounts { banner.append("  \(account.username.padding(toLength: 10, withPad: " ", startingAt: 0)) \(account.password)   (\(account.role.name.en))") }
            if configuration.twoFactor == .optional { banner.append("Two-factor sign-in is optional in this demo (--two-factor required asks administrators, assessors, complaint handlers and custodians for it).") }
        }
        if try await repositories.users.activeAdministrators(logger: logger) == 0 {
            banner.append("No administrator yet: the web app shows only a set-up page until you create one, e.g.")
            banner.append("  prongsai admin create --database \(location) --username admin")
        }
        var replica: Database?
        if let readDatabase {
            let readLocation = try databaseLocation(readDatabase)
            let opened: Database
            do { opened = try Database.open(readLocation, logger: logger) } catch {
                try? await database.shutdown()
                throw InputError(message: "\(readLocation): \(error)")
            }
            replica = opened
            // The copy carries this version's schema (the primary's migrations reach it by replication).
            let applied = try? await Migrator(database: opened).appliedVersions()
            guard applied?.last == Migrations.all.last?.version else {
                try? await opened.shutdown()
                try? await database.shutdown()
                throw InputError(message: "\(readLocation): the read database does not have this version's schema (is it a copy of \(location)?)")
            }
            configuration.readRepositories = Repositories(database: opened, filesFolder: filesFolder)
            banner.append("Public results and transparency pages read from \(readLocation).")
        }
        let app = try await buildApplication(configuration, repositories: repositories, catalog: catalog, logger: logger)
        FileHandle.standardOutput.write(Data((banner.joined(separator: "\n") + "\n").utf8))
        try await app.runService()
        try await replica?.shutdown()
        try await database.shutdown()
    }
}
