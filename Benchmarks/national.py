"""Generates a national round in PostgreSQL for `Benchmarks/national.sh`: agencies, a round, assessments,
1.35 million released survey answers (and their counts, derived from the answers by PostgreSQL), every OIT
item judged, and last year's published scores. Prints the SQL on stdout; psql runs it.

    python3 national.py FRAMEWORK.json --agencies 8300 --responses 1350000 --fiscal-year 2568
"""
import argparse, json, sys

p = argparse.ArgumentParser()
p.add_argument("framework")
p.add_argument("--agencies", type=int, default=8300)
p.add_argument("--responses", type=int, default=1_350_000)
p.add_argument("--fiscal-year", type=int, default=2568)
a = p.parse_args()
fw = json.load(open(a.framework))

parts = []  # (part id, questions [(id, scale)])
items = []
for tool in fw["tools"]:
    if tool["kind"] == "survey":
        questions = [(q["id"], q["scale"]) for ind in tool["indicators"] for q in ind["questions"]]
        for part in tool["parts"]:
            parts.append((part, questions))
    else:
        items += [it["id"] for ind in tool["indicators"] for sub in ind["subindicators"] for it in sub["items"]]

# Respondents per agency and part: staff (the first part) fewer than service users.
per_agency = a.responses / a.agencies
weights = [1] + [2] * (len(parts) - 1)
counts = [round(per_agency * w / sum(weights)) for w in weights]
counts[-1] += round(per_agency) - sum(counts)
total = sum(counts) * a.agencies

def answer(qid, scale):
    points = fw["scales"][scale]["points"]
    if isinstance(points, dict):  # yes-no: mostly "no" (the honest answer to most such questions)
        return f"'{qid}', CASE WHEN random() < 0.12 THEN 'yes' ELSE 'no' END"
    n = len(points)
    # Skewed to the top of the scale, now and then unanswered (null is dropped by json_strip_nulls).
    return f"'{qid}', CASE WHEN random() < 0.03 THEN NULL ELSE {n} - floor(random() * random() * {n})::int END"

fy, prev = a.fiscal_year, a.fiscal_year - 1
out = sys.stdout.write
out("\\set ON_ERROR_STOP on\nSET synchronous_commit = off;\nBEGIN;\n")
out(f"""
INSERT INTO agencies (id, code, name_th, name_en, short_th, short_en, type, province, district, website, created_at, ministry)
SELECT 'ag-' || n, 'ag' || lpad(n::text, 5, '0'), 'หน่วยงาน ' || n, 'Agency ' || n, 'หน่วยงาน ' || n, 'Agency ' || n,
       (ARRAY['อบต.','เทศบาลตำบล','เทศบาลเมือง','อบจ.','กรม','มหาวิทยาลัย'])[1 + n % 6],
       'จังหวัด ' || (1 + n % 77), '', '', '2025-01-01T00:00:00Z',
       (ARRAY['มหาดไทย','ศึกษาธิการ','สาธารณสุข','การคลัง','เกษตรและสหกรณ์'])[1 + n % 5]
FROM generate_series(1, {a.agencies}) n;
INSERT INTO rounds (id, fiscal_year, framework_id, title, created_at) VALUES ('national-{fy}', {fy}, '{fw["id"]}', 'ITA {fy} ระดับประเทศ', '2025-01-01T00:00:00Z');
INSERT INTO round_agencies (round_id, agency_id) SELECT 'national-{fy}', 'ag-' || n FROM generate_series(1, {a.agencies}) n;
INSERT INTO assessments (id, agency_id, framework_id, fiscal_year, created_at)
SELECT 'as-' || n, 'ag-' || n, '{fw["id"]}', {fy}, '2025-01-01T00:00:00Z' FROM generate_series(1, {a.agencies}) n;
INSERT INTO assessments (id, agency_id, framework_id, fiscal_year, created_at)
SELECT 'prev-' || n, 'ag-' || n, '{fw["id"]}', {prev}, '2024-01-01T00:00:00Z' FROM generate_series(1, {a.agencies}) n;
""")
for part in [p for p, _ in parts] + [t["id"] for t in fw["tools"] if t["kind"] != "survey"]:
    out(f"""INSERT INTO assessment_results (assessment_id, result_key, score, source, updated_at)
SELECT 'prev-' || n, '{part}', (7000 + floor(random() * 3000))::int / 100.0, 'published', '2024-10-01T00:00:00Z' FROM generate_series(1, {a.agencies}) n;
""")
out(f"""INSERT INTO oit_item_results (assessment_id, item_id, passed, progress, note, updated_at)
SELECT 'as-' || n, item, CASE WHEN random() < 0.93 THEN 1 ELSE 0 END, 'done', '', '2025-06-01T00:00:00Z'
FROM generate_series(1, {a.agencies}) n, unnest(ARRAY[{", ".join("'" + i + "'" for i in items)}]) item;
COMMIT;
""")
for (part, questions), count in zip(parts, counts):
    pairs = ", ".join(answer(q, s) for q, s in questions)
    out(f"""\\echo answers: {part}, {count} per agency
INSERT INTO survey_responses (id, assessment_id, part_id, submitted_on, answers)
SELECT md5(n || '/{part}/' || r), 'as-' || n, '{part}', '2025-03-' || lpad((1 + r % 28)::text, 2, '0'), json_strip_nulls(json_build_object({pairs}))::text
FROM generate_series(1, {a.agencies}) n, generate_series(1, {count}) r;
""")
out("""\\echo counting the answers (as the release does)
INSERT INTO survey_tallies (assessment_id, part_id, question_id, answer, n)
SELECT assessment_id, part_id, kv.key, kv.value, count(*) FROM survey_responses, jsonb_each_text(answers::jsonb) kv GROUP BY 1, 2, 3, 4;
INSERT INTO survey_days (assessment_id, part_id, day, n)
SELECT assessment_id, part_id, submitted_on, count(*) FROM survey_responses GROUP BY 1, 2, 3;
ANALYZE;
""")
print(f"-- {a.agencies} agencies, {total} responses", file=sys.stderr)
