"""The runner's right pane: the current question, its answer, note and the other subjects'."""

from __future__ import annotations

import io
from dataclasses import dataclass

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from auditkit.protocol.model import Element, Question
from auditkit.rules.catalogue import load_catalogue
from auditkit.store.records import AnswerRow, Evidence, Subject, file_size
from auditkit.tui.labels import KIND_NAMES, answer_word, count, mark, note_preview
from auditkit.tui.safe import assemble, plain
from auditkit.tui.widgets.mechanics import MechanicsState, render_mechanics

# The other subjects listed under a question: an audit of 1,700 sites laid out 1,700 rows on
# every move (a second each); the first ones and a count say enough.
OTHERS_SHOWN = 40
INCIDENT_FLAG_NAMES = (
    ("reportable", "reportable"),
    ("reported_to_ohs", "reported to OHS"),
    ("investigated", "investigated"),
    ("actions_closed", "actions closed"),
)
METHOD_NAMES = {
    "documentation": "documents",
    "interview": "interview",
    "observation": "observation",
}


@dataclass(frozen=True)
class QuestionState:
    """Everything the pane shows about one question, for one subject."""

    question: Question
    element: Element
    subject: Subject | None  # the subject answers go to; None if not chosen or not needed
    subject_text: str
    answer: AnswerRow | None
    pending: bool
    digits: str
    others: list[tuple[str, AnswerRow | None]]  # other subjects: their line and answer
    files: tuple[Evidence, ...] = ()  # evidence attached to this answer
    mechanics: MechanicsState | None = None  # its criterion's parts, a cascade (issue 11)
    sfi: str = ""  # the item's suggestion for improvement, if written
    carried: str = ""  # the follow-up of last audit's action on this item
    proposed_na: str = ""  # why N/A is proposed (an incident of a type it cannot apply to)


class QuestionView(Static):
    """Renders a :class:`QuestionState`."""

    DEFAULT_CSS = """
    QuestionView { padding: 0 1; }
    """

    state: QuestionState | None = None
    renderable_shown: RenderableType = Text("")

    def show(self, state: QuestionState | None) -> None:
        """Show ``state``; the same state again (a save of another question) costs nothing,
        as an update re-lays out the pane."""
        if state is not None and state == self.state:
            return
        self.state = state
        self.renderable_shown = (
            render_state(state) if state else Text("No question here.", style="dim")
        )
        self.update(self.renderable_shown)

    def plain_text(self, width: int = 100) -> str:
        """What the pane says, without styles (for tests and screen readers)."""
        console = Console(width=width, record=True, file=io.StringIO())
        console.print(self.renderable_shown)
        return console.export_text()


def course_titles(course_ids: tuple[str, ...]) -> str:
    """Course titles for the auditor (the ids are for the protocol's authors)."""
    courses = load_catalogue()
    return "; ".join(courses[c].title if c in courses else c for c in course_ids)


def render_state(state: QuestionState) -> RenderableType:
    q = state.question
    facts = [
        f"{state.element.number} {state.element.title}",
        f"part of criterion {q.criterion}" if q.criterion else count(q.points, "point"),
        ""
        if q.criterion
        else q.scoring
        if q.scoring == "range"
        else f"all-or-nothing at {q.threshold} %",
        ", ".join(METHOD_NAMES.get(m, m) for m in q.methods),
        "yes-no indicator" if q.yes_no else "",
        "N/A allowed" if q.na else "N/A not allowed",
    ]
    parts: list[RenderableType] = [
        assemble((q.id, "bold reverse"), "  ", (" · ".join(f for f in facts if f), "dim")),
        Text(""),
        plain(q.text, style="bold"),
    ]
    if q.guidance:
        parts += [Text(""), assemble(("What to look for  ", "bold dim"), q.guidance)]
    refs = [
        (label, value)
        for label, value in (
            ("Reference", q.reference),
            ("Courses", course_titles(q.training)),
            ("Asked of", ", ".join(r.replace("_", " ") for r in q.roles)),
        )
        if value
    ]
    if refs:
        parts += [
            Text(""),
            Text("   ").join(assemble((f"{label}  ", "bold dim"), value) for label, value in refs),
        ]
    if state.mechanics is not None:
        parts += [Text(""), render_mechanics(state.mechanics)]
    parts += [Text(""), _answer_block(state)]
    if state.others:
        parts += [Text(""), _others_table(q, state.others)]
    return Group(*parts)


