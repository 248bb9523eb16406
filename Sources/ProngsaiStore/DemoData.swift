import Foundation
import ProngsaiCore

/// The reference agency's FY2566 data (Ban Pong SAO), as extracted from its own report.
public enum DemoData {
    public static func referenceCase() throws -> JSONValue {
        try JSONParser.parse(try bytes())
    }

    /// The demo data file itself: the source its published OIT results are recorded with.
    public static func bytes() throws -> Data {
        guard let url = Bundle.module.url(forResource: "Demo/banpong-2566", withExtension: "json")
            ?? Bundle.module.url(forResource: "banpong-2566", withExtension: "json", subdirectory: "Demo")
        else { throw DatabaseConfigurationError(message: "demo data file is missing from the build") }
        return try Data(contentsOf: url)
    }
}
