"""The new-audit form: the employer's profile, the certificate it qualifies for, the visit."""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Header, Input, Label, Select, Static, TextArea

from auditkit.audit import Audit, Profile, parse_headcounts, parse_staff
from auditkit.errors import AuditkitError
from auditkit.rules.eligibility import certificate_for
from auditkit.tui.dialogs.confirm import ConfirmDialog
from auditkit.tui.keys import bindings
from auditkit.tui.safe import plain
from auditkit.tui.screens.base import AuditkitScreen
from auditkit.tui.session import Session
from auditkit.tui.widgets.footer import FittingFooter
from auditkit.vocabulary import PURPOSES

FIELDS = [  # (id, label, placeholder)
    ("file", "Audit file", "chinook-2026.audit"),
    ("company", "Company (legal name)", ""),
    ("wcb_account", "WCB account", ""),
    ("industry_code", "Industry code", ""),
    ("address", "Address", ""),
    ("contact", "Contact", "name, role, phone"),
    ("headcounts", "Monthly headcounts, past 12 months", "61 63 64 66 70 74 77 76 72 68 65 62"),
    ("staff", "Staff by level", "senior_manager=1, manager=3, supervisor=8, worker=62"),
    ("start_date", "First day on site", "YYYY-MM-DD"),
    ("end_date", "Last day on site", "YYYY-MM-DD"),
    ("auditors", "Auditors (comma-separated)", ""),
    ("sites", "Active sites of the employer (one per line)", ""),
    ("head_office", "Head office (always visited)", "Head office"),
]


def _lines(text: str) -> tuple[str, ...]:
    """One site per line (a site's name may hold a comma: "Head office, Calgary")."""
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


class NewAuditScreen(AuditkitScreen):
    """Fill in the profile; ctrl+s creates the audit file and opens it."""

    BINDINGS = bindings("save", "back", save="create")

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="new-audit"):
            yield Static("[b]New audit[/b]", classes="heading")
            for field_id, label, placeholder in FIELDS:
                yield Label(label)
                if field_id == "sites":  # one per line: "Head office, Calgary" is one site
                    yield TextArea(id=field_id, soft_wrap=True, tab_behavior="focus")
                    continue
                yield Input(placeholder=placeholder, id=field_id)
                if field_id == "headcounts":
                    yield Static("", id="certificate")
            yield Label("Purpose")
            yield Select(
                [(p.capitalize(), p) for p in PURPOSES],
                value="certification",
                allow_blank=False,
                id="purpose",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Create  ctrl+s", variant="primary", id="create")
                yield Button("Back  esc", id="back")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one("#file", Input).focus()  # the first text typed lands in the first field

    def unsaved(self) -> str:
        """What leaving now would throw away ("" when nothing was typed)."""
        typed = any(field.value.strip() for field in self.query(Input)) or bool(
            self.query_one("#sites", TextArea).text.strip()
        )
        return "the new-audit form you filled in" if typed else ""

    @on(Input.Changed, "#headcounts")
    def _certificate(self, event: Input.Changed) -> None:
        label = self.query_one("#certificate", Static)
        try:
            counts = parse_headcounts([event.value])
            label.update(certificate_for(counts).reason if counts else "")
        except AuditkitError as exc:
            label.update(plain(exc, style="red"))

    def _value(self, field_id: str) -> str:
        return self.query_one(f"#{field_id}", Input).value.strip()

    @on(Button.Pressed, "#create")
    def action_create(self) -> None:
        staff_text = self._value("staff")
        try:
            staff = parse_staff([staff_text]) if staff_text else None
            profile = Profile(
                company=self._value("company"),
                purpose=str(self.query_one("#purpose", Select).value),
                headcounts=parse_headcounts([self._value("headcounts")]),
                auditors=_split(self._value("auditors")),
                sites=_lines(self.query_one("#sites", TextArea).text),
                staff=staff,
                head_office=self._value("head_office"),
                **{
                    key: self._value(key)
                    for key in (
                        "address",
                        "contact",
                        "wcb_account",
                        "industry_code",
                        "start_date",
                        "end_date",
                    )
                },
            )
        except AuditkitError as exc:
            self.notify(str(exc), severity="error")
            return
        if not self._value("file"):
            self.notify("Give the audit file a name.", severity="error")
            return
        self.create(Path(self._value("file")).expanduser(), profile)

    @work(thread=True, exclusive=True, exit_on_error=False, group="create")
    def create(self, path: Path, profile: Profile) -> None:
        """Write the new file off the UI thread; a refusal becomes a notification."""
        try:
            session = Session.load(Audit.create(path, profile))
        except AuditkitError as exc:
            self.app.call_from_thread(self.notify, str(exc), title="Not created", severity="error")
            return
        self.app.call_from_thread(self._created, session)

    def _created(self, session: Session) -> None:
        app = self.auditkit
        app.pop_screen()
        app.open_audit(session)

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        lost = self.unsaved()
        if not lost:
            self.app.pop_screen()
            return

        def leave(yes: bool | None) -> None:
            if yes:
                self.app.pop_screen()

        self.app.push_screen(ConfirmDialog(f"Discard {lost}?", yes="Discard", no="Keep"), leave)
