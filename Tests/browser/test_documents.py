"""The improvement pages and the agency's documents, as an officer makes them in the demo, read back
by independent tools: python-docx, openpyxl, LibreOffice (PDF), pdftotext and pdftoppm."""
import csv
import http.client
import io
import json
import os
import re
import shutil
import subprocess
import time
import zipfile

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import SHOTS, shot, sign_in
from http_client import Client

# From the reference report (../shared/reference/banpong-ita-2566-report.txt).
MEASURE_TITLES = [
    "มาตรการเสริมสร้างความซื่อสัตย์สุจริต และปลูกฝังทัศนคติ วัฒนธรรมที่ดีในการต่อต้านการทุจริต",
    "มาตรการเปิดโอกาสให้ประชาชนมีส่วนร่วมและเผยแพร่การทำงานขององค์การบริหารส่วนตำบลบ้านโป่ง",
    "มาตรการกำกับดูแลและตรวจสอบการใช้ทรัพย์สินของราชการ",
]
GUIDANCE_4 = "สร้างแนวปฏิบัติเกี่ยวกับการใช้ทรัพย์สินของทางราชการ"
SIGNERS = ["นางสาวอังคณา สุวรรณอุบล", "นางอิทธิยา จอมมงคล", "นายสาธิต ปัญญารัตน์", "นายสรารุช ชียนาม"]


def squash(text):
    """pdftotext breaks Thai lines anywhere; compare without whitespace."""
    return re.sub(r"\s+", "", text)


def fetch(client, path):
    conn = http.client.HTTPConnection(client.host, client.port, timeout=30)
    conn.request("GET", path, headers={"Cookie": "; ".join(f"{k}={v}" for k, v in client.cookies.items())})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response, data


@pytest.fixture(scope="module")
def documents(server, tmp_path_factory):
    """Makes every document through the documents page's background job and downloads them."""
    client = Client(server["url"])
    client.sign_in("officer", server["accounts"]["officer"])
    client.request("GET", "/agencies/banpong/2566/documents")
    r = client.request("POST", "/agencies/banpong/2566/documents", {"_csrf": client.csrf()})
    assert r.status == 303
    client.request("GET", "/agencies/banpong/2566/documents")
    m = re.search(r'data-job="([^"]+)"', client.body)
    assert m, "the documents page links the job it started"
    deadline = time.time() + 240
    status = None
    while time.time() < deadline:
        response, data = fetch(client, m.group(1))
        assert response.status == 200
        status = json.loads(data)
        if status["status"] in ("done", "failed"):
            break
        time.sleep(0.5)
    assert status and status["status"] == "done", status
    assert status["step"] == status["steps"]
    folder = tmp_path_factory.mktemp("documents")
    files = {}
    for entry in status["files"]:
        response, data = fetch(client, entry["url"])
        assert response.status == 200, entry
        path = folder / entry["name"]
        path.write_bytes(data)
        kind = entry["name"].split("-", 3)[-1]  # report.docx, memo.pdf, workbook.xlsx …
        files[kind] = path
    return files


def test_every_document_is_made(documents):
    expected = {"report.docx", "report.html", "memo.docx", "memo.html", "workbook.xlsx", "measures.csv"}
    assert expected <= set(documents)
    if shutil.which("soffice"):
        assert {"report.pdf", "memo.pdf"} <= set(documents)


def docx_text(path):
    import docx

    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.append(cell.text)
    return document, "\n".join(parts)


