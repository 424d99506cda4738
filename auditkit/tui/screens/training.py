"""Training recommendations: the engine's proposals, curated by the auditor."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from auditkit.audit import Audit
from auditkit.tui.dialogs.note import NoteDialog
from auditkit.tui.jobs import Read, Write
from auditkit.tui.keys import bindings
from auditkit.tui.labels import count
from auditkit.tui.safe import assemble, plain
from auditkit.tui.screens.base import AuditkitScreen
from auditkit.tui.widgets.footer import FittingFooter

STATUS_STYLE = {
    "proposed": ("?", "yellow"),
    "accepted": ("✔", "green"),
    "dropped": ("✘", "bright_black"),
    "added": ("+", "cyan"),
}


def _recommendations(audit: Audit) -> list[Any]:
    from auditkit.rules.training import recommend

    return recommend(audit)


class TrainingScreen(AuditkitScreen):
    """Accept (y), drop (d), add your own (+) or annotate (e) a recommendation."""

    BINDINGS = bindings(
        "yes",
        "drop",
        "add",
        "edit",
        "next",
        "previous",
        "back",
        footer={"yes": ("Accept", None)},
        yes="accept",
        edit="note",
    )

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            "[b]Training recommendations[/b]  from the questions that lost points and "
            "the elements under their pass mark",
            id="training-title",
        )
        yield OptionList(id="recommendations")
        yield Static(id="training-detail")
        yield FittingFooter()

    OWN_HINT = (
        "A course or action in your own words: what, for whom, by when "
        "(e.g. lockout refresher for the night shift); never a person's name."
    )

    def on_mount(self) -> None:
        self.rows: list[Any] = []
        self._go_to_id: str | None = None  # the row to highlight once the list is read again
        self._reload()
        self.query_one(OptionList).focus()

    def _reload(self) -> None:
        # Read through the writer too: it needs SQLite and the latest scores, off the UI thread.
        app = self.auditkit
        app.read(Read("reading the training recommendations", _recommendations), self._show)

    def _reloaded(self, _: object) -> None:
        self._reload()

    def _show(self, rows: list[Any]) -> None:
        self.rows = rows
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.set_options(
            [self._option(r) for r in rows]
            or [
                Option(
                    Text("No recommendation: no question has lost points yet.", style="dim"),
                    disabled=True,
                )
            ]
        )
        if rows:
            ids = [r.id for r in rows]
            target = self._go_to_id
            self._go_to_id = None
            options.highlighted = (
                ids.index(target) if target in ids else min(highlighted or 0, len(rows) - 1)
            )
            options.scroll_to_highlight()

    def _option(self, rec: Any) -> Option:
        glyph, colour = STATUS_STYLE.get(rec.status, ("?", ""))
        why = (
            f"{count(len(rec.questions), 'question')}, {count(rec.points_lost, 'point')} lost"
            if rec.questions
            else "added by the auditor"
            if rec.status == "added"
            else ""
        )
        tags = (" · required for the certificate" if rec.required else "") + (
            " · already completed" if rec.completed else ""
        )
        return Option(
            assemble(
                (f"{glyph} ", colour),
                (rec.title, "bold"),
                (f"  {why}{tags}", "dim"),
                (f"\n   {rec.note}", "italic") if rec.note else "",
            ),
            id=rec.id,
        )

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        rec = self._current()
        detail = self.query_one("#training-detail", Static)
        if rec is None or not rec.questions:
            detail.update("")
            return
        detail.update(
            plain(
                "Questions behind it: "
                + ", ".join(
                    f"{q.question_id} ({q.awarded}/{q.possible})" for q in rec.questions[:12]
                )
            )
        )

    def _current(self) -> Any:
        option = self.query_one(OptionList).highlighted_option
        return next((r for r in self.rows if option is not None and r.id == option.id), None)

    def _save(self, describe: str, call: Any, then_go_to: str | None = None) -> None:
        self._go_to_id = then_go_to
        app = self.auditkit
        app.save(Write(describe, call), self._reloaded)

    def _next_id(self) -> str | None:
        """The row after the highlighted one (y and d move on, as answering does)."""
        index = self.query_one(OptionList).highlighted
        if index is None or not self.rows:
            return None
        return str(self.rows[min(index + 1, len(self.rows) - 1)].id)

    def action_accept(self) -> None:
        rec = self._current()
        if rec is not None and rec.course_id:
            from auditkit.rules.training import accept

            self._save(
                f"accepting {rec.title}",
                lambda a: accept(a, rec.course_id, rec.note),
                self._next_id(),
            )

    def action_drop(self) -> None:
        rec = self._current()
        if rec is not None:
            from auditkit.rules.training import drop

            self._save(
                f"dropping {rec.title}", lambda a: drop(a, rec.id, rec.note), self._next_id()
            )

    def action_add(self) -> None:
        from auditkit.rules.training import add

        def added(text: str | None) -> None:
            if text:
                # The new row's id is the write's result: highlight it, scrolled into view.
                self.auditkit.save(
                    Write("your recommendation", lambda a: add(a, text)), self._added
                )

        self.app.push_screen(NoteDialog("Your own recommendation", "", self.OWN_HINT), added)

    def _added(self, row_id: str) -> None:
        self._go_to_id = row_id
        self._reload()

    def action_note(self) -> None:
        rec = self._current()
        if rec is None or not rec.course_id:
            return
        from auditkit.rules.training import accept

        def noted(text: str | None) -> None:
            if text is not None:
                self._save(f"the note on {rec.title}", lambda a: accept(a, rec.course_id, text))

        self.app.push_screen(NoteDialog(f"Note on {rec.title}", rec.note), noted)

    def action_back(self) -> None:
        self.app.pop_screen()
