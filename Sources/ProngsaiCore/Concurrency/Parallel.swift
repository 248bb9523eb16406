import Foundation

/// Work spread over the machine's cores.
public enum Parallel {
    /// `transform` over `elements` in contiguous slices, one task per core, results in order.
    public static func map<T: Sendable, R: Sendable>(_ elements: [T], _ transform: @escaping @Sendable (T) -> R) async -> [R] {
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, elements.count))
        guard workers > 1 else { return elements.map(transform) }
        let size = (elements.count + workers - 1) / workers
        return await withTaskGroup(of: (Int, [R]).self) { group in
            for start in stride(from: 0, to: elements.count, by: size) {
                let slice = Array(elements[start..<min(start + size, elements.count)])
                group.addTask { (start, slice.map(transform)) }
            }
            var parts: [(Int, [R])] = []
            for await part in group { parts.append(part) }
            return parts.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
    }
}
