"""The final report as one self-contained HTML page: no network, printable, chart as inline SVG.

Every text is escaped with :func:`html.escape`, so auditor notes and profile fields show as
typed. Printing puts the footer (protocol, SHA-256, auditkit version), the page number and, for
a draft, the DRAFT line on every page through ``@page`` margin boxes.
"""

from __future__ import annotations

import base64
from html import escape

from auditkit.export.report import ElementLine, QuestionLine, Report
from auditkit.export.trail import EvidenceLine, is_photo, photo_type
from auditkit.text import printable

CSS = """
:root { --ink: #1d2733; --muted: #5b6675; --line: #d5dbe3; --ok: #2e7d4f; --bad: #b3261e;
        --none: #9aa4b1; --accent: #1f4e79; }
* { box-sizing: border-box; }
body { font: 11pt/1.45 "Segoe UI", "Helvetica Neue", Arial, sans-serif; color: var(--ink);
       margin: 0 auto; max-width: 60rem; padding: 2rem 2rem 4rem; }
h1 { font-size: 1.7rem; color: var(--accent); margin: 0 0 .3rem; }
h2 { font-size: 1.3rem; color: var(--accent); border-bottom: 2px solid var(--accent);
     padding-bottom: .2rem; margin-top: 2rem; }
h3 { font-size: 1.1rem; margin: 1.4rem 0 .4rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left;
         vertical-align: top; }
th { background: #eef2f7; }
td.num, th.num { text-align: right; white-space: nowrap; }
.cover td:first-child { width: 12rem; font-weight: 600; background: #f6f8fb; }
.draft { border: 2px solid var(--bad); color: var(--bad); font-weight: 700; padding: .5rem .8rem;
         margin: 1rem 0; }
.verdict { font-weight: 700; font-size: 1.1rem; }
.pass { color: var(--ok); } .fail { color: var(--bad); }
.q { border-top: 1px solid var(--line); padding: .5rem 0; break-inside: avoid; }
.q .id { font-weight: 700; margin-right: .4rem; }
.q .facts { color: var(--muted); font-size: .92em; }
.q .points { font-weight: 700; color: var(--ink); }
.q .parts { margin-left: 1.2em; border-left: 2px solid #d0d6de; padding-left: 0.6em; }
.q ul { margin: .3rem 0 0; padding-left: 1.3rem; }
.q .note { color: var(--muted); }
.q .evidence { color: var(--muted); list-style: square; }
.q .evidence strong { color: var(--ink); font-weight: 600; }
.q .evidence .sha { white-space: nowrap; }
code, .evidence-files td:last-child { font-family: Consolas, "DejaVu Sans Mono", monospace;
                                      font-size: .85em; }
.evidence-files td:last-child { overflow-wrap: anywhere; width: 40%; }
.status { font-weight: 600; }
.improvement dt { font-weight: 700; margin-top: .6rem; }
.improvement dd { margin-left: 1rem; }
.signoff td { height: 2.4rem; }
.photo { margin: .5rem 0 .3rem 1.3rem; break-inside: avoid; }
.photo img { max-width: min(100%, 26rem); max-height: 18rem; display: block;
             border: 1px solid var(--line); }
.photo figcaption { color: var(--muted); font-size: .9em; margin-top: .2rem; }
.chart { width: 100%; height: auto; break-inside: avoid; }
footer { color: var(--muted); font-size: .8em; border-top: 1px solid var(--line);
         margin-top: 2rem; padding-top: .4rem; overflow-wrap: anywhere; }
@page { size: letter; margin: 18mm 15mm 20mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  h2 { break-after: avoid; }
  h3 { break-after: avoid; }
  .new-page { break-before: page; }
  tr { break-inside: avoid; }
}
"""

CHART_ROW = 26
CHART_LABEL = 300
CHART_BAR = 360


def e(text: object) -> str:
    return escape(str(text), quote=True)


