"""The company profile: details, the certifying partner, the auditor's number, the records
review period and the courses the company has completed.

What ``auditkit profile --address/--partner/--review-start/--completed …`` records, from the
dashboard (``C``) or the command palette. The dialog checks the input as the CLI does and
returns only what changed; the app saves it on the writer (a finalized audit asks why first).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, SelectionList
from textual.widgets.selection_list import Selection

from auditkit.audit import Audit
from auditkit.rules.catalogue import Course
from auditkit.rules.lifecycle import parse_day
from auditkit.tui.dialogs.checked_form import CheckedForm

# (profile column, label, placeholder); the ids are the columns with dashes.
FIELDS = (
    ("address", "Address", "4410 52 Ave SE, Calgary AB T2C 4N6"),
    ("contact", "Contact (name, phone or email)", "Dana Kowalski, safety coordinator"),
    ("wcb_account", "WCB account number", "1234567"),
    ("industry_code", "WCB industry code", "42000"),
    ("operations", "Operations", "Commercial framing and concrete forming"),
    ("start_date", "Audit start date (YYYY-MM-DD)", "2026-11-16"),
    ("end_date", "Audit end date (YYYY-MM-DD)", "2026-11-20"),
    ("partner", "Certifying partner", "ACSA"),
    ("auditor_number", "Auditor's certification number", "ACSA-4471"),
    ("review_start", "Records review period: first day (YYYY-MM-DD)", "2025-11-01"),
    ("review_end", "Records review period: last day (YYYY-MM-DD)", "2026-10-31"),
)
DATES = ("start_date", "end_date", "review_start", "review_end")


@dataclass(frozen=True)
class ProfileChanges:
    """The profile columns to change (only those that differ from what is stored)."""

    changes: dict[str, Any]

    def apply(self, audit: Audit) -> None:
        """Record the changes (on the writer)."""
        if self.changes:
            audit.update_profile(**self.changes)


def completed(profile: dict[str, Any]) -> list[str]:
    """The company's completed courses as stored (a JSON list)."""
    try:
        return [str(c) for c in json.loads(profile.get("completed_courses") or "[]")]
    except (TypeError, ValueError):
        return []


class ProfileDialog(CheckedForm[ProfileChanges]):
    """Returns the checked changes, or None when the auditor cancels."""

    def __init__(self, profile: dict[str, Any], catalogue: dict[str, Course]) -> None:
        super().__init__()
        self.profile = profile
        self.catalogue = catalogue

    def compose(self) -> ComposeResult:
        done = set(completed(self.profile))
        with VerticalScroll(classes="dialog", id="profile-dialog"):
            yield Label(Text(f"Company profile: {self.profile['company']}"), classes="dialog-title")
            for column, label, placeholder in FIELDS:
                yield Label(label)
                yield Input(
                    str(self.profile.get(column) or ""),
                    placeholder=f"e.g. {placeholder}",
                    id=column.replace("_", "-"),
                )
            yield Label("Courses the company has completed (space ticks one)")
            yield SelectionList[str](
                *(
                    Selection(Text(f"{course.title}  ({course_id})"), course_id, course_id in done)
                    for course_id, course in self.catalogue.items()
                ),
                id="courses",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save  ctrl+s", variant="primary", id="save")
                yield Button("Cancel  esc", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#address", Input).focus()

    def value(self) -> ProfileChanges:
        """What differs from the stored profile, checked as ``auditkit profile`` checks it."""
        changes: dict[str, Any] = {}
        for column, label, _ in FIELDS:
            value = self.query_one(f"#{column.replace('_', '-')}", Input).value.strip()
            if value and column in DATES:
                value = parse_day(value, label.split(" (")[0])
            if value != str(self.profile.get(column) or ""):
                changes[column] = value
        have = completed(self.profile)
        ticked = list(self.query_one("#courses", SelectionList).selected)
        # Keep the stored order (and any course no longer in the catalogue), new ones after.
        courses = [c for c in have if c in ticked or c not in self.catalogue]
        courses += [c for c in ticked if c not in courses]
        if courses != have:
            changes["completed_courses"] = courses
        return ProfileChanges(changes)
