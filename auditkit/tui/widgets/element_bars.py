"""A bar per element and one for the whole audit, coloured against the pass rule."""

from __future__ import annotations

from fractions import Fraction

from rich.text import Text
from textual.widget import Widget

from auditkit.rules.scoring import Scores, display_percent
from auditkit.tui.safe import assemble

BAR = 20
MIN_BAR = 10


def colour_of(percent: Fraction | None, target: int, minimum: int | None) -> str:
    """Green at or above the overall mark, yellow above the element minimum, red below it."""
    if percent is None:
        return "bright_black"
    if percent >= target:
        return "green"
    if minimum is not None and percent < minimum:
        return "red"
    return "yellow" if minimum is not None else "red"


def bar(percent: Fraction | int | None, width: int, colour: str) -> Text:
    filled = 0 if percent is None else min(width, int(percent * width / 100))
    return assemble(("█" * filled, colour), ("░" * (width - filled), "bright_black"))


def verdict_text(scores: Scores, problems: int) -> Text | None:
    """The verdict: none before anything is answered, and never PASS while the QA check has
    errors ("would pass on score — not submittable: N problems")."""
    if scores.answered == 0 or scores.percent is None:
        return None
    if not scores.passed:
        return Text("FAIL" + ("" if scores.complete else " so far"), style="bold red")
    if problems:
        plural = "s" if problems != 1 else ""
        return Text(
            f"would pass on score — not submittable: {problems} problem{plural}",
            style="bold yellow",
        )
    return Text("PASS", style="bold green")


class ElementBars(Widget):
    """Renders :class:`~auditkit.rules.scoring.Scores`; call :meth:`show` after each change."""

    DEFAULT_CSS = """
    ElementBars { height: auto; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.scores: Scores | None = None
        self.problems = 0

    def show(self, scores: Scores, problems: int = 0) -> None:
        """Show ``scores``; ``problems`` are the QA check's errors (never PASS while any)."""
        self.scores = scores
        self.problems = problems
        self.refresh(layout=True)

    def render(self) -> Text:
        scores = self.scores
        if scores is None:
            return Text("")
        rule = scores.rule
        width = max(self.size.width, 30)
        # Whole names first: the bar gives way (down to MIN_BAR), then the answered/total
        # counts; only a narrow pane (under about 75 columns) cuts a long name.
        longest = max((len(e.title) for e in scores.elements), default=8)
        counts = width >= 60 and width - 20 - longest >= MIN_BAR
        fixed = 20 if counts else 12  # number, spaces, percent and counts around title and bar
        bar_width = min(BAR, max(8, width - fixed - longest))
        title_width = max(8, width - bar_width - fixed)
        lines = Text()
        verdict = verdict_text(scores, self.problems) or Text("No answer yet", style="dim")
        overall = colour_of(scores.percent, rule.overall, None)
        lines.append_text(
            assemble(
                ("Overall".ljust(title_width + 4), "bold"),
                bar(scores.percent, bar_width, overall),
                (f" {display_percent(scores.percent):>7}", f"bold {overall}"),
            )
        )
        lines.append_text(
            assemble(
                "\n",
                verdict,
                (
                    f" · {scores.awarded} of {scores.possible} points · pass mark: "
                    f"{rule.describe()} ({rule.purpose})\n",
                    "dim",
                ),
            )
        )
        for element in scores.elements:
            colour = colour_of(element.percent, rule.overall, element.minimum)
            title = (
                element.title
                if len(element.title) <= title_width
                else element.title[: title_width - 1] + "…"
            )
            lines.append_text(
                assemble(
                    f"\n{element.number:>2} ",
                    title.ljust(title_width),
                    " ",
                    bar(element.percent, bar_width, colour),
                    (f" {display_percent(element.percent):>7}", colour),
                    (f" {element.answered:>3}/{element.questions:<3}" if counts else "", "dim"),
                )
            )
        return lines
