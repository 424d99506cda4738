"""Forms for a new site, a new interviewee and an incident record (new or edited)."""

from __future__ import annotations

from datetime import date
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select

from auditkit.rules.incidents import FLAGS, INCIDENT_TYPES
from auditkit.rules.interviews import QUESTIONNAIRE, RECORD_FIELDS
from auditkit.store.records import Subject
from auditkit.text import printable
from auditkit.tui.keys import bindings
from auditkit.tui.safe import plain
from auditkit.vocabulary import ROLE_NAMES

FLAG_LABELS = {
    "reportable": "Reportable to OHS (Act s.33)",
    "reported_to_ohs": "Reported to OHS",
    "investigated": "Investigated",
    "actions_closed": "Corrective actions closed",
}


class SiteForm(ModalScreen[str | None]):
    """One site's name per entry (so "Head office, Calgary" is one site); None when cancelled."""

    BINDINGS = bindings("save", "back", back="cancel")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("New site", classes="dialog-title")
            yield Label(
                "One site per entry, as the employer names it (commas are part of the name).",
                classes="dialog-hint",
            )
            yield Label("Site name")
            yield Input(placeholder="Head office, Calgary", id="site-label")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Add  ctrl+s", variant="primary", id="save")
                yield Button("Cancel  esc", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#site-label", Input).focus()

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    def action_save(self) -> None:
        label = self.query_one("#site-label", Input).value.strip()
        if not label:
            self.notify("Type the site's name.", title="Not added", severity="error")
            return
        self.dismiss(label)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class IntervieweeForm(ModalScreen[dict[str, str] | None]):
    """An anonymous code, a role, a site and the interview's record (date, position, shift);
    returns them, or None when cancelled. Given an interviewee (``editing``), only the record
    can change: code, role, site and questionnaire decide which questions were asked."""

    BINDINGS = bindings("save", "back", back="cancel")

    def __init__(
        self, suggested_code: str, sites: list[Subject], editing: Subject | None = None
    ) -> None:
        super().__init__()
        self.suggested_code = suggested_code
        self.sites = sites
        self.editing = editing

    def compose(self) -> ComposeResult:
        person = self.editing
        fixed = person is not None
        record = person.fields if person is not None else {"date": date.today().isoformat()}
        site = next((s.label for s in self.sites if person and s.id == person.site_id), None)
        with VerticalScroll(classes="dialog"):
            yield Label(
                f"Interview record of {plain(person.label)}" if person else "New interviewee",
                classes="dialog-title",
            )
            yield Label(
                "An anonymous code only: the report never names the people interviewed.",
                classes="dialog-hint",
            )
            yield Label("Code")
            yield Input(
                printable(person.label) if person else self.suggested_code,
                id="code",
                disabled=fixed,
            )
            yield Label("Role")
            yield Select(
                [(name, role) for role, name in ROLE_NAMES.items()],
                value=person.role if person else "worker",
                allow_blank=False,
                id="role",
                disabled=fixed,
            )
            yield Label("Site")
            yield Select(
                [(plain(s.label), s.label) for s in self.sites],
                prompt="(no site)",
                id="site",
                disabled=fixed,
                value=site if site is not None else Select.NULL,
            )
            yield Label("Interview date (YYYY-MM-DD)")
            yield Input(printable(record.get("date", "")), id="date", placeholder="2026-11-30")
            yield Label("Position (a job title, never a name)")
            yield Input(
                printable(record.get("position", "")),
                id="position",
                placeholder="Landscape labourer",
            )
            yield Label("Shift")
            yield Input(
                printable(record.get("shift", "")),
                id="shift",
                placeholder="day, evening, night or rotating",
            )
            yield Checkbox(
                "Written questionnaire (workers only; at most half of the worker interviews)",
                bool(person and person.fields.get(QUESTIONNAIRE)),
                id="questionnaire",
                disabled=fixed,
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button(
                    "Save  ctrl+s" if fixed else "Add  ctrl+s", variant="primary", id="save"
                )
                yield Button("Cancel  esc", id="cancel")

    def on_mount(self) -> None:
        # The first text typed lands in the first field that takes it.
        first = next((field for field in self.query(Input) if not field.disabled), None)
        if first is not None:
            first.focus()

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    def action_save(self) -> None:
        site = self.query_one("#site", Select).value
        self.dismiss(
            {
                "label": self.query_one("#code", Input).value.strip(),
                "role": str(self.query_one("#role", Select).value),
                "site": site if isinstance(site, str) else "",
                "questionnaire": "yes" if self.query_one("#questionnaire", Checkbox).value else "",
                **{key: self.query_one(f"#{key}", Input).value.strip() for key in RECORD_FIELDS},
            }
        )  # blank: no site

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class IncidentForm(ModalScreen[dict[str, Any] | None]):
    """An incident record's reference and fields; returns {"label", "fields"} or None."""

    BINDINGS = bindings("save", "back", back="cancel")

    def __init__(
        self, label: str, fields: dict[str, Any] | None = None, editing: bool = False
    ) -> None:
        super().__init__()
        self.label = label
        self.fields = fields or {}
        self.editing = editing

    def compose(self) -> ComposeResult:
        f = self.fields
        with VerticalScroll(classes="dialog"):
            yield Label(
                "Incident record" if self.editing else "New incident record", classes="dialog-title"
            )
            yield Label("Reference")
            yield Input(printable(self.label), id="label", disabled=self.editing)
            yield Label("Date (YYYY-MM-DD)")
            yield Input(printable(f.get("date", "")), id="date", placeholder="2026-04-08")
            yield Label("Type")
            yield Select(
                [(name, kind) for kind, name in INCIDENT_TYPES.items()],
                value=f.get("type", "near_miss"),
                allow_blank=False,
                id="type",
            )
            yield Label("Description")
            yield Input(printable(f.get("description", "")), id="description")
            yield Label("Root cause")
            yield Input(printable(f.get("root_cause", "")), id="root_cause")
            for flag in FLAGS:
                yield Checkbox(FLAG_LABELS[flag], bool(f.get(flag)), id=flag)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save  ctrl+s", variant="primary", id="save")
                yield Button("Cancel  esc", id="cancel")

    def on_mount(self) -> None:
        # The first text typed lands in the first field that takes it.
        first = next((field for field in self.query(Input) if not field.disabled), None)
        if first is not None:
            first.focus()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        fields: dict[str, Any] = {
            key: self.query_one(f"#{key}", Input).value.strip()
            for key in ("date", "description", "root_cause")
        }
        fields["type"] = str(self.query_one("#type", Select).value)
        for flag in FLAGS:
            fields[flag] = self.query_one(f"#{flag}", Checkbox).value
        # A blank text is sent as "": the engine then clears that field of an edited record.
        self.dismiss({"label": self.query_one("#label", Input).value.strip(), "fields": fields})

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
