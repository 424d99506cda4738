"""The final report as Markdown (CommonMark with GitHub tables).

Every text that comes from the auditor, the company profile or the protocol is escaped, so a
note such as ``<script>alert(1)</script>`` or ``**bold**`` shows as typed, never as markup. Only
what Markdown would interpret is escaped, so the raw file stays readable: ``-2 kits short`` in
the middle of a line, ``snake_case`` or ``2 * 3`` are left as they are.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable

from auditkit.export.report import ElementLine, QuestionLine, Report
from auditkit.export.trail import EvidenceLine
from auditkit.text import printable

# Characters that may start inline markup: a backslash escape, code, emphasis, strikethrough,
# raw HTML or an autolink, an entity, the end of a link text, a table cell's edge. Each is
# looked at in its context by ``_inline_mark``.
INLINE = re.compile(r"\\|`|\*+|_+|~+|<|&|\]|\|")
ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});")
# Text that would start a block at the start of a line or list item: an ATX heading, a quote,
# a list item, a link reference definition, dashes alone (a thematic break, even with the "- "
# of the list item they follow).
BLOCK_START = re.compile(r"#{1,6}(?=\s|$)|[>\[]|[-+*](?=\s|$)|-[-\s]*$")
ORDERED_START = re.compile(r"(\d{1,9})([.)])(?=\s|$)")
# A closing sequence of an ATX heading (`` #`` at the end), which a heading would drop.
HEADING_END = re.compile(r"(^|\s)(#+)$")
# Anything the patterns above or whitespace folding could change; most text has none.
NEEDS_WORK = re.compile(r"[\\`*_~<&\]|\t\n\r\f\v]|  |^\s|\s$")
PUNCTUATION = frozenset(string.punctuation)
HTML_START = frozenset(string.ascii_letters + "/!?")
BAR_WIDTH = 20


def _inline_mark(text: str, cell: bool) -> Callable[[re.Match[str]], str]:
    """The replacement function for :data:`INLINE` over ``text``."""

    def fix(match: re.Match[str]) -> str:
        found, start, end = match.group(), match.start(), match.end()
        before = text[start - 1] if start else ""  # "": the edge of the text, context unknown
        after = text[end] if end < len(text) else ""
        mark = found[0]
        if mark in "*_~":
            # A run can open or close emphasis unless whitespace is on both sides (or, for
            # "_", a letter or digit on both sides: snake_case).
            if before.isspace() and after.isspace():
                return found
            if mark == "_" and before.isalnum() and after.isalnum():
                return found
            return "".join("\\" + c for c in found)
        escape = {
            "\\": not after or after in PUNCTUATION,  # "\*" would hide the star
            "`": True,
            "<": not after or after in HTML_START,  # "a < b" stays, "<b>" is a tag
            "&": ENTITY.match(text, start) is not None,  # "R&D" stays, "&amp;" is an entity
            "]": after in ("", "(", "["),  # "[text](url)" is a link
            "|": cell,
        }[mark]
        return "\\" + found if escape else found

    return fix


def esc(text: object, start: bool = False, cell: bool = False) -> str:
    """Escape ``text`` for Markdown, on one line (tables and list items cannot span lines).

    ``start``: the text begins a line or a list item, where ``# ``, ``> ``, ``- ``, ``1. ``
    would start a block; ``cell``: the text is a table cell, where ``|`` ends the cell.
    """
    text = str(text)
    if not NEEDS_WORK.search(text) and not (start and _starts_block(text)):
        return text
    flat = " ".join(text.split())
    out = INLINE.sub(_inline_mark(flat, cell), flat)
    if start and _starts_block(out):
        ordered = ORDERED_START.match(out)
        out = f"{ordered[1]}\\{out[len(ordered[1]) :]}" if ordered else "\\" + out
    return out


def _starts_block(text: str) -> bool:
    return bool(BLOCK_START.match(text) or ORDERED_START.match(text))


def esc_heading(text: object) -> str:
    """Escape ``text`` as the rest of a heading line (after ``## 3 ``)."""
    return HEADING_END.sub(r"\1\\\2", esc(text))


def table(head: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    """A GitHub table; cells are escaped here."""
    lines = [
        "| " + " | ".join(esc(h, cell=True) for h in head) + " |",
        "|" + "|".join("---" for _ in head) + "|",
    ]
    lines += ["| " + " | ".join(esc(c, cell=True) for c in row) + " |" for row in rows]
    return [*lines, ""]


EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(element: ElementLine) -> str:
    """The bar to the exact score in eighths of a character, rounded down, so a bar below a
    pass mark never reaches the mark's column (77.7 % stops short of 80 %)."""
    eighths = int(min(max(element.percent or 0.0, 0.0), 100.0) * BAR_WIDTH * 8 // 100)
    full, part = divmod(eighths, 8)
    partial = EIGHTHS[part] if part else ""
    return "█" * full + partial + "░" * (BAR_WIDTH - full - len(partial))


def ruler(report: Report) -> str:
    """A line under the bars with ``^`` at each pass mark's column."""
    cells = [" "] * (BAR_WIDTH + 1)
    for mark in (report.overall_mark, report.element_mark):
        if mark is not None:
            cells[mark * BAR_WIDTH // 100] = "^"
    return "".join(cells).rstrip()


def chart(report: Report) -> list[str]:
    """A text bar chart in a code block (no escaping inside one: backticks are dropped)."""
    mark = f"pass mark {report.overall_mark} % overall"
    if report.element_mark is not None:
        mark += f", {report.element_mark} % per element"
    lines = ["```text"]
    for e in report.elements:
        title = f"{e.number:>2} {e.title}".replace("`", "'")[:42]
        lines.append(f"{title:<44} {bar(e)} {e.shown:>8}")
    scale = f"each █ is {100 // BAR_WIDTH} %, drawn to the exact score"
    return [*lines, f"{'':<44} {ruler(report)}", f"{'':<44} ^ {mark}; {scale}", "```", ""]


def question(q: QuestionLine) -> list[str]:
    facts = [f"**{esc(q.points)}**", esc(q.component)]
    if q.methods:
        facts.append(esc(q.methods))
    if q.reference:
        facts.append(esc(q.reference))
    lines = [f"**{esc(q.id)}** {esc(q.text)}  ", " · ".join(facts), ""]
    for a in q.answers:
        who = f"{esc(a.subject, start=True)}: " if a.subject else ""
        note = f" — {esc(a.note)}" if a.note else ""
        lines.append(f"- {who}{esc(a.value, start=not who)}{note}")
    lines += [evidence(item) for item in q.evidence]
    lines = [*lines, ""] if q.answers or q.evidence else lines
    for part in q.parts:  # a criterion: each technique's finding under it
        lines += ["> " + line if line else ">" for line in question(part)] + [""]
    return lines


def evidence(item: EvidenceLine) -> str:
    """A list item: ``Evidence (Yard): kit.jpg — “caption” · 12.3 kB · SHA-256 1a2b…``."""
    who = f" ({esc(item.subject)})" if item.subject else ""
    caption = f" — “{esc(item.caption)}”" if item.caption else ""
    return (
        f"- Evidence{who}: **{esc(item.filename)}**{caption} · {esc(item.size)} · "
        f"SHA-256 `{item.short_sha}`"
    )


def amendments(report: Report) -> list[str]:
    """The changes made since finalizing; nothing for an audit not finalized."""
    if not report.finalized:
        return []
    if not report.amendments:
        return [
            "## Amendments",
            "",
            f"No change since the audit was finalized on {esc(report.finalized)}.",
            "",
        ]
    return [
        "## Amendments",
        "",
        *table(
            ("When", "Who", "What changed", "Reason"),
            [(a.at, a.author, a.change, a.reason) for a in report.amendments],
        ),
    ]


def evidence_appendix(report: Report) -> list[str]:
    """Every evidence file with the answers it supports and its full SHA-256."""
    out = ["## Appendix: evidence files", ""]
    if not report.evidence:
        return [*out, "No evidence files are attached to this audit.", ""]
    count = len(report.evidence)
    out += [
        f"{count} file{'s' if count > 1 else ''}, stored in the audit file; the export "
        f"bundle holds each as `evidence/<first 12 digits of its SHA-256>-<name>`.",
        "",
    ]
    return out + table(
        ("File", "Size", "Supports", "SHA-256"),
        [(f.filename, f.size, "; ".join(f.supports), f.sha256) for f in report.evidence],
    )


def render(report: Report) -> bytes:
    """The report as UTF-8 Markdown."""
    out: list[str] = [f"# {esc_heading(report.title)}", ""]
    if report.draft:
        out += [f"> **{esc(report.draft_note)}**", ""]
    out += table(("", ""), [(k, v) for k, v in report.cover if v])
    out += [
        "## Executive summary",
        "",
        esc(report.statement, start=True),
        "",
        f"**Result: {esc(report.verdict)}.** " + " ".join(esc(r) for r in report.reasons),
        "",
    ]
    out += ["### Strengths", ""]
    out += [f"- {esc(s, start=True)}" for s in report.strengths] or ["- None recorded yet."]
    out += ["", "### Highest-priority improvements", ""]
    for n, imp in enumerate(report.improvements, 1):
        out += [
            f"{n}. **{esc(imp.question)}** (element {esc(imp.element)})",
            f"   - Deficiency: {esc(imp.deficiency)}",
            f"   - Corrective action: {esc(imp.action)}",
            f"   - Benefit: {esc(imp.benefit)}",
        ]
    if not report.improvements:
        out.append("No question has lost points.")
    out += ["", "## Scope and method", ""]
    out += table(
        ("What", "Done", "Required"), [(r.what, r.done, r.required or "—") for r in report.scope]
    )
    out += ["## Element scores", ""]
    out += table(
        ("#", "Element", "Points", "Score", "Minimum", "Status", "Answered"),
        [
            (
                str(e.number),
                e.title,
                f"{e.awarded} / {e.possible}",
                e.shown,
                f"{e.minimum} %" if e.minimum is not None else "—",
                e.status,
                e.answered,
            )
            for e in report.elements
        ],
    )
    out += chart(report)
    out += ["## Questions", ""]
    for e in report.elements:
        out += [f"### {e.number} {esc_heading(e.title)}", ""]
        for q in e.questions:
            out += question(q)
    out += ["## Incident review", ""]
    out += table(("Figure", "Count"), list(report.incidents))
    out += ["## Training recommendations", ""]
    out += (
        table(
            ("Course", "Provider", "Why", "Questions"),
            [
                (r.title, r.provider, r.reason, ", ".join(r.questions) or "—")
                for r in report.recommendations
            ],
        )
        if report.recommendations
        else ["No training recommended.", ""]
    )
    out += amendments(report)
    out += ["## Auditor sign-off", "", f"{esc(report.status, start=True)}.", ""]
    for auditor in report.auditors or ("",):
        out += [
            f"- Auditor: {esc(auditor) or '______________'} — Signature: ______________ "
            f"— Date: __________"
        ]
    out += ["", *evidence_appendix(report), "---", ""]
    if report.draft:
        out += [f"**{esc(report.draft_note)}**  "]
    out += [f"{esc(report.footer, start=True)} · generated {esc(report.generated)}", ""]
    # Control characters from stored text would reach a terminal that shows the file.
    return printable("\n".join(out)).encode()
