"""Home lists the portfolio when AUDITKIT_DB names one: p publishes the audit, u pulls the
highlighted one into a new file and opens it (against both targets)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList

from auditkit.tui.app import AuditkitApp
from auditkit.tui.recent import remember
from auditkit.tui.screens.dashboard import DashboardScreen
from auditkit.tui.screens.home import HomeScreen

from .conftest import copy, edit, new_audit
from .test_publish_pull import content, run

SIZE = (120, 40)


@pytest.fixture(autouse=True)
def _config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("AUDITKIT_AUDITOR", "Test Auditor")
    monkeypatch.chdir(tmp_path)


async def settle(pilot: Pilot[None]) -> None:
    for _ in range(4):  # a worker may start another (publish, then reload the list)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def listed(app: AuditkitApp) -> list[str]:
    options = app.screen.query_one("#portfolio", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_home_publishes_and_pulls_a_colleagues_changes(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    target: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    mine = new_audit(tmp_path / "mine.audit")
    theirs = copy(mine, tmp_path / "theirs.audit")
    with edit(theirs, "sam") as audit:
        audit.answer("8.O1", "yes", subject="Shop", note="Eyewash station tagged and in date")
    assert run(capsys, "publish", theirs, "--db", target)[0] == 0
    other = new_audit(tmp_path / "bow.audit", company="Bow Valley Rentals")
    remember(other, "Bow Valley Rentals")
    monkeypatch.setenv("AUDITKIT_DB", target)

    app = AuditkitApp(remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert [line.split("  ")[0] for line in listed(app)] == ["Acme Ltd"]
        assert "certification" in listed(app)[0] and "100.0 % draft" in listed(app)[0]

        await pilot.press("P")  # the highlighted recent audit
        await settle(pilot)
        assert [line.split("  ")[0] for line in listed(app)] == ["Acme Ltd", "Bow Valley Rentals"]

        app.screen.query_one("#portfolio", OptionList).highlighted = 0
        await pilot.press("G")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert app.session is not None
        pulled = app.session.audit.path
    assert pulled.parent == tmp_path and pulled.name.startswith("acme-ltd-")
    assert content(pulled, ("answers",)) == content(theirs, ("answers",))
    code, out, _ = run(capsys, "verify", pulled)
    assert code == 0 and "verified" in out
    _, listing, _ = run(capsys, "portfolio", "--json")
    assert sorted(r["company"] for r in json.loads(listing)) == ["Acme Ltd", "Bow Valley Rentals"]


async def test_without_a_portfolio_home_has_no_publish_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AUDITKIT_DB", raising=False)
    app = AuditkitApp(remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("P", "G")
        await settle(pilot)
        assert not app.screen.query("#portfolio-panel")
        keys = {binding.key for _, binding, enabled, _ in app.active_bindings.values() if enabled}
        assert "P" not in keys and "G" not in keys
    assert not (tmp_path / "firm").exists()


async def test_p_on_the_dashboard_publishes_the_open_audit(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    target: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from auditkit.audit import Audit

    path = new_audit(tmp_path / "acme.audit")
    monkeypatch.setenv("AUDITKIT_DB", target)
    app = AuditkitApp(Audit.open(path, write=True), remember_recent=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("P")
        await settle(pilot)
        await pilot.press("P")  # again: nothing new
        await settle(pilot)
        shown = [n.message for n in app._notifications]
    assert shown[-2:] == [
        "Acme Ltd: 2 new journal entries published",
        "Acme Ltd: nothing new to publish",
    ]
    _, listing, _ = run(capsys, "portfolio", "--db", target, "--json")
    assert [r["company"] for r in json.loads(listing)] == ["Acme Ltd"]