def test_report_docx_read_by_python_docx(documents):
    document, text = docx_text(documents["report.docx"])
    assert "รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน" in text
    assert "95.35" in text and "ผ่าน" in text
    for title in MEASURE_TITLES:
        assert title in text
    assert GUIDANCE_4 in text
    # O42: the analysis names the weak points to fix urgently (the demo's indicators 4 and 8).
    assert "การวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใส (O42)" in text
    weak_rows = [t for t in document.tables if t.rows[0].cells[0].text.strip() == "ตัวชี้วัด" and len(t.columns) == 3]
    assert weak_rows, "the O42 table"
    urgent = [r.cells[0].text for r in weak_rows[0].rows[1:] if "แก้ไขโดยเร่งด่วน" in r.cells[2].text]
    assert [u.split()[0] + " " + u.split()[1] for u in urgent] == ["ตัวชี้วัดที่ 4", "ตัวชี้วัดที่ 8"]
    assert "☑" in text and "☐" in text
    assert "ตัวชี้วัดย่อยที่ 9.1" in text and "ตัวชี้วัดย่อยที่ 10.2" in text
    headers = [[c.text.strip() for c in t.rows[0].cells] for t in document.tables]
    assert ["ข้อ", "ข้อมูล", "องค์ประกอบด้านข้อมูล", "ผู้รับผิดชอบ", "ความก้าวหน้าผลการดำเนินการ"] in headers
    assert any(h[:2] == ["ลำดับ", "มาตรการ/กิจกรรม"] for h in headers)
    # The complex-script font slot carries the Thai font.
    xml = zipfile.ZipFile(documents["report.docx"]).read("word/document.xml").decode()
    assert 'w:cs="TH Sarabun New"' in xml


def test_memo_docx_read_by_python_docx(documents):
    _, text = docx_text(documents["memo.docx"])
    assert "บันทึกข้อความ" in text
    for label in ["ส่วนราชการ", "ที่", "วันที่", "เรื่อง", "เรียน"]:
        assert label in text
    assert "๙๕.๓๕" in text and "๑๘ กันยายน ๒๕๖๖" in text
    assert "๙๗.๘๒" in text and "๘๑.๗๓" in text
    for name in SIGNERS:
        assert name in text
    assert "95.35" not in text, "a Thai memo writes its numbers in Thai digits"


def test_workbook_read_by_openpyxl(documents):
    import openpyxl

    book = openpyxl.load_workbook(documents["workbook.xlsx"])
    assert len(book.sheetnames) >= 3
    cells = {sheet: [[c for c in row] for row in book[sheet].iter_rows(values_only=True)] for sheet in book.sheetnames}
    flat = [v for rows in cells.values() for row in rows for v in row if v is not None]
    assert any(isinstance(v, (int, float)) and abs(v - 97.82) < 1e-9 for v in flat), "IIT as a number"
    assert any(isinstance(v, (int, float)) and abs(v - 87.5) < 1e-9 for v in flat), "sub-indicator 9.2 as a number"
    for title in MEASURE_TITLES:
        assert title in flat
    assert "O13" in flat


def test_measures_csv(documents):
    raw = documents["measures.csv"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel reads Thai CSV only with a BOM"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 1 + len(MEASURE_TITLES)
    assert [r[1] for r in rows[1:]] == MEASURE_TITLES


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is installed by scripts/test.sh")
def test_pdfs_hold_the_thai_text_and_render(documents):
    if "report.pdf" not in documents:
        pytest.skip("LibreOffice is not installed")
    report = squash(subprocess.run(["pdftotext", str(documents["report.pdf"]), "-"], capture_output=True, text=True, check=True).stdout)
    memo = squash(subprocess.run(["pdftotext", str(documents["memo.pdf"]), "-"], capture_output=True, text=True, check=True).stdout)
    # Table cells wrap Thai text anywhere, and pdftotext may misplace a combining vowel; check text
    # that stands on its own line.
    assert "95.35" in report and "ประเด็นการประเมินIIT" in report and "☑" in report
    assert "ดย่อยที่9.2" in report
    assert "๙๕.๓๕" in memo and "๑๘กันยายน๒๕๖๖" in memo and "บันทึกข้อความ" in memo
    os.makedirs(SHOTS, exist_ok=True)
    for name in ["report", "memo"]:
        prefix = os.path.join(SHOTS, f"document-{name}")
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "3", str(documents[f"{name}.pdf"]), prefix], check=True)
        pages = [f for f in os.listdir(SHOTS) if f.startswith(f"document-{name}-") and f.endswith(".png")]
        assert pages, f"{name} rendered to PNG"
        assert all(os.path.getsize(os.path.join(SHOTS, p)) > 5000 for p in pages), "rendered pages are not blank"


