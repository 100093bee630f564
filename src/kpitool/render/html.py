"""The report as one self-contained HTML file: inline CSS and SVG, nothing fetched.

Real table markup (a caption, header cells with their scope), charts with a text alternative,
words beside every arrow and colour never alone, and a print stylesheet for A4. Every value from
the data or the catalogue is escaped.
"""

from __future__ import annotations

from html import escape

from kpitool import __version__
from kpitool.document import MeasureEntry, ReportDocument, ReportSection
from kpitool.render.charts import NO_TREND, panel_of, reference_note, svg_panel, trend_caption
from kpitool.render.safe import visible
from kpitool.render.tables import NUMERIC_FROM, caption, entry_cells, note_marks, table_headers

CSS = """
:root { --ink: #1b1b1b; --muted: #505a5f; --rule: #b1b4b6; --head: #f3f2f1; --link: #1d4f91;
        --improving: #00703c; --worsening: #d4351c; --stable: #505a5f; }
* { box-sizing: border-box; }
body { font-family: Arial, "Helvetica Neue", Helvetica, sans-serif; color: var(--ink); margin: 0 auto;
       max-width: 1180px; padding: 24px 32px 48px; line-height: 1.45; font-size: 16px; }
header.cover { border-bottom: 4px solid var(--link); padding-bottom: 12px; margin-bottom: 24px; }
header.cover .org { font-size: 1.1rem; font-weight: bold; margin: 0; color: var(--muted); }
h1 { font-size: 2rem; margin: 4px 0 12px; }
h2 { font-size: 1.5rem; margin: 36px 0 12px; border-top: 1px solid var(--rule); padding-top: 16px; }
h3 { font-size: 1.15rem; margin: 20px 0 8px; }
.meta { margin: 2px 0; color: var(--muted); }
a { color: var(--link); }
nav ol { columns: 2; column-gap: 48px; padding-left: 2.2em; }
nav h2 { border-top: none; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 0.9rem; }
caption { text-align: left; font-weight: bold; padding: 4px 0 8px; font-size: 1rem; }
th, td { border: 1px solid var(--rule); padding: 5px 7px; vertical-align: top; }
thead th { background: var(--head); text-align: right; font-weight: bold; }
thead th:first-child, thead th.text { text-align: left; }
tbody th { text-align: left; font-weight: normal; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.dir { white-space: nowrap; }
td.assess { white-space: nowrap; font-weight: bold; border-left-width: 5px; }
td.improving { color: var(--improving); border-left-color: var(--improving); }
td.worsening { color: var(--worsening); border-left-color: var(--worsening); }
td.stable { color: var(--stable); }
.note-ref { font-size: 0.8em; white-space: nowrap; }
.table-wrap { overflow-x: auto; }
.table-wrap:focus { outline: 3px solid #ffdd00; }
@media (max-width: 900px) {
  body { padding: 16px; }
  table { font-size: 0.8rem; }
  th, td { padding: 4px 5px; }
}
.panels { display: flex; flex-wrap: wrap; gap: 8px 16px; margin: 0; padding: 0; }
figure { margin: 0; }
figure.trend > figcaption { font-weight: bold; margin: 8px 0; }
figure.panel { border: 1px solid var(--rule); padding: 4px 6px 0; break-inside: avoid; }
figure.panel figcaption { font-size: 0.8rem; max-width: 230px; min-height: 2.4em; }
.commentary p { margin: 0 0 10px; max-width: 75ch; }
ol.notes li, ul.method li { margin-bottom: 6px; max-width: 90ch; }
footer { margin-top: 40px; color: var(--muted); font-size: 0.85rem; border-top: 1px solid var(--rule); padding-top: 8px; }
@page { size: A4; margin: 15mm 12mm 16mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  h1 { font-size: 20pt; }
  h2 { font-size: 14pt; margin-top: 14pt; }
  main > section:first-child h2, #method h2 { break-before: page; }
  h2, h3, caption, figure.trend > figcaption { break-after: avoid; }
  table { font-size: 7.5pt; }
  th, td { padding: 2px 4px; }
  thead { display: table-header-group; }
  tr, figure.trend, figure.panel, .commentary p { break-inside: avoid; }
  .commentary p { max-width: none; }
  a { color: inherit; text-decoration: none; }
  .table-wrap { overflow: visible; }
  nav ol { columns: 1; }
  .panels { gap: 2mm 3mm; }
  figure.panel { padding: 1mm 1.5mm 0; }
  figure.panel figcaption { max-width: 40mm; font-size: 7pt; }
  figure.panel svg { width: 40mm; height: auto; }
}
"""


def _e(text: str) -> str:
    """Escaped for HTML text and attributes; control characters written out, never emitted raw."""
    return escape(visible(text), quote=True)


def _notes_html(entry: MeasureEntry) -> str:
    marks = [
        f' <a class="note-ref" href="#note-{n}">{_e(mark)}</a>'
        for n, mark in zip(entry.notes, note_marks(entry), strict=True)
    ]
    return "".join(marks)


