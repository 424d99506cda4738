"""Incidents: the records of the review period, their summary figures and their review."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from auditkit.rules.incidents import INCIDENT_TYPES
from auditkit.store.records import Subject
from auditkit.tui.dialogs.subject_forms import IncidentForm
from auditkit.tui.keys import KEYS, bindings
from auditkit.tui.labels import count
from auditkit.tui.safe import assemble
from auditkit.tui.screens.subjects import SubjectsScreen

TYPE_WIDTH = max(len(name) for name in INCIDENT_TYPES.values())


class IncidentsScreen(SubjectsScreen):
    """Add (+) or edit (e) an incident record; Enter reviews it with the incident questions."""

    KIND = "incident"
    COMPONENT = "incidents"
    TITLE = "Incidents"
    BINDINGS = bindings("edit")

    def summary(self) -> Text:
        s = self.session.incident_summary()
        counts = " · ".join(
            f"{INCIDENT_TYPES[k]} {n}" for k, n in s.by_type.items() if k in INCIDENT_TYPES
        )
        return assemble(
            ("Past-incident review", "bold"),
            f"  {count(s.total, 'record')}, {s.period}\n",
            counts,
            "\n",
            f"Investigated {s.investigated}/{s.total} · reportable reported to OHS "
            f"{s.reportable_reported}/{s.reportable} · actions closed {s.actions_closed}/"
            f"{s.total}\n",
            (
                f"{_shown('add')} add · {_shown('edit')} edit · Enter reviews one; "
                "n/m: its questions answered",
                "dim",
            ),
        )

    def line(self, subject: Subject) -> Text:
        f = subject.fields
        done, asked = self.progress(subject)
        flags = Text()
        for key, short in (
            ("investigated", "inv"),
            ("reported_to_ohs", "OHS"),
            ("actions_closed", "closed"),
        ):
            if key == "reported_to_ohs" and not f.get("reportable"):
                continue
            flags.append(
                f"{short} {'✔' if f.get(key) else '✘'} ", style="green" if f.get(key) else "red"
            )
        colour = "green" if done == asked else "cyan" if done else "bright_black"
        # Two spaces between columns, the label column as wide as the longest label: a
        # record numbered INC-2026-0042 does not run into its date.
        labels = max((len(s.label) for s in self.session.subjects_of("incident")), default=0)
        return assemble(
            (f"{subject.label:<{max(labels, 7)}}  ", "bold"),
            f"{f.get('date', ''):<10}  ",
            f"{INCIDENT_TYPES.get(str(f.get('type', '')), '?'):<{TYPE_WIDTH}}  ",
            flags,
            (f"{done:>2}/{asked}", colour),
        )

    def action_add(self) -> None:
        number = len(self.session.subjects_of("incident")) + 1

        def add(form: dict[str, Any] | None) -> None:
            if form is not None:
                self.save_subject(
                    f"incident {form['label']!r}", form["label"], fields=form["fields"]
                )

        self.app.push_screen(IncidentForm(f"INC-{number:03d}"), add)

    def action_edit(self) -> None:
        subject = self.highlighted_subject()
        if subject is None:
            return

        def save(form: dict[str, Any] | None) -> None:
            if form is not None:
                self.save_record(subject, form["fields"])

        self.app.push_screen(IncidentForm(subject.label, subject.fields, editing=True), save)


def _shown(key_id: str) -> str:
    """How the footer writes a key of the table (``+`` for add), for hints in the text."""
    spec = KEYS[key_id]
    return spec.display or spec.key