def css_string(text: str) -> str:
    """A quoted CSS string; anything but plain characters as a hex escape (no ``</style>``)."""
    safe = "".join(c if c.isalnum() or c in " .,:;-_()%/" else f"\\{ord(c):x} " for c in text)
    return f'"{safe}"'


def page_css(report: Report) -> str:
    """Running header and footer of every printed page."""
    muted = "font: 7pt Arial, sans-serif; color: #5b6675;"
    rules = [
        f"@bottom-left {{ content: {css_string(report.footer)}; {muted} }}",
        f'@bottom-right {{ content: "Page " counter(page) " of " counter(pages); {muted} }}',
    ]
    if report.draft:
        rules.append(
            f"@top-center {{ content: {css_string(report.draft_note)}; "
            f"font: 700 9pt Arial, sans-serif; color: #b3261e; }}"
        )
    return "@page { " + " ".join(rules) + " }"


def table(
    head: tuple[str, ...],
    rows: list[tuple[str, ...]],
    css: str = "",
    numeric: frozenset[int] = frozenset(),
) -> str:
    def cells(tag: str, row: tuple[str, ...]) -> str:
        return "".join(
            f"<{tag}{' class=num' if i in numeric else ''}>{e(c)}</{tag}>"
            for i, c in enumerate(row)
        )

    head_html = f"<thead><tr>{cells('th', head)}</tr></thead>" if any(head) else ""
    body = "".join(f"<tr>{cells('td', row)}</tr>" for row in rows)
    return f'<table class="{css}">{head_html}<tbody>{body}</tbody></table>'


def bar_colour(element: ElementLine) -> str:
    if element.percent is None:
        return "#9aa4b1"
    return "#b3261e" if element.status == "Below minimum" else "#2e7d4f"