def _answer_block(state: QuestionState) -> RenderableType:
    q = state.question
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    if q.per_subject:
        kind = KIND_NAMES.get(q.subject, q.subject)
        who = (
            plain(state.subject_text)
            if state.subject_text
            else Text(f"no {kind} chosen (s to choose)", style="yellow")
        )
        grid.add_row(kind.capitalize(), who)
        if state.subject is not None and state.subject.kind == "incident":
            _incident_rows(grid, state.subject)
    value = state.answer.value if state.answer else None
    glyph, colour = mark(value, state.pending)
    status = (
        Text(" saving…", style="cyan")
        if state.pending
        else Text(" saved", style="green")
        if value is not None
        else Text("")
    )
    grid.add_row("Answer", assemble((glyph + " ", colour), answer_word(q, value), status))
    if state.proposed_na and value is None and not state.pending:
        grid.add_row("", Text(f"Proposed: N/A ({state.proposed_na}) — press a", style="yellow"))
    if state.digits:
        grid.add_row(
            "Points", Text(f"{state.digits}_  (Enter to record, of {q.points})", style="bold cyan")
        )
    note = state.answer.note if state.answer else ""
    grid.add_row("Note", plain(note) if note else Text("none (e to write one)", style="dim"))
    grid.add_row("Files", _files(state) if state.files else Text("none (f to attach)", style="dim"))
    if state.sfi:
        grid.add_row("SFI", Text(state.sfi))
    if state.carried:
        grid.add_row("Last audit", Text(state.carried, style="yellow"))
    return grid


def _incident_rows(grid: Table, subject: Subject) -> None:
    """The record under review: what happened, why, and its flags (the auditor judges the
    questions against it)."""
    fields = subject.fields
    for label, key in (("What happened", "description"), ("Root cause", "root_cause")):
        text = str(fields.get(key) or "")
        grid.add_row(label, plain(text) if text else Text("not recorded", style="dim"))
    flags = [
        f"{name} {'yes' if fields.get(key) else 'no'}"
        for key, name in INCIDENT_FLAG_NAMES
        if key != "reported_to_ohs" or fields.get("reportable")
    ]
    grid.add_row("Record", Text(" · ".join(flags), style="dim"))


def _files(state: QuestionState) -> Text:
    """One line per attached file: name, size and caption."""
    lines = [
        assemble(
            item.filename,
            (f"  {file_size(item.size)}", "dim"),
            (f"  {item.caption}" if item.caption else "", "italic"),
        )
        for item in state.files
    ]
    lines.append(Text("O opens one in the viewer, F removes one", style="dim"))
    return Text("\n").join(lines)


def _others_table(question: Question, others: list[tuple[str, AnswerRow | None]]) -> Table:
    table = Table(
        title=f"Every {KIND_NAMES.get(question.subject, question.subject)}",
        title_justify="left",
        box=None,
        padding=(0, 1),
        expand=True,
    )
    table.add_column("", width=1, no_wrap=True)
    table.add_column("Subject", no_wrap=True, ratio=4, min_width=24, overflow="ellipsis")
    table.add_column("Answer", no_wrap=True)
    table.add_column("Note", ratio=3, no_wrap=True, overflow="ellipsis")
    for line, row in others[:OTHERS_SHOWN]:
        value = row.value if row else None
        glyph, colour = mark(value)
        table.add_row(
            Text(glyph, style=colour),
            plain(line),
            plain(answer_word(question, value)),
            plain(note_preview(row)),
        )
    if len(others) > OTHERS_SHOWN:
        answered = sum(1 for _, row in others[OTHERS_SHOWN:] if row and row.value is not None)
        table.add_row(
            "",
            Text(f"… and {len(others) - OTHERS_SHOWN} more ({answered} answered)", style="dim"),
            "",
            "",
        )
    return table
