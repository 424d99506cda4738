"""A click group whose commands are imported only when one of them runs.

Every command module pulls in its own engine (exporters, merge, sampling, sqlite-utils…);
importing them all cost ``auditkit open`` a third of a second before the TUI could draw.
The group knows each command by a table entry (module, short help) instead, so
``auditkit --help`` lists every command without importing any of them.
"""

from __future__ import annotations

import importlib

import click


class LazyGroup(click.Group):
    """Commands from :meth:`add_lazy`'s table load on first use; eager ones work as usual."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.lazy_commands: dict[str, tuple[str, str]] = {}

    def add_lazy(self, table: dict[str, tuple[str, str]]) -> None:
        """Register commands as ``name -> (module that defines it, its short help)``."""
        self.lazy_commands.update(table)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(self.lazy_commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy_commands:
            # The module registers its commands on this group as it is imported.
            importlib.import_module(self.lazy_commands[cmd_name][0])
        return self.commands.get(cmd_name)

    def help_line(self, name: str, limit: int) -> str:
        """A command's line in ``--help``: from the table unless the command is loaded."""
        command = self.commands.get(name)
        if command is not None:
            return command.get_short_help_str(limit)
        return short_help(self.lazy_commands[name][1], limit)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = [
            name
            for name in self.list_commands(ctx)
            if name not in self.commands or not self.commands[name].hidden
        ]
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)  # as click does
        with formatter.section("Commands"):
            formatter.write_dl([(name, self.help_line(name, limit)) for name in names])


def short_help(text: str, limit: int) -> str:
    """The first sentence of ``text``, cut at a word to ``limit`` characters with "..."."""
    sentence = text.split(". ")[0].rstrip(".")
    if len(sentence) <= limit:
        return sentence
    cut = sentence[: limit - 3].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "..."
