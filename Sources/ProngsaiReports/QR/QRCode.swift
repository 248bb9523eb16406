import Foundation

/// A QR Code Model 2 symbol (ISO/IEC 18004:2015) that stores its payload in byte mode.
///
/// Text is encoded as UTF-8 bytes without an ECI header: every mainstream reader
/// (phone cameras, ZXing, ZBar) recognises UTF-8 in byte mode. Some older readers
/// would mis-handle an ECI header, so we leave it out.
public struct QRCode: Sendable {
    /// Error correction level. The percentages are how much damage each level can recover from (ISO/IEC 18004 §5.3.8).
    public enum ErrorCorrection: Sendable, CaseIterable {
        case low       // L, ~7 %
        case medium    // M, ~15 %
        case quartile  // Q, ~25 %
        case high      // H, ~30 %
    }

    /// Symbol version, 1…40.
    public let version: Int
    /// Modules per side, 17 + 4 × version (quiet zone not included).
    public let size: Int
    /// The error correction level actually used.
    public let correction: ErrorCorrection
    /// The data mask pattern, 0…7, picked by the lowest penalty score.
    public let mask: Int

    /// Row-major, `true` = dark.
    private let modules: [Bool]

    /// Encodes `text` as UTF-8 in the smallest version that holds it at the given level.
    /// - Throws: `QRCodeError.dataTooLong` when even version 40 is too small.
    public init(_ text: String, correction: ErrorCorrection = .medium) throws {
        try self.init(bytes: Array(text.utf8), correction: correction)
    }

    /// Encodes raw bytes in byte mode.
    public init(bytes: [UInt8], correction: ErrorCorrection = .medium) throws {
        try self.init(bytes: bytes, correction: correction, forcedMask: nil)
    }

    /// `forcedMask` lets tests check every mask pattern against a real decoder.
    init(bytes: [UInt8], correction: ErrorCorrection, forcedMask: Int?) throws {
        precondition(forcedMask.map { (0..<8).contains($0) } ?? true, "mask must be 0…7")
        guard let version = (1...40).first(where: { bytes.count <= Self.byteCapacity(version: $0, correction: correction) }) else {
            throw QRCodeError.dataTooLong(
                byteCount: bytes.count,
                maximumByteCount: Self.byteCapacity(version: 40, correction: correction),
                correction: correction)
        }
        let data = Self.dataCodewords(bytes, version: version, correction: correction)
        let codewords = Self.interleavedCodewords(data, version: version, correction: correction)

        var base = Matrix(version: version)
        base.drawFunctionPatterns()
        base.placeCodewords(codewords)

        // ISO/IEC 18004 §7.8.3: try all eight masks, keep the one with the lowest penalty.
        func masked(_ mask: Int) -> Matrix {
            var m = base
            m.applyMask(mask)
            m.drawFormatInformation(correction: correction, mask: mask)
            return m
        }
        let chosenMask: Int
        let chosen: Matrix
        if let forcedMask {
            chosenMask = forcedMask
            chosen = masked(forcedMask)
        } else {
            let candidates = (0..<8).map { ($0, masked($0)) }
            (chosenMask, chosen) = candidates.min { $0.1.penalty() < $1.1.penalty() }!
        }

        self.version = version
        self.size = chosen.size
        self.correction = correction
        self.mask = chosenMask
        self.modules = chosen.modules
    }

    /// Whether the module at column `x`, row `y` is dark. Outside the symbol (the quiet zone) is light.
    public func isDark(x: Int, y: Int) -> Bool {
        guard (0..<size).contains(x), (0..<size).contains(y) else { return false }
        return modules[y * size + x]
    }

    /// How many bytes fit in byte mode at this version and level.
    public static func byteCapacity(version: Int, correction: ErrorCorrection) -> Int {
        let headerBits = 4 + characterCountBits(version: version)
        return (dataCodewordCount(version: version, correction: correction) * 8 - headerBits) / 8
    }
}

/// Thrown when a QR code cannot be built.
public enum QRCodeError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// The payload is longer than version 40 holds at this error correction level.
    case dataTooLong(byteCount: Int, maximumByteCount: Int, correction: QRCode.ErrorCorrection)

    public var description: String {
        switch self {
        case let .dataTooLong(byteCount, maximum, correction):
            return "The text is too long for a QR code: it is \(byteCount) bytes as UTF-8, "
                + "but at most \(maximum) bytes fit with \(correction.name) error correction. "
                + "Shorten the text or use a lower error correction level."
        }
    }

    public var errorDescription: String? { description }
}

