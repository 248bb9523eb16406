import Foundation

/// The Garuda (ครุฑ) that heads a Thai official memo (บันทึกข้อความ), as a drawing of our own: a
/// stylised, symmetric silhouette (crowned head, raised arms, spread wings, bent legs, tail), not the
/// official artwork. The same polygons give the SVG of the print view and the PNG of the Word file.
public enum GarudaEmblem {
    /// Drawing units: 100 wide, 110 tall.
    static let width = 100.0
    static let height = 110.0

    /// The left half of each shape, from the centre line outwards and back; mirrored for the right half.
    /// Shapes on the centre line list only their left side, top to bottom.
    static let halves: [[(Double, Double)]] = [
        // Crown (ชฎา): a tall tiered spike.
        [(50, 0), (47.5, 6), (48.5, 6.5), (46, 11), (47, 11.5), (44.5, 16), (50, 16)],
        // Head and face, with the beak point.
        [(50, 15), (44, 17), (42, 22), (43.5, 27), (46.5, 30.5), (50, 33)],
        // Body and chest.
        [(50, 31), (43, 33), (40, 40), (41, 50), (43, 58), (50, 61)],
        // Tail fan.
        [(50, 58), (44, 61), (38, 74), (35, 86), (40, 84), (39, 94), (44, 90), (45, 100), (50, 94)],
    ]

    /// Shapes off the centre line, left side; each is mirrored whole.
    static let sides: [[(Double, Double)]] = [
        // Raised arm: shoulder, elbow out, forearm up, hand beside the crown.
        [(43, 34), (33, 31), (30, 24), (32, 14), (35, 11), (37, 13), (35.5, 17), (36, 24), (38, 28), (44, 30)],
        // Wing: from the back, up and out to the tip, then feathers stepping down and in.
        [(41, 36), (30, 34), (20, 27), (11, 18), (2, 12), (4, 19), (1, 23), (6, 27), (3, 32), (9, 35), (6, 40), (13, 42),
         (11, 47), (19, 48), (18, 53), (26, 53), (27, 58), (34, 55), (40, 50)],
        // Leg: thigh out, knee, shin down and in, talons.
        [(43, 55), (34, 60), (29, 67), (32, 75), (36, 80), (31, 84), (33, 86), (37, 84), (36, 88), (39, 88), (40, 84), (43, 86),
         (42, 80), (37, 73), (36, 67), (42, 63), (46, 62)],
    ]

    /// Closed polygons in drawing units.
    static var polygons: [[(Double, Double)]] {
        var out: [[(Double, Double)]] = []
        for half in halves {
            let mirrored = half.reversed().map { (width - $0.0, $0.1) }
            out.append(half + mirrored)
        }
        for side in sides {
            out.append(side)
            out.append(side.map { (width - $0.0, $0.1) })
        }
        return out
    }

    /// The emblem as an inline SVG element (for HTML) `heightMM` millimetres tall.
    public static func svg(heightMM: Double = 15) -> String {
        let w = heightMM * width / height
        let paths = polygons.map { polygon in
            "M" + polygon.map { String(format: "%.1f %.1f", $0.0, $0.1) }.joined(separator: "L") + "Z"
        }.joined()
        return ##"<svg viewBox="0 0 100 110" width="\##(String(format: "%.1f", w))mm" height="\##(String(format: "%.1f", heightMM))mm" role="img" aria-label="ตราครุฑ"><path d="\##(paths)" fill="#000"/></svg>"##
    }

    /// The emblem as an 8-bit greyscale PNG `pixelHeight` tall, smoothed by sampling each pixel 4 × 4 times.
    public static func png(pixelHeight: Int = 330) -> [UInt8] {
        let h = max(11, pixelHeight)
        let w = Int((Double(h) * width / height).rounded())
        let scale = Double(h) / height
        let polygons = self.polygons.map { $0.map { ($0.0 * scale, $0.1 * scale) } }
        let samples = 4
        var scanlines: [UInt8] = []
        scanlines.reserveCapacity((w + 1) * h)
        var coverage = [Int](repeating: 0, count: w)
        for y in 0..<h {
            for i in coverage.indices { coverage[i] = 0 }
            for sy in 0..<samples {
                let py = Double(y) + (Double(sy) + 0.5) / Double(samples)
                // Crossings of this sample row with every edge, per polygon (non-zero within each, union across).
                var spans: [(Double, Double)] = []
                for polygon in polygons {
                    var xs: [Double] = []
                    for i in polygon.indices {
                        let a = polygon[i], b = polygon[(i + 1) % polygon.count]
                        if (a.1 <= py && b.1 > py) || (b.1 <= py && a.1 > py) {
                            xs.append(a.0 + (py - a.1) * (b.0 - a.0) / (b.1 - a.1))
                        }
                    }
                    xs.sort()
                    var k = 0
                    while k + 1 < xs.count { spans.append((xs[k], xs[k + 1])); k += 2 }
                }
                for sx in 0..<samples {
                    let offset = (Double(sx) + 0.5) / Double(samples)
                    for x in 0..<w {
                        let px = Double(x) + offset
                        if spans.contains(where: { px >= $0.0 && px < $0.1 }) { coverage[x] += 1 }
                    }
                }
            }
            scanlines.append(0)  // filter type None
            let full = samples * samples
            for x in 0..<w { scanlines.append(UInt8(255 - coverage[x] * 255 / full)) }
        }
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        PNG.appendChunk("IHDR", PNG.bigEndian(UInt32(w)) + PNG.bigEndian(UInt32(h)) + [8, 0, 0, 0, 0], to: &png)
        PNG.appendChunk("IDAT", PNG.zlibStored(scanlines), to: &png)
        PNG.appendChunk("IEND", [], to: &png)
        return png
    }

    /// Width over height.
    public static var aspect: Double { width / height }
}
