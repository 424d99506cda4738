"""What the Interviews and Incidents screens share: a list of subjects to add to and run."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from auditkit.rules.progress import applies
from auditkit.store.records import Subject
from auditkit.tui.jobs import Write, WriteOutcome
from auditkit.tui.keys import bindings
from auditkit.tui.scope import Scope
from auditkit.tui.screens.base import AuditkitScreen
from auditkit.tui.widgets.footer import FittingFooter


class SubjectsScreen(AuditkitScreen):
    """A summary above a list of subjects of one kind; Enter runs that subject's questions."""

    KIND = ""
    COMPONENT = ""
    BINDINGS = bindings("add", "next", "previous", "back")

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="summary")
        yield OptionList(id="subjects")
        yield FittingFooter()

    def on_mount(self) -> None:
        self._refresh()
        self.query_one(OptionList).focus()
        self.follow_changes(self._on_change)

    def on_screen_resume(self) -> None:
        self._refresh()

    def _on_change(self, change: WriteOutcome) -> None:
        if change.saved:
            added = change.result
            # A subject just added is the one the auditor runs next: highlight it.
            select = added.id if isinstance(added, Subject) and added.kind == self.KIND else None
            self._refresh(select)

    def _refresh(self, select: str | None = None) -> None:
        self.query_one("#summary", Static).update(self.summary())
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        rows = self.session.subjects_of(self.KIND)
        options.set_options([Option(self.line(s), id=s.id) for s in rows])
        if select is not None:
            options.highlighted = options.get_option_index(select)
        elif rows:
            options.highlighted = min(highlighted or 0, len(rows) - 1)

    def progress(self, subject: Subject) -> tuple[int, int]:
        """Answered and asked questions of this component for ``subject``."""
        session = self.session
        asked = [
            q
            for q in session.protocol.questions
            if q.component == self.COMPONENT and applies(q, subject)
        ]
        done = sum(1 for q in asked if session.value((q.id, subject.id)) is not None)
        return done, len(asked)

    def summary(self) -> Text:
        raise NotImplementedError

    def line(self, subject: Subject) -> Text:
        raise NotImplementedError

    @on(OptionList.OptionSelected)
    def _run_selected(self) -> None:
        option = self.query_one(OptionList).highlighted_option
        app = self.auditkit
        if option is not None and option.id:
            app.open_screen("runner", scope=Scope(component=self.COMPONENT, subject_id=option.id))

    def save_subject(self, describe: str, label: str, **details: object) -> None:
        app = self.auditkit
        app.save(
            Write(
                describe,
                lambda audit: audit.add_subject(self.KIND, label, **details),  # type: ignore[arg-type]
            )
        )

    def highlighted_subject(self) -> Subject | None:
        """The subject of the highlighted row, if any."""
        option = self.query_one(OptionList).highlighted_option
        return self.session.subject(option.id) if option is not None and option.id else None

    def save_record(self, subject: Subject, fields: dict[str, Any]) -> None:
        """Correct ``subject``'s record (an incident's fields, an interview's record)."""
        self.auditkit.save(
            Write(
                f"{subject.kind} {subject.label!r}",
                lambda audit: audit.update_subject(subject.id, fields=fields),
            )
        )

    def action_back(self) -> None:
        self.app.pop_screen()
