"""Interviews: the people interviewed (by anonymous code), by role, and their questions."""

from __future__ import annotations

from rich.text import Text

from auditkit.rules.interviews import QUESTIONNAIRE, RECORD_FIELDS
from auditkit.store.records import Subject
from auditkit.tui.dialogs.subject_forms import IntervieweeForm
from auditkit.tui.keys import bindings
from auditkit.tui.labels import count
from auditkit.tui.safe import assemble
from auditkit.tui.screens.subjects import SubjectsScreen
from auditkit.vocabulary import ROLE_NAMES

RECORD_ORDER = ("shift", "position", "date")  # how an interviewee's line shows the record
CODE_PREFIX = {"senior_manager": "SM", "manager": "MG", "supervisor": "SV", "worker": "WK"}


class InterviewsScreen(SubjectsScreen):
    """Add an interviewee (+: add), then Enter runs that role's questions; e edits the
    interview's record."""

    BINDINGS = bindings("edit")

    KIND = "interviewee"
    COMPONENT = "interviews"
    TITLE = "Interviews"

    def summary(self) -> Text:
        people = self.session.subjects_of("interviewee")
        text = assemble(
            ("Staff interviews", "bold"),
            f"  {count(len(people), 'interviewee')} · +: add · Enter: interview · e: record\n",
        )
        for role, name in ROLE_NAMES.items():
            group = [p for p in people if p.role == role]
            done = sum(1 for p in group if self.progress(p)[0] == self.progress(p)[1] > 0)
            text.append(f"{name}: {len(group)} ({done} complete)   ")
        return text

    def line(self, subject: Subject) -> Text:
        done, asked = self.progress(subject)
        site = self.session.sites.get(subject.site_id)
        colour = "green" if done == asked else "cyan" if done else "bright_black"
        return assemble(
            (f"{subject.label:<8}", "bold"),
            f"{ROLE_NAMES.get(subject.role, subject.role):<16}",
            f"{(site.label if site else ''):<32}",
            (f"{done:>3}/{asked:<3} answered", colour),
            ("  written questionnaire" if subject.fields.get(QUESTIONNAIRE) else "", "dim"),
            # The record, last: cut first on a narrow screen.
            (
                "".join(f"  {subject.fields[k]}" for k in RECORD_ORDER if subject.fields.get(k)),
                "dim",
            ),
        )

    def action_add(self) -> None:
        people = self.session.subjects_of("interviewee")
        taken = {p.label for p in people}
        number = 1
        while f"WK-{number:02d}" in taken:
            number += 1

        def add(form: dict[str, str] | None) -> None:
            if form is not None:
                self.save_subject(
                    f"interviewee {form['label']!r}",
                    form["label"],
                    role=form["role"],
                    site=form["site"],
                    questionnaire=bool(form.get("questionnaire")),
                    fields={key: form[key] for key in RECORD_FIELDS if form.get(key)},
                )

        self.app.push_screen(
            IntervieweeForm(f"WK-{number:02d}", self.session.subjects_of("site")), add
        )

    def action_edit(self) -> None:
        """The highlighted interviewee's record: date, position, shift."""
        person = self.highlighted_subject()
        if person is None:
            return

        def save(form: dict[str, str] | None) -> None:
            if form is not None:
                self.save_record(person, {key: form.get(key, "") for key in RECORD_FIELDS})

        sites = self.session.subjects_of("site")
        self.app.push_screen(IntervieweeForm(person.label, sites, editing=person), save)
