"""The profile's sampling facts: staff by level, the head office and the CP's numbers.

What ``auditkit profile --staff/--head-office/--interviews-required/--sites-required`` records,
from the dashboard (``p``) or from a QA problem about the sample. The dialog checks the input
with the engine's own rules and returns the changes; the app saves them on the writer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label

from auditkit.audit import Audit, parse_staff
from auditkit.errors import AuditkitError
from auditkit.protocol.model import Protocol
from auditkit.rules.sampling import check_cp_numbers, declared_staff
from auditkit.store.records import Subject
from auditkit.tui.dialogs.checked_form import CheckedForm


@dataclass(frozen=True)
class SampleProfile:
    """The changes to record (None: leave as it is)."""

    staff: dict[str, int] | None
    head_office: str | None
    interviews_required: int | None
    sites_required: int | None

    def apply(self, audit: Audit) -> Subject | None:
        """Record the changes (on the writer); returns the head office when it is set."""
        changes: dict[str, Any] = {}
        if self.staff is not None:
            changes["staff"] = json.dumps(self.staff)
        if self.interviews_required is not None:
            changes["interviews_required"] = self.interviews_required
        if self.sites_required is not None:
            changes["sites_required"] = self.sites_required
        if changes:
            audit.update_profile(**changes)
        return audit.set_head_office(self.head_office) if self.head_office else None


def staff_text(staff: dict[str, int] | None) -> str:
    return ", ".join(f"{level}={count}" for level, count in (staff or {}).items())


def _number(text: str, what: str) -> int | None:
    if not text.strip():
        return None
    try:
        value = int(text)
    except ValueError:
        raise AuditkitError(f"{what}: {text.strip()!r} is not a whole number") from None
    if value < 1:
        raise AuditkitError(f"{what}: give a number of 1 or more")
    return value


class SampleProfileDialog(CheckedForm[SampleProfile]):
    """Returns the checked changes, or None when the auditor cancels."""

    def __init__(self, protocol: Protocol, profile: dict[str, Any], sites: list[Subject]) -> None:
        super().__init__()
        self.protocol = protocol
        self.profile = profile
        self.sites = sites

    def compose(self) -> ComposeResult:
        head = next((s.label for s in self.sites if s.id == self.profile.get("head_office")), "")
        interviews = self.profile.get("interviews_required")
        visits = self.profile.get("sites_required")
        with Vertical(classes="dialog", id="sample-profile"):
            yield Label("Staff, head office and the CP's numbers", classes="dialog-title")
            yield Label(
                "Staff by level (from the Notice of Audit): the interviews follow it.",
                classes="dialog-hint",
            )
            yield Input(
                staff_text(declared_staff(self.profile)),
                placeholder="senior_manager=1, manager=3, supervisor=6, worker=30",
                id="staff",
            )
            yield Label("Head office (always visited; added as an active site if new)")
            yield Input(head, placeholder="Head office, Calgary", id="head-office")
            yield Label("Interviews required, where the CP sets them (550 workers and more)")
            yield Input(str(interviews or ""), placeholder="leave empty", id="interviews")
            yield Label("Site visits required, where the CP sets them (more than 30 sites)")
            yield Input(str(visits or ""), placeholder="leave empty", id="sites")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save  ctrl+s", variant="primary", id="save")
                yield Button("Cancel  esc", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#staff", Input).focus()

    def _value(self, field_id: str) -> str:
        return self.query_one(f"#{field_id}", Input).value.strip()

    def value(self) -> SampleProfile:
        """The input, checked as ``auditkit profile`` checks it."""
        text = self._value("staff")
        staff = parse_staff([text]) if text else None
        if staff == declared_staff(self.profile):
            staff = None
        interviews = _number(self._value("interviews"), "Interviews required")
        visits = _number(self._value("sites"), "Site visits required")
        if interviews == self.profile.get("interviews_required"):
            interviews = None
        if visits == self.profile.get("sites_required"):
            visits = None
        head = self._value("head-office")
        current = next((s.label for s in self.sites if s.id == self.profile.get("head_office")), "")
        future = {**self.profile, **({"staff": json.dumps(staff)} if staff else {})}
        new_site = bool(head) and all(s.label != head for s in self.sites)
        check_cp_numbers(self.protocol, future, len(self.sites) + new_site, interviews, visits)
        return SampleProfile(staff, head if head and head != current else None, interviews, visits)
