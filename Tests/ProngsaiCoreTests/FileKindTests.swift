import Foundation
import ProngsaiCore
import Testing

@Suite("uploaded files are judged by content")
struct FileKindTests {
    @Test("magic bytes decide the kind; a name proves nothing")
    func sniff() {
        #expect(FileKind.sniff(Array("%PDF-1.7 ...".utf8)) == .pdf)
        #expect(FileKind.sniff([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]) == .png)
        #expect(FileKind.sniff([0xFF, 0xD8, 0xFF, 0xE0]) == .jpeg)
        #expect(FileKind.sniff(Array("GIF89a".utf8)) == .gif)
        #expect(FileKind.sniff(Array("RIFF\0\0\0\0WEBPVP8 ".utf8)) == .webp)
        #expect(FileKind.sniff([0x50, 0x4B, 0x03, 0x04] + Array("....[Content_Types].xml....word/document.xml".utf8)) == .docx)
        #expect(FileKind.sniff([0x50, 0x4B, 0x03, 0x04] + Array("....[Content_Types].xml....xl/workbook.xml".utf8)) == .xlsx)
        #expect(FileKind.sniff([0x50, 0x4B, 0x03, 0x04] + Array("just a zip".utf8)) == nil)
        #expect(FileKind.sniff(Array("<html><script>".utf8)) == nil)
        #expect(FileKind.sniff([]) == nil)
        #expect(FileKind.sniff([0x4D, 0x5A]) == nil, "a Windows program")
    }

    @Test("names lose folders, control characters and leading dots", arguments: [
        ("../../etc/passwd.pdf", "passwd.pdf"), ("C:\\Users\\a\\รายงาน.pdf", "รายงาน.pdf"), ("..", "file"), (".htaccess", "htaccess"),
        ("a\u{0}b\n.pdf", "ab.pdf"), ("ok.docx", "ok.docx"), ("\"quoted\".pdf", "quoted.pdf"),
    ])
    func safeName(name: String, expected: String) {
        #expect(FileKind.safeName(name) == expected)
    }
}