extension QRCode.ErrorCorrection {
    /// Human-readable name for error messages.
    var name: String {
        switch self {
        case .low: "low (L)"
        case .medium: "medium (M)"
        case .quartile: "quartile (Q)"
        case .high: "high (H)"
        }
    }

    /// Row index into the per-level tables below.
    fileprivate var tableIndex: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .quartile: 2
        case .high: 3
        }
    }

    /// The two error-correction bits of the format information; not in L, M, Q, H order (ISO/IEC 18004 Table 12).
    fileprivate var formatBits: Int {
        switch self {
        case .low: 0b01
        case .medium: 0b00
        case .quartile: 0b11
        case .high: 0b10
        }
    }
}

// MARK: - Capacity tables

extension QRCode {
    // ISO/IEC 18004 Table 9, one row per level (L, M, Q, H), one column per version 1…40.
    // Error correction codewords in each block:
    private static let eccCodewordsPerBlock: [[Int]] = [
        [7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28],
        [13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
    ]
    // Total number of error correction blocks (both block sizes together):
    private static let errorCorrectionBlockCount: [[Int]] = [
        [1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25],
        [1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49],
        [1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68],
        [1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81],
    ]

    /// Centre row/column coordinates of the alignment patterns (ISO/IEC 18004 Annex E, Table E.1).
    static let alignmentPatternCentres: [[Int]] = [
        [], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34],
        [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50], [6, 30, 54], [6, 32, 58], [6, 34, 62],
        [6, 26, 46, 66], [6, 26, 48, 70], [6, 26, 50, 74], [6, 30, 54, 78], [6, 30, 56, 82], [6, 30, 58, 86], [6, 34, 62, 90],
        [6, 28, 50, 72, 94], [6, 26, 50, 74, 98], [6, 30, 54, 78, 102], [6, 28, 54, 80, 106], [6, 32, 58, 84, 110],
        [6, 30, 58, 86, 114], [6, 34, 62, 90, 118],
        [6, 26, 50, 74, 98, 122], [6, 30, 54, 78, 102, 126], [6, 26, 52, 78, 104, 130], [6, 30, 56, 82, 108, 134],
        [6, 34, 60, 86, 112, 138], [6, 30, 58, 86, 114, 142], [6, 34, 62, 90, 118, 146],
        [6, 30, 54, 78, 102, 126, 150], [6, 24, 50, 76, 102, 128, 154], [6, 28, 54, 80, 106, 132, 158],
        [6, 32, 58, 84, 110, 136, 162], [6, 26, 54, 82, 110, 138, 166], [6, 30, 58, 86, 114, 142, 170],
    ]

    /// Byte-mode character count indicator width (ISO/IEC 18004 Table 3).
    static func characterCountBits(version: Int) -> Int { version <= 9 ? 8 : 16 }

    /// Modules left for codewords after all function patterns (what ISO/IEC 18004 Table 1 lists as data modules + remainder bits).
    static func rawDataModuleCount(version: Int) -> Int {
        let size = 17 + 4 * version
        var count = size * size
        count -= 3 * 64            // three finder patterns with their separators (8 × 8 each)
        count -= 2 * 15 + 1        // two copies of the format information + the single dark module
        count -= 2 * (size - 16)   // timing patterns between the separators
        let n = alignmentPatternCentres[version - 1].count
        if n > 0 {
            // n² − 3 alignment patterns of 25 modules; 2(n − 2) of them lie on a timing
            // pattern and share 5 modules with it, already subtracted above.
            count -= 25 * (n * n - 3) - 5 * 2 * (n - 2)
        }
        if version >= 7 { count -= 2 * 18 }  // two copies of the version information
        return count
    }

    static func dataCodewordCount(version: Int, correction: ErrorCorrection) -> Int {
        let level = correction.tableIndex
        return rawDataModuleCount(version: version) / 8
            - eccCodewordsPerBlock[level][version - 1] * errorCorrectionBlockCount[level][version - 1]
    }
}

// MARK: - Data encoding and error correction