def pdf_pages(path):
    """Each page's text (pdftotext -raw keeps a cell's lines in reading order)."""
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    return [subprocess.run(["pdftotext", "-raw", "-f", str(n), "-l", str(n), str(path), "-"], capture_output=True, text=True, check=True).stdout
            for n in range(1, count + 1)]


# A line may not end with a leading vowel or sara a / mai han-akat, nor start with a following vowel: the
# break would fall inside a syllable ("ลำดั" / "บ").
LEADING = set("เแโใไ")
FOLLOWING = set("ะาำิีึืุูั็์")


def broken_words(text):
    lines = [l.strip() for l in text.split("\n")]
    found = []
    for a, b in zip(lines, lines[1:]):
        if a and b and (a[-1] in LEADING or a[-1] == "ั" or b[0] in FOLLOWING):
            found.append((a[-12:], b[:12]))
    return found


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is installed by scripts/test.sh")
def test_memo_pdf_is_two_pages_with_the_garuda_and_whole_signature_blocks(documents):
    if "memo.pdf" not in documents:
        pytest.skip("LibreOffice is not installed")
    pages = pdf_pages(documents["memo.pdf"])
    assert 1 <= len(pages) <= 2, len(pages)
    images = subprocess.run(["pdfimages", "-list", str(documents["memo.pdf"])], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert len(images) == 1 and images[0].split()[0] == "1", images
    # Each comment heading is on the same page as its signer's name.
    for heading, name in [("ความเห็นหัวหน้าสำนักปลัด", "(นางอิทธิยา จอมมงคล)"), ("ความเห็นปลัด อบต.บ้านโป่ง", "(นายสาธิต ปัญญารัตน์)"),
                          ("ความเห็นนายกองค์การบริหารส่วนตำบลบ้านโป่ง", "(นายสรารุช ชียนาม)")]:
        where = [i for i, p in enumerate(pages) if squash(heading) in squash(p)]
        assert where and squash(name) in squash(pages[where[0]]), (heading, where)
    # The emblem is drawn at the top left of the first page.
    prefix = os.path.join(SHOTS, "memo-page")
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(documents["memo.pdf"]), prefix], check=True)


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is installed by scripts/test.sh")
def test_report_pdf_tables_are_landscape_numbered_as_the_text_with_whole_words(documents):
    if "report.pdf" not in documents:
        pytest.skip("LibreOffice is not installed")
    path = documents["report.pdf"]
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(path)], capture_output=True, text=True, check=True).stdout
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)
    landscape = [i for i, (w, h) in enumerate(sizes) if float(w) > float(h)]
    assert landscape and len(landscape) < len(sizes), "measures and OIT pages in landscape, the front in portrait"
    pages = pdf_pages(path)
    text = "\n".join(pages)
    assert not broken_words(text), broken_words(text)[:10]
    assert "ลำดับ" in text and "ผู้รับผิดชอบ" in text
    # Items as the text refers to them, O1 to O43, each in the landscape OIT table.
    oit = "\n".join(pages[i] for i in landscape)
    for n in range(1, 44):
        assert re.search(rf"(^|\s)O{n}(\s|$)", oit), f"O{n}"
    assert "เทศบาล" not in text, "no other agency type's word in an อบต. report"
    print(f"report: {len(pages)} pages, {len(landscape)} in landscape")


