"""kpitool report: the document model, its drafted commentary (golden), and the HTML file.

The Word and Excel files are checked in tests/test_report_office.py; the HTML in a real browser
at the end of this file (skipped only where no Chromium is installed).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES
from kpitool.cli import app
from kpitool.commentary import change_phrase, commentary
from kpitool.document import ReportDocument, build_document, period_words
from kpitool.models import CompareOptions
from kpitool.project import open_catalogue, run_comparison
from kpitool.render.html import render_html

GOLDEN = Path(__file__).parent / "golden"
AS_AT = "Data as at 30 April 2024"
SVG = "{http://www.w3.org/2000/svg}"


def example_document(monkeypatch: pytest.MonkeyPatch) -> ReportDocument:
    monkeypatch.chdir(EXAMPLES)
    catalogue = open_catalogue(Path("kpitool.toml"))
    report = run_comparison([], catalogue, CompareOptions())
    return build_document(report, catalogue, as_at=AS_AT)


def commentary_text(doc: ReportDocument) -> str:
    lines = []
    for s in doc.sections:
        lines += [f"## {s.title}", ""]
        for e in s.entries:
            lines += [" ".join(e.commentary), ""]
    return "\n".join(lines)


def test_commentary_of_the_example_is_pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every sentence was checked by hand against the example's figures (and the published report's)."""
    text = commentary_text(example_document(monkeypatch))
    path = GOLDEN / "commentary.txt"
    if os.environ.get("KPITOOL_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_commentary_says_what_the_published_report_says(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = example_document(monkeypatch)
    rows = {e.comparison.measure: e for s in doc.sections for e in s.entries}
    answer = " ".join(rows["Average answer time for 999 calls (seconds)"].commentary)
    # "the average answer time for a 999 call during Q4 2023/24 was 10.3 seconds which is a reduction
    # of 2.3 seconds compared to Q3 ... a reduction of 4.3 seconds ... to the baseline"
    assert "In 2023/24 Q4 it was 10.3 seconds, a decrease of 2.3 seconds (-18.3%) compared with 2023/24 Q3" in answer
    assert "a decrease of 4.3 seconds (-22.9%) compared with the baseline of 18.7 seconds in 2022/23" in answer
    assert "improving, as lower is better" in answer
    calls = " ".join(rows["999 calls"].commentary)
    assert "a decrease of 2,347 (-8.9%) compared with 2023/24 Q3" in calls and "(+5.1%)" in calls
    assert "not assessed as better or worse" in calls  # neutral polarity: no verdict
    homicide = " ".join(rows["Homicide"].commentary)
    assert "small numbers (7 and 5): a change of this size can be chance alone" in homicide
    assert "small numbers" not in " ".join(rows["Fatal"].commentary)  # 15 and 20: not small by the comparison's rule
    rate = " ".join(rows["Resolved rate"].commentary)
    assert "a decrease of 1.1 percentage points" in rate and "level, assessed as stable" in rate


def test_commentary_never_gives_a_cause(monkeypatch: pytest.MonkeyPatch) -> None:
    text = commentary_text(example_document(monkeypatch)).lower()
    for word in ("because", "due to", "attributed", "as a result", "caused", "driven by", "reflects"):
        assert word not in text


def test_commentary_of_part_years_and_missing_baselines(write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "q.csv",
        "measure,period,value\nCalls,2022/23,400\nCalls,2023/24 Q1,90\nCalls,2023/24 Q2,80\nNew,2023/24 Q1,5\n"
        "Rate,2022/23 Q1,10%\nRate,2023/24 Q1,12%\nRate,2023/24 Q2,12%\n",
    )
    report = run_comparison([path], None, CompareOptions())
    by = {c.measure: c for c in report.comparisons}
    calls = " ".join(commentary(by["Calls"]))
    assert "no change or direction of travel is given" in calls.lower() and "covers Q1–Q2 2023/24 only" in calls
    assert "There is no 2022/23 baseline value" in " ".join(commentary(by["New"]))
    projected = run_comparison([path], None, CompareOptions(pro_rata=True))
    text = " ".join(commentary(next(c for c in projected.comparisons if c.measure == "Calls")))
    assert "projected to 340" in text and "a projection from part of the year, not a measured value" in text


def test_change_phrases() -> None:
    assert change_phrase(5412, 5.056, "count") == "an increase of 5,412 (+5.1%)"
    assert change_phrase(-1.1, None, "percent") == "a decrease of 1.1 percentage points"
    assert change_phrase(1.0, None, "percent") == "an increase of 1.0 percentage point"
    assert change_phrase(0.04, 0.01, "count") == "no change"
    assert change_phrase(-1200, -10, "currency") == "a decrease of £1,200 (-10.0%)"


def test_period_in_words() -> None:
    assert period_words("2023/24") == "2023/24 (1 April 2023 to 31 March 2024)"
    assert period_words("2024 Q1", "january") == "2024 Q1 (1 January 2024 to 31 March 2024)"
    assert period_words("12m to 2023-06") == "12m to 2023-06 (1 July 2022 to 30 June 2023)"
    assert period_words("2023/24", latest="2023/24 Q2") == "2023/24 Q1–Q2 (1 April 2023 to 30 September 2023)"
    assert period_words("2023/24", latest="2023/24 Q4") == "2023/24 (1 April 2023 to 31 March 2024)"


def test_notes_are_numbered_once_and_reading_notes_go_to_the_method(write) -> None:  # type: ignore[no-untyped-def]
    path = write("d.csv", "measure,period,value\nA,2022/23,100\nA,2023/24,120\nB,2023/24,30\nC,2023/24,40\n")
    doc = build_document(run_comparison([path], None, CompareOptions()), None, as_at=AS_AT)
    entries = {e.comparison.measure: e for s in doc.sections for e in s.entries}
    assert doc.notes == ["No baseline value for 2022/23."]
    assert entries["B"].notes == entries["C"].notes == [1] and entries["A"].notes == []
    assert not any(n.startswith("Not in a catalogue") for n in doc.notes)
    assert any(n.startswith("Not in a catalogue") and n.endswith(": A, B, C.") for n in doc.method)
    many = write("many.csv", "measure,period,value\nM0,2022/23,1\n" + "".join(f"M{i},2023/24,{i}\n" for i in range(20)))
    doc = build_document(run_comparison([many], None, CompareOptions()), None, as_at=AS_AT)
    (reading,) = [n for n in doc.method if n.startswith("Not in a catalogue")]
    assert reading.endswith(": M0, M1, M2, M3, M4, M5, M6, M7, M8, M9, M10, M11 and 8 more.")


# -- HTML ----------------------------------------------------------------------------------------
class Outline(HTMLParser):
    """What the tests look at: elements in order, table structure, cell texts, external references."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.cells: list[str] = []
        self.texts: list[str] = []
        self._cell: list[str] | None = None
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in ("meta", "line", "circle", "polyline", "br", "img"):
            self.stack.append(tag)
        if tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append("".join(self._cell).strip())
            self._cell = None
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.texts.append(data)
        if self._cell is not None:
            self._cell.append(data)


def outline(text: str) -> Outline:
    parser = Outline()
    parser.feed(text)
    parser.close()
    return parser


def test_html_is_one_file_with_real_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = example_document(monkeypatch)
    page = outline(render_html(doc))
    tags = [t for t, _ in page.tags]
    assert tags.count("table") == tags.count("caption") == len(doc.sections) == 14
    assert tags.count("h1") == 1 and tags.count("h2") == len(doc.sections) + 3  # contents, method, notes
    # nothing fetched: no script, no stylesheet link, no image or reference to another address
    assert "script" not in tags and "link" not in tags and "img" not in tags
    for _, attrs in page.tags:
        for name in ("src", "href"):
            value = attrs.get(name)
            assert value is None or value.startswith("#"), value
    header_cells = [a for t, a in page.tags if t == "th"]
    assert {a.get("scope") for a in header_cells} == {"col", "row"}
    assert sum(a.get("scope") == "row" for a in header_cells) == len(doc.comparison.comparisons)
    # every chart has a text alternative that lists its values
    svgs = [a for t, a in page.tags if t == "svg"]
    assert svgs and all(a.get("role") == "img" and a.get("aria-labelledby") for a in svgs)
    assert tags.count("title") == len(svgs) + 1 and tags.count("desc") == len(svgs)
    text = "".join(page.texts)
    assert "999 calls, by quarter: Q1 31,539; Q2 30,694; Q3 26,284; Q4 23,937." in text
    # every link inside the page lands on an element with that id
    ids = {a["id"] for _, a in page.tags if a.get("id")}
    assert all(a["href"][1:] in ids for t, a in page.tags if t == "a" and a.get("href"))


def test_html_cells_carry_words_not_symbols_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    page = outline(render_html(example_document(monkeypatch)))
    assert page.cells
    for cell in page.cells:
        assert cell.strip("↑↓↔ ") or not cell, cell
    assert "↑ up" in page.cells and "worsening" in page.cells and "+5.1%" in page.cells
    text = "".join(page.texts)
    assert "Key performance indicator report, Q4 2023/24" in text
    assert "2023/24 (1 April 2023 to 31 March 2024), against the baseline 2022/23" in text
    assert AS_AT in text and "Source: Durham Constabulary" in text


def test_html_escapes_every_value(write) -> None:  # type: ignore[no-untyped-def]
    name = '<script>alert("x")</script> & [x] \x1b]0;title\x07'
    quoted = name.replace('"', '""')
    path = write(
        "bad.csv", f'section,measure,period,value\n<b>S</b>,"{quoted}",2022/23,1\n<b>S</b>,"{quoted}",2023/24,2\n'
    )
    doc = build_document(run_comparison([path], None, CompareOptions()), None, as_at=AS_AT)
    page = render_html(doc)
    assert "<script>" not in page and "<b>" not in page and "\x1b" not in page and "\x07" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; [x]" in page
    parsed = outline(page)
    assert parsed.stack == []  # every element opened is closed: the names did not break the markup


def test_report_command_writes_atomically_and_refuses_to_overwrite(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(EXAMPLES)
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", "--baseline", "2022/23", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stderr == f"wrote {out}\n" and result.stdout == ""
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    again = runner.invoke(app, ["report", "-o", str(out)])
    assert again.exit_code == 2 and again.stderr == f"kpitool: error: {out} exists; use --force to overwrite it\n"
    assert runner.invoke(app, ["report", "-o", str(out), "--force", "--section", "Call data"]).exit_code == 0
    assert "Call data" in out.read_text(encoding="utf-8") and "Road casualties" not in out.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]  # no temporary file left


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "report.pdf"], "give --format html, docx or xlsx"),
        ([], "name the file to write with -o FILE"),
        (["-o", "r.html", "--baseline", "2019/20"], "no measure has a value for the baseline 2019/20"),
    ],
)
def test_report_usage_errors_are_one_line(
    args: list[str], message: str, runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(EXAMPLES)
    result = runner.invoke(app, ["report", *[str(tmp_path / a) if a.startswith("r") else a for a in args]])
    assert result.exit_code == 2 and message in result.stderr and result.stderr.count("\n") == 1
    assert "Traceback" not in result.output


def test_report_takes_every_option_of_compare() -> None:
    """The shared option definitions: whatever compare gains (--method, say) report must take too."""
    import typer.main

    command = typer.main.get_command(app)
    params = {name: {p.name for p in command.commands[name].params} for name in ("compare", "report")}  # type: ignore[attr-defined]
    assert params["compare"] - {"output_format"} <= params["report"]


def test_help_does_not_load_the_document_libraries() -> None:
    code = (
        "import sys; from kpitool.cli import app; from typer.testing import CliRunner;"
        " CliRunner().invoke(app, ['--help']); CliRunner().invoke(app, ['report', '--help']);"
        " print(sorted(m for m in sys.modules if m.split('.')[0] in ('docx', 'xlsxwriter', 'PIL', 'lxml')"
        " or m in ('kpitool.render.html', 'kpitool.document')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# -- in a real browser ------------------------------------------------------------------------------
CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser")) if p), None)


def _browser(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    return subprocess.run([CHROMIUM, *flags, *args], capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed")
def test_html_renders_in_a_browser_and_prints_to_a4(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(render_html(example_document(monkeypatch)), encoding="utf-8")
    url = page.as_uri()
    dom = _browser(tmp_path, "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr
    assert (
        dom.stdout.count("<table>") == 14 and dom.stdout.count("<svg") == 60
    )  # as the browser parsed it (CCTV Durham: one quarter, no chart)
    shot = tmp_path / "desktop.png"
    assert _browser(tmp_path, f"--screenshot={shot}", "--window-size=1280,2000", url).returncode == 0
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 50_000
    pdf = tmp_path / "report.pdf"
    assert _browser(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", url).returncode == 0
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    boxes = {tuple(round(float(x)) for x in m) for m in re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data)}
    assert boxes == {(595, 842)}  # A4 (in points), from the print stylesheet
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", data))
    assert 8 <= pages <= 30, pages


def test_commentary_figures_match_the_example_files_read_independently(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every quarter-on-quarter sentence of the example against the submissions, read with the csv
    module and computed here by hand: Q4 against Q3, the change and its percentage."""
    import csv
    from decimal import ROUND_HALF_UP, Decimal

    def rounded(x: float, places: int) -> str:
        q = Decimal(repr(x)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        return f"{q:,.{places}f}"

    values: dict[tuple[str, str, str], float] = {}
    for name in ("2023-24-q3.csv", "2023-24-q4.csv"):
        with open(EXAMPLES / "data" / name, encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                values[(row["section"], row["measure"], row["period"])] = float(row["value"])
    doc = example_document(monkeypatch)
    checked = 0
    for section in doc.sections:
        for entry in section.entries:
            c = entry.comparison
            q3, q4 = (
                values.get((section.title, c.measure, "2023/24 Q3")),
                values.get((section.title, c.measure, "2023/24 Q4")),
            )
            if q3 is None or q4 is None or c.unit not in ("count", "seconds") or c.aggregate == "last":
                continue
            places = 0 if c.unit == "count" else 1
            unit = " seconds" if c.unit == "seconds" else ""
            change = q4 - q3
            kind = "an increase" if change > 0 else "a decrease"
            pct = rounded(abs(change) / q3 * 100, 1)
            sign = "+" if change > 0 else "-"
            expected = (
                f"In 2023/24 Q4 it was {rounded(q4, places)}{unit}, {kind} of {rounded(abs(change), places)}{unit}"
                f" ({sign}{pct}%) compared with 2023/24 Q3 ({rounded(q3, places)}{unit})."
                if change
                else f"In 2023/24 Q4 it was {rounded(q4, places)}{unit}, the same as in 2023/24 Q3 ({rounded(q3, places)}{unit})."
            )
            assert expected in entry.commentary, (c.measure, entry.commentary)
            checked += 1
    assert checked >= 40


def test_a_chart_does_not_make_a_flat_series_look_like_a_plunge() -> None:
    from kpitool.render.charts import Panel, panel_scene
    from kpitool.render.plot import Circle, Text

    scene = panel_scene(Panel("Assault", "count", [("Q1", 82), ("Q2", 82), ("Q3", 81), ("Q4", 82)]))
    ys = [m.cy for m in scene.marks if isinstance(m, Circle)]
    ticks = [m for m in scene.marks if isinstance(m, Text) and m.anchor == "end"]
    top, bottom = min(t.y for t in ticks), max(t.y for t in ticks)
    assert len(ys) == 4 and (max(ys) - min(ys)) < 0.2 * (bottom - top)  # a fall of 1 in 82 is a small step
    assert all(t.text.replace(",", "").isdigit() for t in ticks)  # whole numbers for a count


def test_chart_ticks_are_round_and_labelled_with_the_decimals_they_need() -> None:
    from kpitool.render.charts import Panel, panel_scene
    from kpitool.render.plot import Text, nice_ticks

    assert nice_ticks(0, 10, 4).values == [0, 2.5, 5, 7.5, 10] and nice_ticks(0, 10, 4).places == 1
    assert nice_ticks(0, 1, 4).places == 2  # 0.25, 0.5, 0.75: two decimals, never "0.2" for 0.25
    assert nice_ticks(0, 10, 4, whole=True).values == [0, 3, 6, 9, 12]  # no 2.5 of a count
    assert nice_ticks(3, 3.4, 4, whole=True).values == [3, 4]
    # a count whose ticks would be 2.5 apart was labelled "0, 2, 5, 8" (a step of 2.5 shown without decimals)
    scene = panel_scene(Panel("Homicide", "count", [("Q1", 1), ("Q2", 7), ("Q3", 2), ("Q4", 0)]))
    labels = [m.text for m in scene.marks if isinstance(m, Text) and m.anchor == "end"]
    assert labels == ["0", "3", "6", "9"]
    scene = panel_scene(Panel("Detected", "percent", [("Q1", 10.0), ("Q2", 10.5), ("Q3", 10.25), ("Q4", 10.75)]))
    labels = [m.text for m in scene.marks if isinstance(m, Text) and m.anchor == "end"]
    assert labels == ["9.5%", "10.0%", "10.5%", "11.0%"]


def _svgs(html: str) -> list[ET.Element]:
    return [ET.fromstring(m) for m in re.findall(r"<svg.*?</svg>", html, re.S)]


def _texts(svg: ET.Element) -> list[str]:
    return [t.text or "" for t in svg.iter(f"{SVG}text")]


def test_a_month_against_a_month_charts_the_months_to_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A month (a quarter, a rolling year) against one of its length has no quarters of a year:
    its chart is its history, each point labelled with its period, the gap a break in the line."""
    monkeypatch.chdir(EXAMPLES / "police-uk")
    out = tmp_path / "r.html"
    args = ["report", "--baseline", "2022-11", "--current", "2022-12", "-o", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "No trend chart" not in html and html.count("Trend by month (") == 6
    svgs = _svgs(html)
    assert len(svgs) == 12  # every row of both forces
    for svg in svgs:
        assert (svg.findtext(f"{SVG}title") or "").endswith(": trend by month")
        labels = [t.text for t in svg.iter(f"{SVG}text") if t.get("text-anchor") == "middle"]  # the period axis
        assert labels[0] == "2022-04" and labels[-1] == "2022-12" and 2 <= len(labels) <= 4, labels
    cleveland, durham = svgs[0], svgs[6]
    desc = cleveland.findtext(f"{SVG}desc") or ""
    assert desc.startswith("ASB incidents, by month: 2022-04 30; ") and "2022-11 n/a; 2022-12 35." in desc
    assert len(cleveland.findall(f"{SVG}polyline")) == 2  # November missing: the line breaks, never bridged
    assert len(cleveland.findall(f"{SVG}circle")) == 8
    # the baseline (November's count, a point of the same kind) is the dashed line, labelled
    assert [ln.get("stroke-dasharray") for ln in durham.findall(f"{SVG}line")].count("4 3") == 1
    assert "2022-11" in _texts(durham) and (durham.findtext(f"{SVG}desc") or "").endswith("Baseline 2022-11: 45.")


def test_the_baseline_label_is_not_written_over_the_values() -> None:
    from kpitool.render.charts import REFERENCE, Panel, panel_scene
    from kpitool.render.plot import Circle, Text

    def label(points: list[tuple[str, float | None]]) -> tuple[Text, list[Circle]]:
        scene = panel_scene(Panel("Calls", "number", points, ("2022/23", 50.0)))
        (text,) = [m for m in scene.marks if isinstance(m, Text) and m.fill == REFERENCE]
        return text, [m for m in scene.marks if isinstance(m, Circle)]

    text, circles = label([("Q1", 10), ("Q2", 20), ("Q3", 30), ("Q4", 50)])  # ends on the line: the label at the start
    assert text.anchor == "start" and text.text == "2022/23"
    text, circles = label([("Q1", 50), ("Q2", 30), ("Q3", 20), ("Q4", 10)])  # starts on it: at the end
    assert text.anchor == "end"
    assert text.y < circles[-1].cy  # over the line, away from the last point under it


def test_a_year_at_its_first_quarter_charts_the_quarters_to_it(tmp_path: Path) -> None:
    from kpitool.periods import parse_period
    from kpitool.render.charts import panel_of

    data = tmp_path / "q.csv"
    quarters = [f"{y}/{(y + 1) % 100:02d} Q{q}" for y in (2022, 2023) for q in (1, 2, 3, 4)] + ["2024/25 Q1"]
    data.write_text("measure,period,value\n" + "".join(f"Calls,{p},{10 + i}\n" for i, p in enumerate(quarters)))
    options = CompareOptions(baseline=parse_period("2023/24"), current=parse_period("2024/25"))
    (row,) = run_comparison([data], None, options).comparisons
    panel = panel_of(row)  # one quarter of the year: the baseline year's quarters and it, instead of no chart
    assert panel.drawable and panel.grain == "quarter" and panel.points[0] == ("2023/24 Q1", 14)
    assert panel.points[-1] == ("2024/25 Q1", 18) and panel.reference is None  # a year's total is off the scale


def test_history_panels_of_quarters_and_rolling_years(tmp_path: Path) -> None:
    from kpitool.periods import parse_period
    from kpitool.render.charts import panel_of, panel_scene
    from kpitool.render.plot import Text

    data = tmp_path / "months.csv"
    months = [f"{2024 + (3 + i) // 12}-{(3 + i) % 12 + 1:02d}" for i in range(12)]
    lines = [f"Calls,{m},{100 + i}" for i, m in enumerate(months)] + [
        f"Rate,{m},{40 + i % 3}%" for i, m in enumerate(months)
    ]
    data.write_text("measure,period,value\n" + "\n".join(lines) + "\n", encoding="utf-8")
    options = CompareOptions(baseline=parse_period("2024/25 Q1"), current=parse_period("2024/25 Q4"))
    calls, rate = run_comparison([data], None, options).comparisons
    panel = panel_of(calls)  # a quarter of monthly data: its months, the quarter's total off their scale
    assert panel.grain == "month" and panel.points[0] == ("2024-04", 100) and panel.points[-1] == ("2025-03", 111)
    assert panel.reference is None
    assert panel_of(rate).reference == ("2024/25 Q1", pytest.approx(41.0))  # a mean is on the months' scale
    rolling = tmp_path / "rolling.csv"
    ends = ["2016/17", "12m to 2017-06", "12m to 2017-09", "12m to 2017-12", "2017/18", "12m to 2018-06"]
    rolling.write_text("measure,period,value\n" + "".join(f"Burglary,{p},{99 + i}\n" for i, p in enumerate(ends)))
    options = CompareOptions(baseline=parse_period("12m to 2017-06"), current=parse_period("12m to 2018-06"))
    (row,) = run_comparison([rolling], None, options).comparisons
    panel = panel_of(row)
    assert panel.grain == "rolling year" and [p for p, _ in panel.points] == ends
    assert panel.reference == ("12m to 2017-06", 100)  # a rolling year against one: on the same scale
    assert panel.alternative().startswith("Burglary, by rolling year, a quarter apart: 2016/17 99; ")
    scene = panel_scene(panel)
    labels = [m for m in scene.marks if isinstance(m, Text) and m.anchor == "middle"]
    assert [m.text for m in labels] == ["2016/17", "12m to 2018-06"]  # as many as fit, the first and the last
    assert all(m.x - len(m.text) * 5.5 / 2 >= 0 and m.x + len(m.text) * 5.5 / 2 <= scene.width for m in labels)


@pytest.mark.parametrize(
    ("method", "measure", "said"),
    [
        ("significance", "Fatal", "The change is not statistically significant at the 95% level (exact Poisson test)."),
        ("significance", "999 calls", "The change is statistically significant at the 95% level (exact Poisson test)."),
        ("spc", "999 calls", "On the control chart"),
    ],
)
def test_commentary_says_what_the_method_found(
    method: str, measure: str, said: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(EXAMPLES)
    catalogue = open_catalogue(Path("kpitool.toml"))
    report = run_comparison([], catalogue, CompareOptions(method=method))  # type: ignore[arg-type]
    c = next(c for c in report.comparisons if c.measure == measure)
    text = " ".join(commentary(c))
    if method == "spc" and c.spc is not None and c.spc.variation is None:
        assert "control chart" not in text  # too few points: the band drew the arrow, and the notes say so
    else:
        assert said in text


def test_direction_words_say_what_the_method_found(monkeypatch: pytest.MonkeyPatch) -> None:
    from kpitool.render.values import direction_words

    doc = example_document(monkeypatch)
    c = doc.sections[0].entries[0].comparison  # Police officers: down, worsening
    assert direction_words(c) == "↓ down"  # the assessment column says "worsening"
    assert direction_words(c.model_copy(update={"method": "significance", "direction": "level"})) == "↔ not significant"
    assert direction_words(c.model_copy(update={"method": "spc"})) == "↓ special cause"
    assert direction_words(c.model_copy(update={"direction": None})) == "n/a"


def test_spc_reports_embed_the_control_charts(tmp_path: Path) -> None:
    """Under --method spc, a measure with limits gets its XmR chart in the HTML, ids kept apart."""
    import re as _re

    lines = (
        ["measure,period,value"]
        + [
            f"Answer time,{2023 + (3 + i) // 12}-{(3 + i) % 12 + 1:02d},{v}"
            for i, v in enumerate([9, 11] * 8 + [15] + [13] * 7)
        ]
        + [f"Other,{2023 + (3 + i) // 12}-{(3 + i) % 12 + 1:02d},{v}" for i, v in enumerate([5, 6] * 12)]
    )
    data = tmp_path / "m.csv"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "r.html"
    args = ["report", str(data), "--baseline", "2023/24", "--method", "spc", "--format", "html", "-o", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "Control charts (XmR)" in html
    assert html.count('<figure class="spc">') == 2
    ids = _re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids))  # no two elements share an id


def test_a_row_named_total_is_no_total_totalled() -> None:
    from kpitool.commentary import TOTAL_RE

    assert TOTAL_RE.fullmatch("Total") and TOTAL_RE.fullmatch("Totals (Durham)")
    assert not TOTAL_RE.fullmatch("Total calls") and not TOTAL_RE.fullmatch("Subtotal")


def test_a_table_s_cells_ask_the_method_column_once_a_document(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whether a Method column is shown is the document's answer, found once: asked row by row over
    all rows, a 5,000-row report took 25 million looks."""
    from kpitool.render import tables

    doc = example_document(monkeypatch)
    looks = 0
    real = tables.method_of

    def counted(c: object) -> str | None:
        nonlocal looks
        looks += 1
        return real(c)  # type: ignore[arg-type]

    monkeypatch.setattr(tables, "method_of", counted)
    entries = [e for s in doc.sections for e in s.entries]
    for entry in entries:
        tables.entry_cells(doc, entry)
    rows = len(doc.comparison.comparisons)
    assert looks <= rows + 2 * len(entries)  # once over the rows, then each row's own cell
