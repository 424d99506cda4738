"""The TUI's screens, by the names keys and the command palette use.

A screen's module is imported when the screen is first shown, so the dashboard's first frame
does not wait for the forms, the note editor or the exporters.
"""

from __future__ import annotations

import importlib

from textual.screen import Screen

# name -> (module, class, title in Help), in the order Help lists them.
SCREENS: dict[str, tuple[str, str, str]] = {
    "home": ("auditkit.tui.screens.home", "HomeScreen", "Home"),
    "dashboard": ("auditkit.tui.screens.dashboard", "DashboardScreen", "Dashboard"),
    "runner": ("auditkit.tui.screens.runner", "RunnerScreen", "Checklist runner"),
    "interviews": ("auditkit.tui.screens.interviews", "InterviewsScreen", "Interviews"),
    "incidents": ("auditkit.tui.screens.incidents", "IncidentsScreen", "Incidents"),
    "training": ("auditkit.tui.screens.training", "TrainingScreen", "Training recommendations"),
    "actions": ("auditkit.tui.screens.actions", "ActionsScreen", "Action plan"),
    "conflicts": ("auditkit.tui.screens.conflicts", "ConflictsScreen", "Merge conflicts"),
    "amendments": ("auditkit.tui.screens.amendments", "AmendmentsScreen", "Amendments"),
    "export": ("auditkit.tui.screens.export", "ExportScreen", "Export"),
    "review": ("auditkit.tui.screens.review", "ReviewScreen", "Review before finalizing"),
}


def screen_class(name: str) -> type[Screen[None]]:
    """The screen class called ``name``, importing its module on first use."""
    module, cls, _ = SCREENS[name]
    found: type[Screen[None]] = getattr(importlib.import_module(module), cls)
    return found
