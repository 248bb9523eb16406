"""An OIT list kept in Excel becomes a framework file: openpyxl (an independent writer) makes the sheet."""
import json
import os
import subprocess
import tempfile

from openpyxl import Workbook

from conftest import BIN


def test_xlsx_sheet_into_framework():
    folder = tempfile.mkdtemp(prefix="prongsai-oit-")
    framework = os.path.join(folder, "ita-2570.json")
    made = subprocess.run([BIN, "framework", "new", "--from", "ita-2566", "--id", "ita-2570", "--fiscal-year", "2570", "--output", framework],
                          capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    book = Workbook()
    sheet = book.active
    sheet.title = "รายการ OIT"
    sheet.append(["indicator", "indicator_name", "subindicator", "subindicator_name", "topic", "item", "title", "components"])
    for n in range(1, 27):
        sub = "9.1" if n <= 10 else "9.2" if n <= 20 else "10.1"
        topic = "การจัดซื้อจัดจ้างหรือการจัดหาพัสดุ" if 15 <= n <= 20 else ""
        # Components one per line in the cell (Alt+Enter in Excel); a number cell for the indicator.
        sheet.append([int(sub.split(".")[0]), "การเปิดเผยข้อมูล", sub, f"ตัวชี้วัดย่อย {sub}", topic, f"O{n}", f"ข้อมูลข้อที่ {n}",
                      f"องค์ประกอบแรกของข้อ {n}\nองค์ประกอบที่สองของข้อ {n}"])
    path = os.path.join(folder, "oit.xlsx")
    book.save(path)
    applied = subprocess.run([BIN, "framework", "import-oit", path, "--into", framework], capture_output=True, text=True)
    assert applied.returncode == 0, applied.stderr
    assert "26 items in 3 sub-indicators" in applied.stdout
    document = json.load(open(framework, encoding="utf-8"))
    oit = next(t for t in document["tools"] if t["kind"] == "checklist")
    subs = {s["id"]: s for i in oit["indicators"] for s in i["subindicators"]}
    assert [i["id"] for i in oit["indicators"]] == ["9", "10"]
    assert len(subs["9.2"]["items"]) == 10
    assert subs["9.2"]["topics"] == [{"name": {"th": "การจัดซื้อจัดจ้างหรือการจัดหาพัสดุ", "en": "การจัดซื้อจัดจ้างหรือการจัดหาพัสดุ"},
                                      "items": ["O15", "O16", "O17", "O18", "O19", "O20"]}]
    assert subs["10.1"]["items"][0]["components"] == ["องค์ประกอบแรกของข้อ 21", "องค์ประกอบที่สองของข้อ 21"]
    valid = subprocess.run([BIN, "framework", "validate", framework], capture_output=True, text=True)
    assert "26 checklist items" in valid.stdout
    # A row without its sub-indicator: refused by row, the file left as it was.
    sheet.cell(row=9, column=3).value = None
    book.save(path)
    before = open(framework, encoding="utf-8").read()
    refused = subprocess.run([BIN, "framework", "import-oit", path, "--into", framework], capture_output=True, text=True)
    assert refused.returncode == 1 and refused.stdout == ""
    assert "row 9, subindicator: subindicator is empty" in refused.stderr
    assert open(framework, encoding="utf-8").read() == before