def chart(report: Report) -> str:
    """Horizontal bars per element (0-100 %), dashed lines at the pass marks."""
    height = CHART_ROW * len(report.elements) + 40
    width = CHART_LABEL + CHART_BAR + 70
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="Element scores against the pass '
        f'marks" font-family="Arial, sans-serif" font-size="12">'
    ]
    for i, el in enumerate(report.elements):
        y = 10 + i * CHART_ROW
        label = f"{el.number} {el.title}"
        label = label if len(label) <= 44 else label[:43] + "…"
        size = (el.percent or 0) * CHART_BAR / 100
        parts.append(
            f'<text x="{CHART_LABEL - 8}" y="{y + 15}" text-anchor="end">'
            f"<title>{e(el.title)}</title>{e(label)}</text>"
            f'<rect x="{CHART_LABEL}" y="{y + 3}" width="{CHART_BAR}" height="16" '
            f'fill="#eef2f7"/>'
            f'<rect x="{CHART_LABEL}" y="{y + 3}" width="{size:.1f}" height="16" '
            f'fill="{bar_colour(el)}"/>'
            f'<text x="{CHART_LABEL + CHART_BAR + 6}" y="{y + 15}">{e(el.shown)}</text>'
        )
    bottom = 10 + len(report.elements) * CHART_ROW
    marks = [(report.overall_mark, f"pass {report.overall_mark} %", "#1f4e79")]
    if report.element_mark is not None:
        marks.append((report.element_mark, f"element minimum {report.element_mark} %", "#b3261e"))
    for value, text, colour in marks:
        x = CHART_LABEL + value * CHART_BAR / 100
        parts.append(
            f'<line x1="{x:.1f}" y1="6" x2="{x:.1f}" y2="{bottom}" stroke="{colour}" '
            f'stroke-width="1.5" stroke-dasharray="4 3"/>'
            f'<text x="{x:.1f}" y="{bottom + 16}" text-anchor="middle" '
            f'fill="{colour}">{e(text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


class Photos:
    """Photos shown under their question as ``data:`` URIs (the page stays one file); each
    file is encoded once however many answers it supports."""

    def __init__(self, report: Report) -> None:
        self.blob = report.blob
        self.encoded: dict[str, str] = {}
        self.count = 0

    def figure(self, item: EvidenceLine) -> str:
        """The photo of ``item`` with its caption, or "" when it is no image a browser shows."""
        if not is_photo(item):
            return ""
        uri = self.encoded.get(item.sha256)
        if uri is None:
            data = self.blob(item.sha256)
            mime = photo_type(data)
            uri = f"data:{mime};base64,{base64.b64encode(data).decode()}" if mime else ""
            self.encoded[item.sha256] = uri
        if not uri:
            return ""
        self.count += 1
        who = f" ({item.subject})" if item.subject else ""
        caption = f"Photo {self.count}{who}: {item.caption or item.filename}"
        return (
            f'<figure class="photo"><img src="{uri}" alt="{e(item.caption or item.filename)}">'
            f"<figcaption>{e(caption)}</figcaption></figure>"
        )


def question(q: QuestionLine, photos: Photos | None = None) -> str:
    facts = [f'<span class="points">{e(q.points)}</span>', e(q.component)]
    facts += [e(x) for x in (q.methods, q.reference) if x]
    answers = "".join(
        f"<li>{e(a.subject) + ': ' if a.subject else ''}<strong>{e(a.value)}</strong>"
        f"{' — <span class=note>' + e(a.note) + '</span>' if a.note else ''}</li>"
        for a in q.answers
    ) + "".join(evidence(item) for item in q.evidence)
    figures = "".join(photos.figure(item) for item in q.evidence) if photos else ""
    parts = "".join(question(part, photos) for part in q.parts)  # a criterion's techniques
    return (
        f'<div class="q"><div><span class="id">{e(q.id)}</span>{e(q.text)}</div>'
        f'<div class="facts">{" · ".join(facts)}</div>'
        f"{'<ul>' + answers + '</ul>' if answers else ''}{figures}"
        f"{'<div class=parts>' + parts + '</div>' if parts else ''}</div>"
    )


def evidence(item: EvidenceLine) -> str:
    """A list item under the answers: ``Evidence (Yard): kit.jpg — “caption” · size · SHA``."""
    who = f" ({e(item.subject)})" if item.subject else ""
    caption = f" — “{e(item.caption)}”" if item.caption else ""
    return (
        f'<li class="evidence">Evidence{who}: <strong>{e(item.filename)}</strong>{caption}'
        f' · <span class="sha">{e(item.size)} · SHA-256 <code>{e(item.short_sha)}</code>'
        f"</span></li>"
    )


def amendments(report: Report) -> list[str]:
    """The changes made since finalizing; nothing for an audit not finalized."""
    if not report.finalized:
        return []
    if not report.amendments:
        return [
            "<h2>Amendments</h2>",
            f"<p>No change since the audit was finalized on {e(report.finalized)}.</p>",
        ]
    return [
        "<h2>Amendments</h2>",
        table(
            ("When", "Who", "What changed", "Reason"),
            [(a.at, a.author, a.change, a.reason) for a in report.amendments],
            "amendments",
        ),
    ]


def evidence_appendix(report: Report) -> list[str]:
    """Every evidence file with the answers it supports and its full SHA-256."""
    out = ['<h2 class="new-page">Appendix: evidence files</h2>']
    if not report.evidence:
        return [*out, "<p>No evidence files are attached to this audit.</p>"]
    count = len(report.evidence)
    out.append(
        f"<p>{count} file{'s' if count > 1 else ''}, stored in the audit file; the "
        f"export bundle holds each as <code>evidence/&lt;first 12 digits of its "
        f"SHA-256&gt;-&lt;name&gt;</code>.</p>"
    )
    out.append(
        table(
            ("File", "Size", "Supports", "SHA-256"),
            [(f.filename, f.size, "; ".join(f.supports), f.sha256) for f in report.evidence],
            "evidence-files",
            frozenset({1}),
        )
    )
    return out


def summary(report: Report) -> list[str]:
    css = "pass" if report.verdict.startswith("PASS") else "fail"
    out = [
        "<h2>Executive summary</h2>",
        f"<p>{e(report.statement)}</p>",
        f'<p><span class="verdict {css}">{e(report.verdict)}</span> '
        f"{' '.join(e(r) for r in report.reasons)}</p>",
        "<h3>Strengths</h3>",
    ]
    items = "".join(f"<li>{e(s)}</li>" for s in report.strengths)
    out.append(f"<ul>{items}</ul>" if items else "<p>None recorded yet.</p>")
    out.append("<h3>Highest-priority improvements</h3>")
    if not report.improvements:
        out.append("<p>No question has lost points.</p>")
    for n, imp in enumerate(report.improvements, 1):
        out.append(
            f'<dl class="improvement"><dt>{n}. Question {e(imp.question)} — element '
            f"{e(imp.element)}</dt><dd><strong>Deficiency:</strong> {e(imp.deficiency)}"
            f"</dd><dd><strong>Corrective action:</strong> {e(imp.action)}</dd>"
            f"<dd><strong>Benefit:</strong> {e(imp.benefit)}</dd></dl>"
        )
    return out


def render(report: Report) -> bytes:
    """The report as one UTF-8 HTML document."""
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(report.title)}</title><style>{CSS}{page_css(report)}</style></head>",
        "<body>",
    ]
    out.append(f"<h1>{e(report.title)}</h1>")
    if report.draft:
        out.append(f'<p class="draft">{e(report.draft_note)}</p>')
    out.append(table(("", ""), [(k, v) for k, v in report.cover if v], "cover"))
    out += summary(report)
    out.append('<h2 class="new-page">Scope and method</h2>')
    out.append(
        table(
            ("What", "Done", "Required"),
            [(r.what, r.done, r.required or "—") for r in report.scope],
            "",
            frozenset({1, 2}),
        )
    )
    out.append("<h2>Element scores</h2>")
    out.append(
        table(
            ("#", "Element", "Points", "Score", "Minimum", "Status", "Answered"),
            [
                (
                    str(x.number),
                    x.title,
                    f"{x.awarded} / {x.possible}",
                    x.shown,
                    f"{x.minimum} %" if x.minimum is not None else "—",
                    x.status,
                    x.answered,
                )
                for x in report.elements
            ],
            "elements",
            frozenset({0, 2, 3, 4, 6}),
        )
    )
    out.append(chart(report))
    out.append('<h2 class="new-page">Questions</h2>')
    photos = Photos(report)
    for el in report.elements:
        out.append(f"<h3>{el.number} {e(el.title)} — {e(el.shown)}</h3>")
        out += [question(q, photos) for q in el.questions]
    out.append('<h2 class="new-page">Incident review</h2>')
    out.append(table(("Figure", "Count"), list(report.incidents), "", frozenset({1})))
    out.append("<h2>Training recommendations</h2>")
    out.append(
        table(
            ("Course", "Provider", "Why", "Questions"),
            [
                (r.title, r.provider, r.reason, ", ".join(r.questions) or "—")
                for r in report.recommendations
            ],
        )
        if report.recommendations
        else "<p>No training recommended.</p>"
    )
    out += amendments(report)
    out.append("<h2>Auditor sign-off</h2>")
    out.append(f'<p class="status">{e(report.status)}.</p>')
    out.append(
        table(
            ("Auditor", "Signature", "Date"),
            [(a, "", "") for a in report.auditors or ("",)],
            "signoff",
        )
    )
    out += evidence_appendix(report)
    draft = f"<strong>{e(report.draft_note)}</strong><br>" if report.draft else ""
    out.append(f"<footer>{draft}{e(report.footer)} · generated {e(report.generated)}</footer>")
    out.append("</body></html>")
    # Control characters from stored text shown escaped (a browser hides them, a terminal obeys).
    return printable("\n".join(out)).encode()
