"""The TUI's screens, by the names keys and the command palette use."""

from __future__ import annotations

from textual.screen import Screen

from auditkit.tui.screens.dashboard import DashboardScreen
from auditkit.tui.screens.export import ExportScreen
from auditkit.tui.screens.home import HomeScreen
from auditkit.tui.screens.incidents import IncidentsScreen
from auditkit.tui.screens.interviews import InterviewsScreen
from auditkit.tui.screens.runner import RunnerScreen
from auditkit.tui.screens.training import TrainingScreen

SCREENS: dict[str, type[Screen[None]]] = {
    "dashboard": DashboardScreen,
    "runner": RunnerScreen,
    "interviews": InterviewsScreen,
    "incidents": IncidentsScreen,
    "training": TrainingScreen,
    "export": ExportScreen,
}
SCREEN_TITLES: list[tuple[str, type[Screen[None]]]] = [
    ("Home", HomeScreen),
    ("Dashboard", DashboardScreen),
    ("Checklist runner", RunnerScreen),
    ("Interviews", InterviewsScreen),
    ("Incidents", IncidentsScreen),
    ("Training recommendations", TrainingScreen),
    ("Export", ExportScreen),
]
