"""The lazy command table: it lists every command, as the command itself describes it, and
``--help`` or one command imports no other command's module."""

from __future__ import annotations

import importlib
import subprocess
import sys

import click
from click.testing import CliRunner

from auditkit.cli import COMMANDS, cli


def test_the_table_names_every_command_with_its_own_short_help() -> None:
    for module in {module for module, _ in COMMANDS.values()}:
        importlib.import_module(module)
    assert sorted(cli.commands) == sorted(COMMANDS)
    for name, (module, short_help) in COMMANDS.items():
        command = cli.commands[name]
        assert command.callback is not None and command.callback.__module__ == module, name
        assert command.get_short_help_str(limit=200) == short_help, name


def test_help_lists_every_command() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    listed = [line.split()[0] for line in result.output.split("Commands:\n")[1].splitlines()]
    assert listed == sorted(COMMANDS)
    assert "  open         Open the audit FILE in the TUI.\n" in result.output


def test_a_command_loads_on_first_use() -> None:
    result = CliRunner().invoke(cli, ["eligibility", "--headcount", "6", "11"])
    assert result.exit_code == 0 and result.output.startswith("COR:")
    assert isinstance(cli.commands["eligibility"], click.Command)


def test_help_and_open_import_no_other_command_module() -> None:
    probe = (
        "import sys\n"
        "from auditkit.cli import main\n"
        "main(sys.argv[1:])\n"
        "print(sorted(m for m in sys.modules if m.startswith('auditkit.cli.')))\n"
    )
    for args, loaded in (
        (["--help"], ["auditkit.cli.group", "auditkit.cli.lazy"]),
        (["open", "--help"], ["auditkit.cli.group", "auditkit.cli.lazy", "auditkit.cli.tui"]),
    ):
        result = subprocess.run(
            [sys.executable, "-c", probe, *args], capture_output=True, text=True, check=True
        )
        assert result.stdout.strip().splitlines()[-1] == repr(loaded)


def test_commands_are_grouped_by_what_the_auditor_is_doing() -> None:
    families: dict[str, set[str]] = {}
    for name, (module, _) in COMMANDS.items():
        families.setdefault(module.removeprefix("auditkit.cli."), set()).add(name)
    assert families == {
        "setup": {"new", "profile", "subject", "eligibility", "validate"},
        "fieldwork": {"answer", "questions", "score", "sample", "recommend", "evidence"},
        "team": {"check", "merge", "conflicts", "verify", "log", "finalize"},
        "reports": {"export", "import"},
        "tui": {"demo", "open", "serve"},
        "portfolio": {"publish", "pull", "portfolio"},
        "findings": {"finding", "actions", "action"},
        "cycle": {"compare"},
    }