extension QRCode {
    /// Mode indicator, count, data, terminator and pad codewords (ISO/IEC 18004 §7.4).
    static func dataCodewords(_ bytes: [UInt8], version: Int, correction: ErrorCorrection) -> [UInt8] {
        let capacityBits = dataCodewordCount(version: version, correction: correction) * 8
        var bits = BitBuffer()
        bits.append(0b0100, count: 4)  // byte mode indicator (Table 2)
        bits.append(bytes.count, count: characterCountBits(version: version))
        for byte in bytes { bits.append(Int(byte), count: 8) }
        bits.append(0, count: min(4, capacityBits - bits.count))  // terminator, shortened if the symbol is full (§7.4.9)
        bits.append(0, count: (8 - bits.count % 8) % 8)           // pad to a codeword boundary
        var codewords = bits.bytes
        // Alternate pad codewords 11101100 and 00010001 (§7.4.10).
        var pad: UInt8 = 0xEC
        while codewords.count < capacityBits / 8 {
            codewords.append(pad)
            pad ^= 0xEC ^ 0x11
        }
        return codewords
    }

    /// Splits the data into blocks, appends Reed–Solomon codewords to each, and interleaves them (ISO/IEC 18004 §7.5–7.6).
    static func interleavedCodewords(_ data: [UInt8], version: Int, correction: ErrorCorrection) -> [UInt8] {
        let level = correction.tableIndex
        let blockCount = errorCorrectionBlockCount[level][version - 1]
        let eccLength = eccCodewordsPerBlock[level][version - 1]
        let totalCodewords = rawDataModuleCount(version: version) / 8
        // Blocks differ by at most one data codeword; the shorter ones come first (Table 9).
        let longBlockCount = totalCodewords % blockCount
        let shortDataLength = totalCodewords / blockCount - eccLength

        let generator = ReedSolomon.generator(degree: eccLength)
        var dataBlocks: [ArraySlice<UInt8>] = []
        var eccBlocks: [[UInt8]] = []
        var offset = 0
        for index in 0..<blockCount {
            let length = shortDataLength + (index >= blockCount - longBlockCount ? 1 : 0)
            let block = data[offset..<offset + length]
            dataBlocks.append(block)
            eccBlocks.append(ReedSolomon.remainder(of: block, generator: generator))
            offset += length
        }
        precondition(offset == data.count, "block structure does not match data length")

        // Take codeword i of every block in turn: data first, then error correction.
        var result: [UInt8] = []
        result.reserveCapacity(totalCodewords)
        for i in 0...shortDataLength {
            for block in dataBlocks where i < block.count {
                result.append(block[block.startIndex + i])
            }
        }
        for i in 0..<eccLength {
            for block in eccBlocks { result.append(block[i]) }
        }
        return result
    }
}

/// Big-endian bit accumulator.
private struct BitBuffer {
    private(set) var bytes: [UInt8] = []
    private(set) var count = 0

    mutating func append(_ value: Int, count bitCount: Int) {
        for shift in stride(from: bitCount - 1, through: 0, by: -1) {
            if count % 8 == 0 { bytes.append(0) }
            if (value >> shift) & 1 == 1 { bytes[bytes.count - 1] |= 0x80 >> UInt8(count % 8) }
            count += 1
        }
    }
}

extension QRCode {
    /// Reed–Solomon over GF(2⁸) with the QR primitive polynomial x⁸+x⁴+x³+x²+1 (ISO/IEC 18004 §7.5.2).
    enum ReedSolomon {
        /// exp[i] = αⁱ, doubled in length so products need no modulo.
        private static let exp: [UInt8] = {
            var table = [UInt8](repeating: 0, count: 510)
            var value = 1
            for i in 0..<255 {
                table[i] = UInt8(value)
                table[i + 255] = UInt8(value)
                value <<= 1
                if value & 0x100 != 0 { value ^= 0x11D }
            }
            return table
        }()

        private static let log: [Int] = {
            var table = [Int](repeating: 0, count: 256)
            for i in 0..<255 { table[Int(exp[i])] = i }
            return table
        }()

        static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
            a == 0 || b == 0 ? 0 : exp[log[Int(a)] + log[Int(b)]]
        }

        /// Coefficients of ∏(x − αⁱ) for i in 0..<degree, highest power first, leading 1 included.
        static func generator(degree: Int) -> [UInt8] {
            var poly: [UInt8] = [1]
            for i in 0..<degree {
                let root = exp[i]
                var next = poly + [0]
                for j in 1..<next.count { next[j] ^= multiply(poly[j - 1], root) }
                poly = next
            }
            return poly
        }

