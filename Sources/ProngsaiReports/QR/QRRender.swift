extension QRCode {
    /// A compact SVG: a white background and one black `<path>` made of horizontal runs.
    ///
    /// The viewBox is in module units, so the image scales cleanly; `moduleSize` only sets the
    /// default width/height in pixels. ISO/IEC 18004 §6.3.8 asks for a 4-module quiet zone.
    /// - Parameters:
    ///   - moduleSize: pixels per module for `width`/`height`, at least 1.
    ///   - quietZone: light border in modules, at least 0.
    ///   - title: accessible name, emitted as `<title>` (XML-escaped).
    public func svg(moduleSize: Int = 8, quietZone: Int = 4, title: String? = nil) -> String {
        let border = max(0, quietZone)
        let side = size + 2 * border
        let pixels = side * max(1, moduleSize)
        var path = ""
        for y in 0..<size {
            var x = 0
            while x < size {
                guard isDark(x: x, y: y) else { x += 1; continue }
                let start = x
                while x < size && isDark(x: x, y: y) { x += 1 }
                let run = x - start
                path += "M\(start + border) \(y + border)h\(run)v1h-\(run)z"
            }
        }
        var svg = #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \#(side) \#(side)" "#
            + #"width="\#(pixels)" height="\#(pixels)" shape-rendering="crispEdges" role="img">"#
        if let title { svg += "<title>\(Markup.escape(title))</title>" }
        svg += ##"<rect width="\##(side)" height="\##(side)" fill="#fff"/>"##
        svg += ##"<path fill="#000" d="\##(path)"/></svg>"##
        return svg
    }

    /// A 1-bit grayscale PNG, written by hand (PNG spec, ISO/IEC 15948): signature, IHDR,
    /// one IDAT holding a zlib stream of uncompressed deflate blocks, IEND.
    /// - Parameters:
    ///   - scale: pixels per module, at least 1.
    ///   - quietZone: light border in modules, at least 0.
    public func png(scale: Int = 8, quietZone: Int = 4) -> [UInt8] {
        let scale = max(1, scale)
        let border = max(0, quietZone)
        let pixels = (size + 2 * border) * scale
        let rowBytes = (pixels + 7) / 8

        // Each scanline: filter type 0 (None), then pixels packed MSB first; 1 = white, 0 = black.
        var scanlines: [UInt8] = []
        scanlines.reserveCapacity((rowBytes + 1) * pixels)
        for moduleRow in -border..<size + border {
            var line = [UInt8](repeating: 0xFF, count: rowBytes + 1)
            line[0] = 0
            for moduleColumn in 0..<size where isDark(x: moduleColumn, y: moduleRow) {
                let first = (moduleColumn + border) * scale
                for px in first..<first + scale {
                    line[1 + px / 8] &= ~(0x80 >> UInt8(px % 8))
                }
            }
            for _ in 0..<scale { scanlines += line }
        }

        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header = PNG.bigEndian(UInt32(pixels)) + PNG.bigEndian(UInt32(pixels))
        header += [1, 0, 0, 0, 0]  // bit depth 1, colour type 0 (grayscale), deflate, filter method 0, no interlace
        PNG.appendChunk("IHDR", header, to: &png)
        PNG.appendChunk("IDAT", PNG.zlibStored(scanlines), to: &png)
        PNG.appendChunk("IEND", [], to: &png)
        return png
    }

}

/// Minimal PNG/zlib plumbing.
enum PNG {
    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    /// Length, type, data, then CRC-32 over type and data (PNG spec §5.3).
    static func appendChunk(_ type: String, _ data: [UInt8], to png: inout [UInt8]) {
        let typeAndData = Array(type.utf8) + data
        png += bigEndian(UInt32(data.count))
        png += typeAndData
        png += bigEndian(crc32(typeAndData))
    }

    /// zlib stream (RFC 1950) of stored deflate blocks (RFC 1951 §3.2.4), at most 65 535 bytes each.
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]  // deflate, 32 KiB window; 0x7801 is divisible by 31 as FCHECK requires
        var offset = 0
        repeat {
            let length = min(65_535, data.count - offset)
            let isFinal = offset + length == data.count
            out.append(isFinal ? 1 : 0)  // BFINAL, BTYPE = 00 (stored); the rest of the byte is padding
            let len = UInt16(length)
            out += [UInt8(len & 0xFF), UInt8(len >> 8), UInt8(~len & 0xFF), UInt8(~len >> 8)]  // LEN, NLEN little-endian
            out += data[offset..<offset + length]
            offset += length
        } while offset < data.count
        out += bigEndian(adler32(data))
        return out
    }

    static func adler32(_ data: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in data {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return b << 16 | a
    }

    /// CRC-32 with the reflected polynomial 0xEDB88320 (PNG spec Annex D).
    private static let crcTable: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data { crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