def test_memo_docx_carries_the_garuda_picture(documents):
    """The DOCX's picture read back with Python's own zlib: a PNG, dark in the middle, light in the corners."""
    import struct
    import zlib
    with zipfile.ZipFile(documents["memo.docx"]) as z:
        png = z.read("word/media/garuda.png")
        rels = z.read("word/_rels/document.xml.rels").decode()
        types = z.read("[Content_Types].xml").decode()
        body = z.read("word/document.xml").decode()
    assert 'Target="media/garuda.png"' in rels and 'Extension="png"' in types and "<wp:inline" in body and 'descr="ตราครุฑ"' in body
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        data = png[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", data[:10])
            assert (depth, colour) == (8, 0)
        elif kind == b"IDAT":
            idat += data
        pos += 12 + length
    raw = zlib.decompress(idat)
    rows = [raw[r * (width + 1) + 1:(r + 1) * (width + 1)] for r in range(height)]
    dark = sum(1 for row in rows for v in row if v < 128) / (width * height)
    assert 0.15 < dark < 0.7, dark
    assert rows[height // 2][width // 2] < 128, "the body is drawn"
    assert all(rows[y][x] > 200 for y, x in [(0, 0), (0, width - 1), (height - 1, 0), (height - 1, width - 1)]), "corners are blank"


def test_html_print_view(documents):
    html = documents["report.html"].read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and 'lang="th"' in html
    assert "<script" not in html
    for title in MEASURE_TITLES:
        assert title in html


def test_improvement_pages_in_the_browser(browser, server):
    sign_in(browser, server, "officer")
    browser.get(server["url"] + "/agencies/banpong/2566/analysis")
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "ตัวชี้วัดที่ 4" in body and "จุดอ่อน" in body
    assert GUIDANCE_4 in browser.find_element(By.ID, "guidance-4").get_attribute("value")
    shot(browser, "analysis")
    browser.get(server["url"] + "/agencies/banpong/2566/measures")
    body = browser.find_element(By.TAG_NAME, "body").text
    for title in MEASURE_TITLES:
        assert title in body
    assert browser.find_element(By.CSS_SELECTOR, "[data-testid=overall]").text == "100%"
    shot(browser, "measures")
    shot(browser, "measures-phone", width=390)
    browser.get(server["url"] + "/agencies/banpong/2566/documents")
    assert "บันทึกข้อความ" in browser.find_element(By.TAG_NAME, "body").text
    shot(browser, "documents")
    browser.get(server["url"] + "/agencies/banpong/2566/documents/print")
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "95.35" in body and "☑" in body
    shot(browser, "print-view")


def test_last_year_typed_in_gives_the_analysis_and_chart(browser):
    """On a server of its own: the officer types FY2565's published scores into the analysis page."""
    from conftest import start_server

    proc, url, accounts = start_server()
    try:
        server = {"url": url, "accounts": accounts}
        sign_in(browser, server, "officer")
        browser.get(url + "/agencies/banpong/2566/analysis")
        scores = {"iit": "93.10", "eit1": "90", "eit2": "80.5", "oit": "96.25",
                  "ind:1": "95", "ind:2": "90.5", "ind:3": "92", "ind:4": "80.25", "ind:5": "96",
                  "ind:6": "88", "ind:7": "91", "ind:8": "79.5", "ind:9": "97", "ind:10": "95.5"}
        for key, value in scores.items():
            browser.find_element(By.ID, "ly-" + key).send_keys(value)
        browser.find_element(By.CSS_SELECTOR, "#last-year button[type=submit]").click()
        # Wait for the redirect back to the page, or the old page's body goes stale under us.
        WebDriverWait(browser, 10).until(lambda d: "saved=1" in d.current_url)
        body = browser.find_element(By.TAG_NAME, "body").text
        assert "ปีงบประมาณ 2565" in body
        weak = browser.find_element(By.CSS_SELECTOR, "[data-testid=weak]").text
        assert "ตัวชี้วัดที่ 4" in weak and "ตัวชี้วัดที่ 8" in weak and "ตัวชี้วัดที่ 1 " not in weak
        charts = browser.find_elements(By.CSS_SELECTOR, ".chart-wrap svg")
        assert len(charts) == 2
        assert "2565" in charts[0].get_attribute("innerHTML") and "93.10" in charts[0].get_attribute("innerHTML")
        shot(browser, "analysis-two-years")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
