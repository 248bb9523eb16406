import Foundation

/// The OpenAPI document the API is generated from, as the repository holds it.
public enum OpenAPIDocument {
    /// The bytes of `openapi.yaml`, read once.
    public static let bytes: [UInt8] = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
              let data = try? Data(contentsOf: url) else { return [] }
        return [UInt8](data)
    }()
}