        /// The remainder of data(x)·x^degree divided by the generator: the error correction codewords.
        static func remainder(of data: ArraySlice<UInt8>, generator: [UInt8]) -> [UInt8] {
            let degree = generator.count - 1
            var remainder = [UInt8](repeating: 0, count: degree)
            for byte in data {
                let factor = byte ^ remainder[0]
                remainder.removeFirst()
                remainder.append(0)
                for j in 0..<degree { remainder[j] ^= multiply(generator[j + 1], factor) }
            }
            return remainder
        }
    }
}

// MARK: - Module matrix

/// The symbol under construction: module colours plus which modules belong to function patterns.
private struct Matrix {
    let version: Int
    let size: Int
    var modules: [Bool]
    var isFunction: [Bool]

    init(version: Int) {
        self.version = version
        size = 17 + 4 * version
        modules = Array(repeating: false, count: size * size)
        isFunction = Array(repeating: false, count: size * size)
    }

    subscript(x: Int, y: Int) -> Bool {
        get { modules[y * size + x] }
        set { modules[y * size + x] = newValue }
    }

    private mutating func setFunction(_ x: Int, _ y: Int, dark: Bool) {
        self[x, y] = dark
        isFunction[y * size + x] = true
    }

    mutating func drawFunctionPatterns() {
        // Timing patterns: alternating, dark on even coordinates (§6.3.5). Drawn first; finders overwrite the ends.
        for i in 0..<size {
            setFunction(6, i, dark: i % 2 == 0)
            setFunction(i, 6, dark: i % 2 == 0)
        }
        // Finder patterns 7 × 7 with a one-module light separator (§6.3.3–6.3.4).
        for (cx, cy) in [(3, 3), (size - 4, 3), (3, size - 4)] {
            for dy in -4...4 {
                for dx in -4...4 {
                    let x = cx + dx, y = cy + dy
                    guard (0..<size).contains(x), (0..<size).contains(y) else { continue }
                    let ring = max(abs(dx), abs(dy))
                    setFunction(x, y, dark: ring != 2 && ring != 4)
                }
            }
        }
        // Alignment patterns 5 × 5, except where they would overlap a finder (§6.3.6).
        let centres = QRCode.alignmentPatternCentres[version - 1]
        for (i, cx) in centres.enumerated() {
            for (j, cy) in centres.enumerated() {
                let last = centres.count - 1
                if (i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0) { continue }
                for dy in -2...2 {
                    for dx in -2...2 {
                        setFunction(cx + dx, cy + dy, dark: max(abs(dx), abs(dy)) != 1)
                    }
                }
            }
        }
        // Reserve the format information areas now; the real bits come with the mask.
        drawFormatInformation(correction: .medium, mask: 0)
        if version >= 7 { drawVersionInformation() }
    }

