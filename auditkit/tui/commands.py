"""The command palette: jump to any question, or to any screen of the open audit."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from auditkit.tui.app import AuditkitApp

SCREEN_COMMANDS = [
    ("dashboard", "Dashboard", "components, scores, samples"),
    ("runner", "Checklist runner", "every question, by element"),
    ("interviews", "Interviews", "add interviewees and interview them"),
    ("incidents", "Incidents", "incident records and their review"),
    ("training", "Training recommendations", "accept, drop, add"),
    ("actions", "Action plan", "owner, due date and status of each SFI's action"),
    ("conflicts", "Merge conflicts", "answers changed differently on two laptops"),
    ("export", "Export", "report and data files"),
    ("review", "Review before finalizing", "every No, Partial and N/A with its note and files"),
    ("amendments", "Amendments", "changes made after the audit was finalized, and why"),
]
# Palette entries that run an app method rather than open a screen.
ACTION_COMMANDS = [
    ("ask_finalize", "Finalize the audit", "lock a complete audit; later changes need a reason"),
    (
        "ask_profile",
        "Company profile",
        "address, contact, WCB, dates, partner, auditor number, review period, courses",
    ),
    ("ask_site", "Add a site", "one site per entry; its name may have commas"),
    ("ask_author", "Who is auditing", "the name your changes are recorded under"),
]


class AuditCommands(Provider):
    """Questions by id or text, and the audit's screens."""

    def _app(self) -> AuditkitApp | None:
        from auditkit.tui.app import AuditkitApp

        app = self.app
        return app if isinstance(app, AuditkitApp) and app.session is not None else None

    async def discover(self) -> Hits:
        app = self._app()
        if app is None:
            return
        for name, title, help_text in SCREEN_COMMANDS:
            yield DiscoveryHit(title, partial(app.open_screen, name), help=help_text)
        for method, title, help_text in ACTION_COMMANDS:
            yield DiscoveryHit(title, getattr(app, method), help=help_text)

    async def search(self, query: str) -> Hits:
        app = self._app()
        if app is None:
            return
        matcher = self.matcher(query)
        for name, title, help_text in SCREEN_COMMANDS:
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score, matcher.highlight(title), partial(app.open_screen, name), help=help_text
                )
        for method, title, help_text in ACTION_COMMANDS:
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), getattr(app, method), help=help_text)
        session = app.session
        assert session is not None  # _app() returns only an app with an open audit
        for question in session.protocol.questions:
            label = f"{question.id}  {question.text}"
            score = matcher.match(label)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(label),
                    partial(app.jump_to, question.id),
                    help=f"go to question {question.id}",
                )
