import Foundation
import ProngsaiReports
import Testing
import TestSupport


@Suite("QR codes read back by zbarimg")
struct QRTests {
    @Test("links, Thai text and long payloads round-trip at every level", arguments: [
        "http://127.0.0.1:8080/s/ab23cd",
        "https://ita.example.go.th/s/ab23cd?c=ABCD-EFGH",
        "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก อบต.บ้านโป่ง",
        String(repeating: "prongsai-", count: 60),
    ])
    func roundTrip(text: String) throws {
        for level in QRCode.ErrorCorrection.allCases {
            let code = try QRCode(text, correction: level)
            #expect(try zbarDecode(code.png(scale: 4, quietZone: 4)) == text, "\(level) v\(code.version)")
        }
    }

    @Test("the smallest version that fits is chosen; too much text is a clear error")
    func sizes() throws {
        #expect(try QRCode("A", correction: .medium).version == 1)
        #expect(try QRCode("A", correction: .medium).size == 21)
        #expect(try QRCode(String(repeating: "x", count: 200), correction: .medium).version >= 7)
        #expect(throws: QRCodeError.self) { _ = try QRCode(String(repeating: "x", count: 2400), correction: .medium) }
    }

    @Test("SVG: one path of dark modules on white, titled and escaped")
    func svg() throws {
        let svg = try QRCode("https://x.example/s/ab23cd").svg(moduleSize: 8, quietZone: 4, title: "a <b> & c")
        #expect(svg.hasPrefix("<svg"))
        #expect(svg.contains("<title>a &lt;b&gt; &amp; c</title>"))
        #expect(svg.contains("crispEdges"))
    }
}
