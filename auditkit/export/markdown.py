"""The final report as Markdown (CommonMark with GitHub tables).

Every text that comes from the auditor, the company profile or the protocol is escaped, so a
note such as ``<script>alert(1)</script>`` or ``**bold**`` shows as typed, never as markup.
"""

from __future__ import annotations

import re

from auditkit.export.report import ElementLine, QuestionLine, Report

# Characters that start inline markup anywhere in a line (raw HTML and entities included).
INLINE = re.compile(r"([\\`*_\[\]<>&|~])")
# Text that would start a block (heading, list, quote, rule) when at the start of a line.
BLOCK_START = re.compile(r"^(\s*)([#>+=-])")
ORDERED_START = re.compile(r"^(\s*\d+)([.)])(?=\s|$)")
# Anything the two patterns above or whitespace folding would change; most text has none.
NEEDS_WORK = re.compile(r"[\\`*_\[\]<>&|~\t\n\r\f\v]|  |^\s|\s$|^[#>+=-]|^\d+[.)](?:\s|$)")
BAR_WIDTH = 20


def esc(text: object) -> str:
    """Escape ``text`` for Markdown, on one line (tables and list items cannot span lines)."""
    text = str(text)
    if not NEEDS_WORK.search(text):
        return text
    flat = " ".join(text.split())
    flat = INLINE.sub(r"\\\1", flat)
    flat = BLOCK_START.sub(r"\1\\\2", flat)
    return ORDERED_START.sub(r"\1\\\2", flat)


def table(head: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    """A GitHub table; cells are escaped here."""
    lines = ["| " + " | ".join(esc(h) for h in head) + " |",
             "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def bar(element: ElementLine) -> str:
    filled = round((element.percent or 0) * BAR_WIDTH / 100)
    return "█" * filled + "░" * (BAR_WIDTH - filled)


def chart(report: Report) -> list[str]:
    """A text bar chart in a code block (no escaping inside one: backticks are dropped)."""
    mark = f"pass mark {report.overall_mark} % overall"
    if report.element_mark is not None:
        mark += f", {report.element_mark} % per element"
    lines = ["```text"]
    for e in report.elements:
        title = f"{e.number:>2} {e.title}".replace("`", "'")[:42]
        lines.append(f"{title:<44} {bar(e)} {e.shown:>8}")
    return [*lines, f"{'':<44} {mark}", "```", ""]


def question(q: QuestionLine) -> list[str]:
    facts = [f"**{esc(q.points)}**", esc(q.component)]
    if q.methods:
        facts.append(esc(q.methods))
    if q.reference:
        facts.append(esc(q.reference))
    lines = [f"**{esc(q.id)}** {esc(q.text)}  ", " · ".join(facts), ""]
    for a in q.answers:
        who = f"{esc(a.subject)}: " if a.subject else ""
        note = f" — {esc(a.note)}" if a.note else ""
        lines.append(f"- {who}{esc(a.value)}{note}")
    return [*lines, ""] if q.answers else lines


def render(report: Report) -> bytes:
    """The report as UTF-8 Markdown."""
    out: list[str] = [f"# {esc(report.title)}", ""]
    if report.draft:
        out += [f"> **{esc(report.draft_note)}**", ""]
    out += table(("", ""), [(k, v) for k, v in report.cover if v])
    out += ["## Executive summary", "", esc(report.statement), "",
            f"**Result: {esc(report.verdict)}.** " + " ".join(esc(r) for r in report.reasons), ""]
    out += ["### Strengths", ""]
    out += [f"- {esc(s)}" for s in report.strengths] or ["- None recorded yet."]
    out += ["", "### Highest-priority improvements", ""]
    for n, imp in enumerate(report.improvements, 1):
        out += [f"{n}. **{esc(imp.question)}** (element {esc(imp.element)})",
                f"   - Deficiency: {esc(imp.deficiency)}",
                f"   - Corrective action: {esc(imp.action)}",
                f"   - Benefit: {esc(imp.benefit)}"]
    if not report.improvements:
        out.append("No question has lost points.")
    out += ["", "## Scope and method", ""]
    out += table(("What", "Done", "Required"),
                 [(r.what, r.done, r.required or "—") for r in report.scope])
    out += ["## Element scores", ""]
    out += table(("#", "Element", "Points", "Score", "Minimum", "Status", "Answered"),
                 [(str(e.number), e.title, f"{e.awarded} / {e.possible}", e.shown,
                   f"{e.minimum} %" if e.minimum is not None else "—", e.status, e.answered)
                  for e in report.elements])
    out += chart(report)
    out += ["## Questions", ""]
    for e in report.elements:
        out += [f"### {e.number} {esc(e.title)}", ""]
        for q in e.questions:
            out += question(q)
    out += ["## Incident review", ""]
    out += table(("Figure", "Count"), list(report.incidents))
    out += ["## Training recommendations", ""]
    out += table(("Course", "Provider", "Why", "Questions"),
                 [(r.title, r.provider, r.reason, ", ".join(r.questions) or "—")
                  for r in report.recommendations]) if report.recommendations \
        else ["No training recommended.", ""]
    out += ["## Auditor sign-off", ""]
    if report.finalized:
        out += [f"Finalized {esc(report.finalized)}.", ""]
    for auditor in report.auditors or ("",):
        out += [f"- Auditor: {esc(auditor) or '______________'} — Signature: ______________ "
                f"— Date: __________"]
    out += ["", "---", ""]
    if report.draft:
        out += [f"**{esc(report.draft_note)}**  "]
    out += [f"{esc(report.footer)} · generated {esc(report.generated)}", ""]
    return "\n".join(out).encode()