def _table(doc: ReportDocument, section: ReportSection) -> str:
    heads = table_headers(doc)
    direction = heads.index("Direction")
    last_numeric = direction - 1  # the figures end where the words (direction, assessment, method) begin
    text_class = ' class="text"'
    head_cells = "".join(
        f'<th scope="col"{text_class if i == 0 or i > last_numeric else ""}>{_e(h)}</th>' for i, h in enumerate(heads)
    )
    rows = []
    for entry in section.entries:
        cells = entry_cells(doc, entry)
        out = [f'<th scope="row">{_e(cells[0])}{_notes_html(entry)}</th>']
        for i, text in enumerate(cells[1:], start=1):
            if NUMERIC_FROM <= i <= last_numeric:
                out.append(f'<td class="num">{_e(text)}</td>')
            elif i == direction + 1:
                kind = entry.comparison.assessment.replace(" ", "-")
                out.append(f'<td class="assess {_e(kind)}">{_e(text)}</td>')
            else:
                out.append(f'<td class="dir">{_e(text)}</td>')
        rows.append("<tr>" + "".join(out) + "</tr>")
    # a narrow window scrolls the table, not the page; the region is focusable so a keyboard can scroll it
    return (
        f'<div class="table-wrap" role="region" aria-labelledby="{_e(section.anchor)}-c" tabindex="0">'
        f'<table><caption id="{_e(section.anchor)}-c">{_e(caption(doc, section))}</caption>'
        f"<thead><tr>{head_cells}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def _charts(section: ReportSection) -> str:
    figures, panels = [], []
    for i, entry in enumerate(section.entries):
        panel = panel_of(entry.comparison)
        if not panel.drawable:
            continue
        ident = f"chart-{section.anchor}-{i + 1}"
        panels.append(panel)
        figures.append(
            f'<figure class="panel"><figcaption>{_e(panel.title)}</figcaption>{svg_panel(panel, ident)}</figure>'
        )
    if not figures:
        return f'<p class="meta">{_e(NO_TREND)}</p>'
    return (
        f'<figure class="trend"><figcaption>{_e(trend_caption(panels))} (the figures are in the table above;'
        f" {_e(reference_note(panels))})</figcaption>"
        f'<div class="panels">{"".join(figures)}</div></figure>'
    )


def _control_charts(section: ReportSection) -> str:
    """Under --method spc, each measure's XmR chart (as `kpitool chart` draws it), where it has limits."""
    from kpitool.render.svg import CONTROL_NOTE, chart_svg, with_limits

    figures = [
        f'<figure class="spc">{chart_svg(e.comparison, chart, f"spc-{section.anchor}-{i + 1}")}</figure>'
        for i, e in enumerate(section.entries)
        if (chart := with_limits(e.comparison))
    ]
    if not figures:
        return ""
    return f'<h3>Control charts (XmR)</h3><p class="meta">{_e(CONTROL_NOTE)}</p>' + "".join(figures)


def _commentary(section: ReportSection) -> str:
    paragraphs = [f"<p>{_e(' '.join(e.commentary))}</p>" for e in section.entries]
    return f'<h3>Commentary</h3><div class="commentary">{"".join(paragraphs)}</div>'


def _section(doc: ReportDocument, section: ReportSection) -> str:
    return (
        f'<section id="{_e(section.anchor)}" aria-labelledby="{_e(section.anchor)}-h">'
        f'<h2 id="{_e(section.anchor)}-h">{_e(section.title)}</h2>'
        f"{_table(doc, section)}{_charts(section)}{_control_charts(section)}{_commentary(section)}</section>"
    )


def render_html(doc: ReportDocument) -> str:
    contents = "".join(f'<li><a href="#{_e(s.anchor)}">{_e(s.title)}</a></li>' for s in doc.sections)
    contents += '<li><a href="#method">Method</a></li>'
    if doc.notes or doc.skipped:
        contents += '<li><a href="#notes">Notes</a></li>'
    heading = _e(doc.subtitle or doc.title)
    org = f'<p class="org">{_e(doc.title)}</p>' if doc.subtitle else ""
    meta = "".join(f'<p class="meta">{_e(x)}</p>' for x in (doc.period, doc.as_at, f"Source: {doc.source}") if x)
    method = "".join(f"<li>{_e(n)}</li>" for n in [*doc.method, doc.drafted])
    notes = ""
    if doc.notes or doc.skipped:
        items = "".join(f'<li id="note-{i}">{_e(n)}</li>' for i, n in enumerate(doc.notes, start=1))
        notes = '<section id="notes" aria-labelledby="notes-h"><h2 id="notes-h">Notes</h2>'
        if items:
            notes += f'<ol class="notes">{items}</ol>'
        if doc.skipped:
            rows = "".join(f"<li>{_e(s)}</li>" for s in doc.skipped)
            notes += f'<h3>Input rows not read</h3><ul class="method">{rows}</ul>'
        notes += "</section>"
    return (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="kpitool {_e(__version__)}">\n'
        f"<title>{heading}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f'<header class="cover">{org}<h1>{heading}</h1>{meta}</header>\n'
        f'<nav id="contents" aria-labelledby="contents-h"><h2 id="contents-h">Contents</h2><ol>{contents}</ol></nav>\n'
        "<main>\n"
        + "\n".join(_section(doc, s) for s in doc.sections)
        + f'\n<section id="method" aria-labelledby="method-h"><h2 id="method-h">Method</h2>'
        f'<ul class="method">{method}</ul></section>\n{notes}\n</main>\n'
        f"<footer>Made with kpitool {_e(__version__)} from the files named above.</footer>\n</body>\n</html>\n"
    )