    /// 15-bit format information: 2 level bits + 3 mask bits, BCH(15,5) with generator 0x537,
    /// XORed with 101010000010010 so it is never all zero (§7.9.1, Annex C).
    mutating func drawFormatInformation(correction: QRCode.ErrorCorrection, mask: Int) {
        let data = correction.formatBits << 3 | mask
        var remainder = data
        for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) & 1 == 1 ? 0x537 : 0) }
        let bits = (data << 10 | remainder) ^ 0x5412
        func bit(_ i: Int) -> Bool { (bits >> i) & 1 == 1 }

        // Copy around the top-left finder (Figure 25): bits 0–7 down column 8 (skipping the
        // timing row), bits 8–14 leftwards along row 8 (skipping the timing column).
        for i in 0...5 { setFunction(8, i, dark: bit(i)) }
        setFunction(8, 7, dark: bit(6))
        setFunction(8, 8, dark: bit(7))
        setFunction(7, 8, dark: bit(8))
        for i in 9..<15 { setFunction(14 - i, 8, dark: bit(i)) }
        // Second copy: bits 0–7 along row 8 at the right, bits 8–14 down column 8 at the bottom.
        for i in 0..<8 { setFunction(size - 1 - i, 8, dark: bit(i)) }
        for i in 8..<15 { setFunction(8, size - 15 + i, dark: bit(i)) }
        setFunction(8, size - 8, dark: true)  // the "dark module", always dark (§7.9.1)
    }

    /// 18-bit version information: 6 version bits + BCH(18,6) with generator 0x1F25 (§7.10, Annex D),
    /// as a 6 × 3 block above the bottom-left finder and its transpose left of the top-right finder.
    private mutating func drawVersionInformation() {
        var remainder = version
        for _ in 0..<12 { remainder = (remainder << 1) ^ ((remainder >> 11) & 1 == 1 ? 0x1F25 : 0) }
        let bits = version << 12 | remainder
        for i in 0..<18 {
            let dark = (bits >> i) & 1 == 1
            let a = size - 11 + i % 3, b = i / 3
            setFunction(a, b, dark: dark)
            setFunction(b, a, dark: dark)
        }
    }

    /// Places codeword bits in two-module-wide columns, zig-zagging up and down from the
    /// bottom-right corner and skipping function modules (§7.7.3). Leftover remainder bits stay light.
    mutating func placeCodewords(_ codewords: [UInt8]) {
        let totalBits = codewords.count * 8
        var bitIndex = 0
        var upward = true
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }  // the vertical timing pattern takes a whole column
            for step in 0..<size {
                let y = upward ? size - 1 - step : step
                for x in [right, right - 1] where !isFunction[y * size + x] && bitIndex < totalBits {
                    self[x, y] = (codewords[bitIndex / 8] >> (7 - UInt8(bitIndex % 8))) & 1 == 1
                    bitIndex += 1
                }
            }
            upward.toggle()
            right -= 2
        }
        precondition(bitIndex == totalBits, "codewords do not fill the symbol")
    }

    /// Inverts data modules where the mask condition holds; i = row, j = column (Table 10).
    mutating func applyMask(_ mask: Int) {
        for y in 0..<size {
            for x in 0..<size where !isFunction[y * size + x] {
                let invert: Bool
                switch mask {
                case 0: invert = (y + x) % 2 == 0
                case 1: invert = y % 2 == 0
                case 2: invert = x % 3 == 0
                case 3: invert = (y + x) % 3 == 0
                case 4: invert = (y / 2 + x / 3) % 2 == 0
                case 5: invert = (y * x) % 2 + (y * x) % 3 == 0
                case 6: invert = ((y * x) % 2 + (y * x) % 3) % 2 == 0
                default: invert = ((y + x) % 2 + (y * x) % 3) % 2 == 0
                }
                if invert { self[x, y].toggle() }
            }
        }
    }

    /// Penalty score of the finished symbol (§7.8.3.1, Table 11: N1 = 3, N2 = 3, N3 = 40, N4 = 10).
    func penalty() -> Int {
        var score = 0
        let rows = (0..<size).map { y in (0..<size).map { x in self[x, y] } }
        let columns = (0..<size).map { x in (0..<size).map { y in self[x, y] } }
        for line in rows + columns {
            score += Self.runPenalty(line) + Self.finderLikePenalty(line)
        }
        // Rule 2: every 2 × 2 block of one colour (an m × n block counts as its (m−1)(n−1) 2 × 2 blocks).
        for y in 0..<size - 1 {
            for x in 0..<size - 1 {
                let c = self[x, y]
                if self[x + 1, y] == c && self[x, y + 1] == c && self[x + 1, y + 1] == c { score += 3 }
            }
        }
        // Rule 4: 10 points for each full 5 % the dark share deviates from 50 %.
        let dark = modules.reduce(0) { $0 + ($1 ? 1 : 0) }
        let total = size * size
        score += 10 * (abs(dark * 20 - total * 10) / total)
        return score
    }

    /// Rule 1: a run of 5 + i same-coloured modules in a row or column scores 3 + i.
    private static func runPenalty(_ line: [Bool]) -> Int {
        var score = 0
        var runLength = 0
        var runColour = !line[0]
        for module in line {
            if module == runColour {
                runLength += 1
            } else {
                if runLength >= 5 { score += runLength - 2 }
                runColour = module
                runLength = 1
            }
        }
        if runLength >= 5 { score += runLength - 2 }
        return score
    }

    /// Rule 3: dark-light-dark-dark-dark-light-dark (1:1:3:1:1) with four light modules on
    /// either side scores 40. Beyond the edge is the light quiet zone.
    private static func finderLikePenalty(_ line: [Bool]) -> Int {
        let pattern = [true, false, true, true, true, false, true]
        func isLight(_ range: Range<Int>) -> Bool {
            range.allSatisfy { $0 < 0 || $0 >= line.count || !line[$0] }
        }
        var score = 0
        for start in 0...(line.count - pattern.count) where line[start..<start + pattern.count].elementsEqual(pattern) {
            if isLight(start - 4..<start) || isLight(start + 7..<start + 11) { score += 40 }
        }
        return score
    }
}
