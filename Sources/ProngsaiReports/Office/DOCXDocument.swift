import Foundation
import ProngsaiCore
import ZIPFoundation

/// A small WordprocessingML (DOCX) writer: sections of paragraphs, tables and page breaks in
/// TH Sarabun New, zipped with ZIPFoundation. The same blocks render the HTML print view
/// (`printHTML()`), so the Word file and the printed page say the same thing.
public struct DOCXDocument: Sendable {
    /// The font of Thai government documents; "Sarabun" (Google Fonts) is its free twin.
    public static let fontName = "TH Sarabun New"

    public enum Alignment: String, Sendable, Hashable {
        case left, center, right
        case justify = "both"
        /// Justified by spreading Thai characters, as Word's "Thai Distributed".
        case thaiDistribute
    }

    public enum Underline: String, Sendable, Hashable {
        case single, dotted
    }

    public struct Run: Sendable, Hashable {
        /// "\n" becomes a line break and "\t" a tab.
        public var text: String
        public var bold: Bool
        public var italic: Bool
        public var underline: Underline?
        /// In half-points (32 = 16 pt); nil takes the table's or the document's size.
        public var size: Int?

        public init(_ text: String, bold: Bool = false, italic: Bool = false, underline: Underline? = nil, size: Int? = nil) {
            self.text = text
            self.bold = bold
            self.italic = italic
            self.underline = underline
            self.size = size
        }
    }

    public struct TabStop: Sendable, Hashable {
        public enum Kind: String, Sendable, Hashable { case left, center, right }
        /// In twips from the left margin.
        public var position: Int
        public var kind: Kind

        public init(_ position: Int, _ kind: Kind = .left) {
            self.position = position
            self.kind = kind
        }
    }

    /// A picture set inline at the start of a paragraph: PNG bytes for Word, SVG for the print view.
    public struct Image: Sendable, Hashable {
        /// The file name inside the package (word/media/NAME).
        public var name: String
        public var png: [UInt8]
        public var svg: String
        /// Size in twips.
        public var width: Int
        public var height: Int
        /// Said by screen readers and Word's alt text.
        public var description: String

        public init(name: String, png: [UInt8], svg: String, width: Int, height: Int, description: String) {
            self.name = name
            self.png = png
            self.svg = svg
            self.width = width
            self.height = height
            self.description = description
        }
    }

    /// A paragraph. Lengths are in twips (1/1440 inch; 567 ≈ 1 cm).
    public struct Paragraph: Sendable, Hashable {
        public var runs: [Run]
        public var alignment: Alignment
        /// "Title", "Heading1", "Heading2" or "Heading3" (outline levels in Word); nil is Normal.
        public var style: String?
        public var firstLineIndent: Int
        public var leftIndent: Int
        public var spaceBefore: Int
        public var spaceAfter: Int
        public var tabStops: [TabStop]
        public var keepWithNext: Bool
        /// Keeps the paragraph's lines together on one page.
        public var keepLines: Bool = false
        /// A picture before the runs (the memo's Garuda).
        public var image: Image?

        public init(runs: [Run], alignment: Alignment = .left, style: String? = nil, firstLineIndent: Int = 0, leftIndent: Int = 0,
                    spaceBefore: Int = 0, spaceAfter: Int = 0, tabStops: [TabStop] = [], keepWithNext: Bool = false) {
            self.runs = runs
            self.alignment = alignment
            self.style = style
            self.firstLineIndent = firstLineIndent
            self.leftIndent = leftIndent
            self.spaceBefore = spaceBefore
            self.spaceAfter = spaceAfter
            self.tabStops = tabStops
            self.keepWithNext = keepWithNext
        }

        public init(_ text: String, bold: Bool = false, size: Int? = nil, alignment: Alignment = .left, style: String? = nil,
                    firstLineIndent: Int = 0, leftIndent: Int = 0, spaceBefore: Int = 0, spaceAfter: Int = 0, keepWithNext: Bool = false) {
            self.init(runs: [Run(text, bold: bold, size: size)], alignment: alignment, style: style, firstLineIndent: firstLineIndent,
                      leftIndent: leftIndent, spaceBefore: spaceBefore, spaceAfter: spaceAfter, keepWithNext: keepWithNext)
        }

        /// An empty line.
        public static let blank = Paragraph(runs: [])
    }

    public struct Cell: Sendable, Hashable {
        public var paragraphs: [Paragraph]
        /// Fill colour as hex ("D9D9D9"); nil takes the table's header shading in header rows.
        public var shading: String?

        public init(_ paragraphs: [Paragraph], shading: String? = nil) {
            self.paragraphs = paragraphs
            self.shading = shading
        }

        public init(_ text: String, bold: Bool = false, alignment: Alignment = .left) {
            self.init([Paragraph(text, bold: bold, alignment: alignment)])
        }
    }

    public struct Table: Sendable, Hashable {
        /// Column widths in twips.
        public var widths: [Int]
        /// Rows repeated at the top of each page.
        public var header: [[Cell]]
        public var rows: [[Cell]]
        /// Single lines around every cell; false for a layout table (the memo's score lines).
        public var borders: Bool
        public var headerShading: String?
        /// Default run size in half-points for the cells.
        public var size: Int?
        /// Keeps each row on one page.
        public var cantSplit: Bool

        public init(widths: [Int], header: [[Cell]] = [], rows: [[Cell]], borders: Bool = true, headerShading: String? = "D9D9D9",
                    size: Int? = nil, cantSplit: Bool = false) {
            self.widths = widths
            self.header = header
            self.rows = rows
            self.borders = borders
            self.headerShading = headerShading
            self.size = size
            self.cantSplit = cantSplit
        }
    }

    public enum Block: Sendable, Hashable {
        case paragraph(Paragraph)
        case table(Table)
        case pageBreak
    }

    /// Page size and margins in twips.
    public struct Page: Sendable, Hashable {
        public var width: Int
        public var height: Int
        public var top: Int
        public var right: Int
        public var bottom: Int
        public var left: Int

        public init(width: Int, height: Int, top: Int = 1440, right: Int = 1440, bottom: Int = 1440, left: Int = 1440) {
            self.width = width
            self.height = height
            self.top = top
            self.right = right
            self.bottom = bottom
            self.left = left
        }

        /// A4 (210 × 297 mm) with 1-inch margins.
        public static let a4Portrait = Page(width: 11906, height: 16838)
        public static let a4Landscape = Page(width: 16838, height: 11906)

        public var landscape: Bool { width > height }
        /// The width between the margins.
        public var textWidth: Int { width - left - right }
    }

    public struct Section: Sendable, Hashable {
        public var page: Page
        public var blocks: [Block]

        public init(page: Page = .a4Portrait, blocks: [Block]) {
            self.page = page
            self.blocks = blocks
        }
    }

    public var title: String
    public var creator: String
    public var created: CivilDate?
    public var sections: [Section]
    /// Text in the footer before the page number.
    public var footer: String?
    public var pageNumbers: Bool
    /// Default run size in half-points: 16 pt, as Thai government documents use.
    public var size: Int

    public init(title: String, creator: String = "Prongsai", created: CivilDate? = nil, sections: [Section], footer: String? = nil,
                pageNumbers: Bool = true, size: Int = 32) {
        self.title = title
        self.creator = creator
        self.created = created
        self.sections = sections
        self.footer = footer
        self.pageNumbers = pageNumbers
        self.size = size
    }

    var hasFooter: Bool { pageNumbers || !(footer ?? "").isEmpty }
}
