"""Text from users and files, made safe to show: never parsed as markup, no raw controls.

A label such as ``Yard [@click=app.screenshot('x.svg','/dir')]X[/]`` given to a widget as a
string is Textual markup: one click runs the action, and a stray ``[/x]`` crashes the screen.
Every stored or typed text goes on screen through :func:`plain` (a rich ``Text``, which is
never parsed) with its control characters shown escaped (see :func:`auditkit.text.printable`).
"""

from __future__ import annotations

from rich.console import OverflowMethod
from rich.text import Text

from auditkit.text import printable

# Past this many characters a stored text is cut where it is shown whole (a note pasted from a
# 10 MB file would take the screen a minute to lay out); the file keeps all of it.
SHOWN_LIMIT = 4000


def plain(text: object, style: str = "", limit: int | None = SHOWN_LIMIT) -> Text:
    """``text`` as a rich ``Text``: shown exactly as typed, in ``style``, cut after ``limit``."""
    value = str(text)
    if limit is not None and len(value) > limit:
        value = f"{value[:limit]}… ({len(value) - limit:,} more characters)"
    return Text(printable(value), style=style)


def assemble(
    *parts: str | Text | tuple[str, str],
    no_wrap: bool | None = None,
    overflow: OverflowMethod | None = None,
) -> Text:
    """``Text.assemble`` with every string part made :func:`plain` first."""
    return Text.assemble(
        *(
            (printable(part[0]), part[1])
            if isinstance(part, tuple)
            else part
            if isinstance(part, Text)
            else plain(part)
            for part in parts
        ),
        no_wrap=no_wrap,
        overflow=overflow,
    )
