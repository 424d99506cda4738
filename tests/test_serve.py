"""``auditkit serve``: the TUI in a browser, driven in headless Chromium (Debian's, through
Playwright), and the server's refusals and its loopback-only socket.

The browser test needs /usr/bin/chromium (.ci/run installs it) and is skipped without it.
"""

from __future__ import annotations

import http.client
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from auditkit.audit import Audit, Profile
from auditkit.cli import main
from auditkit.store.audit_file import Store
from auditkit.tui.serve import app_command
from tests.conftest import MINI

CHROMIUM = Path("/usr/bin/chromium")
# No browser download (the machine has no network): Debian's Chromium, headless, with
# everything that would phone home turned off.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Generous bounds for a loaded 2-core machine; they end a hung test, they measure nothing.
START = 60.0
UI_MS = 60_000

# textual.js keeps its xterm.js Terminal in a closure, as ``<its object>.terminal``. A setter on
# Object.prototype catches that assignment, so the test can read the terminal's screen buffer:
# the characters xterm draws, row by row, whatever renderer (WebGL, canvas) paints them.
CATCH_TERMINAL = """
window.__terminals = [];
Object.defineProperty(Object.prototype, 'terminal', {
  configurable: true,
  set(value) {
    Object.defineProperty(this, 'terminal', {
      value: value, writable: true, configurable: true, enumerable: true,
    });
    if (value && value.buffer && value.buffer.active) window.__terminals.push(value);
  },
});
"""
SCREEN_TEXT = """() => {
  const terminal = window.__terminals[0];
  if (!terminal) return '';
  const buffer = terminal.buffer.active;
  const rows = [];
  for (let y = 0; y < terminal.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    rows.push(line ? line.translateToString(true) : '');
  }
  return rows.join('\\n');
}"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def mini_audit(path: Path) -> Path:
    with Audit.create(
        path,
        Profile(
            company="Mini Co",
            protocol=str(MINI),
            headcounts=(12,),
            sites=("Yard",),
            start_date="2026-11-16",
        ),
    ):
        pass
    return path


def contents(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with Store.open(path) as store:
        return store.dump()


def listening(port: int) -> list[str]:
    """The local addresses of every TCP socket listening on ``port`` (IPv4 and IPv6), read
    from the kernel's tables."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, port_hex = fields[1].rsplit(":", 1)
            if fields[3] == "0A" and int(port_hex, 16) == port:  # 0A: LISTEN
                found.append(address)
    return found


class Served:
    """``auditkit serve FILE`` as a user starts it: its own process group (so the test can
    also end every app it spawned), output kept in files (a full pipe would stall it)."""

    def __init__(self, path: Path, port: int, out: Path) -> None:
        self.port = port
        self.out = out
        env = dict(os.environ, AUDITKIT_AUDITOR="Pat Lee")
        with open(out, "w") as stdout, open(out.with_suffix(".err"), "w") as stderr:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "auditkit.cli", "serve", str(path), "--port", str(port)],
                stdout=stdout,
                stderr=stderr,
                stdin=subprocess.DEVNULL,
                env=env,
                start_new_session=True,
            )

    def wait_listening(self) -> None:
        deadline = time.monotonic() + START
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"auditkit serve exited: {self.output()}")
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        pytest.fail(f"auditkit serve did not listen on port {self.port}")

    def output(self) -> str:
        return self.out.read_text() + self.out.with_suffix(".err").read_text()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def address(self) -> str:
        """The address the server printed for the auditor to open (with its key)."""
        found = re.search(r" is at (\S+) - open it", self.out.read_text())
        assert found, self.output()
        return found.group(1)

    @property
    def key(self) -> str:
        return self.address.rsplit("key=", 1)[1]

    def group_alive(self) -> bool:
        try:
            os.killpg(self.process.pid, 0)
        except ProcessLookupError:
            return False
        return True

    def stop(self) -> int:
        """ctrl+c, as the user stops it; the exit code."""
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=START)

    def wait_group_gone(self) -> bool:
        """Whether every process the server started (one app per browser tab) has ended."""
        deadline = time.monotonic() + START
        while self.group_alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        return not self.group_alive()

    def kill(self) -> None:
        if self.group_alive():
            os.killpg(self.process.pid, signal.SIGKILL)
        if self.process.poll() is None:
            self.process.wait(timeout=START)


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[list[Served]]:
    """Servers a test starts; whatever it leaves running is killed, app processes too."""
    started: list[Served] = []
    yield started
    for server in started:
        server.kill()


def start(started: list[Served], path: Path, tmp_path: Path) -> Served:
    server = Served(path, free_port(), tmp_path / f"serve{len(started)}.out")
    started.append(server)
    server.wait_listening()
    return server


def test_a_key_pressed_in_the_browser_records_the_answer_in_the_file(
    tmp_path: Path, serve: list[Served]
) -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent (.ci/run installs Debian's chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Spaces, a quote, $ and backquotes: textual-serve hands the command to a shell.
    path = mini_audit(tmp_path / "Mini Co's $HOME `id` yard.audit")
    server = start(serve, path, tmp_path)
    url = server.base
    assert re.fullmatch(
        re.escape(f"auditkit: {path.name} is at {url}/?key=")
        + r"[A-Za-z0-9_-]{22}"
        + re.escape(" - open it in your web browser; press ctrl+c here to stop\n"),
        server.out.read_text(),
    )

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS, timeout=UI_MS
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.add_init_script(CATCH_TERMINAL)
            requested: list[str] = []
            page.on("request", lambda request: requested.append(request.url))
            page.on("websocket", lambda websocket: requested.append(websocket.url))
            page.goto(server.address, timeout=UI_MS)
            assert page.title() == f"auditkit · {path.name}"
            # The dashboard of this audit, drawn by the TUI the server started for this tab.
            page.wait_for_function(
                f"() => ({SCREEN_TEXT})().includes('Mini Co  COR certification')", timeout=UI_MS
            )
            assert "r Resume" in page.evaluate(SCREEN_TEXT)
            page.locator(".xterm-helper-textarea").focus()
            page.keyboard.press("r")  # the runner, at the first question (1.D1)
            page.wait_for_function(
                f"() => ({SCREEN_TEXT})().includes('0/5 answered')", timeout=UI_MS
            )
            page.keyboard.press("y")
            page.wait_for_function(
                f"() => ({SCREEN_TEXT})().includes('1/5 answered')", timeout=UI_MS
            )
            with Audit.open(path) as audit:
                assert [(a.question_id, a.value) for a in audit.answers()] == [("1.D1", "yes")]
            # Nothing was fetched from outside this computer (no web font service).
            assert requested and all(
                u.startswith((f"{url}/", f"ws://127.0.0.1:{server.port}/")) for u in requested
            ), requested
            # ctrl+c with the tab still open: the server ends, and so does the tab's app.
            assert server.stop() == 0
            assert server.wait_group_gone()
            page.wait_for_selector("body.-closed", timeout=UI_MS)
            assert "The session ended" in page.inner_text("body")
        finally:
            browser.close()
    assert "Traceback" not in server.output()
    with Audit.open(path) as audit:
        assert [(a.question_id, a.value) for a in audit.answers()] == [("1.D1", "yes")]


def test_a_tab_whose_audit_cannot_open_says_the_session_ended(
    tmp_path: Path, serve: list[Served]
) -> None:
    """The file moved away after the server started: the tab says so instead of waiting."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent (.ci/run installs Debian's chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    path = mini_audit(tmp_path / "a.audit")
    server = start(serve, path, tmp_path)
    path.rename(tmp_path / "moved.audit")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS, timeout=UI_MS
        )
        try:
            page = browser.new_page()
            page.goto(server.address, timeout=UI_MS)
            page.wait_for_selector("body.-closed", timeout=UI_MS)
            assert "the audit file could not be opened" in page.inner_text("body")
        finally:
            browser.close()
    assert f"error: {path}: no such audit file" in server.output()
    assert server.stop() == 0
    assert server.wait_group_gone()


def test_the_server_listens_on_loopback_only(tmp_path: Path, serve: list[Served]) -> None:
    server = start(serve, mini_audit(tmp_path / "a.audit"), tmp_path)
    # 0100007F is 127.0.0.1 as the kernel writes it; a wildcard would be 00000000 (or an
    # IPv6 entry), reachable from the network.
    assert listening(server.port) == ["0100007F"]
    assert server.stop() == 0
    assert listening(server.port) == []


# A websocket handshake's headers (the key is RFC 6455's example).
UPGRADE = {
    "Connection": "Upgrade",
    "Upgrade": "websocket",
    "Sec-WebSocket-Version": "13",
    "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
}


def status(port: int, path: str, headers: dict[str, str]) -> int:
    """The HTTP status the server answers to GET ``path`` with ``headers`` (Host included)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=START)
    try:
        connection.putrequest("GET", path, skip_host=True)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders()
        return connection.getresponse().status
    finally:
        connection.close()


def test_only_its_own_page_may_drive_the_audit(tmp_path: Path, serve: list[Served]) -> None:
    """A web page from another site open in the same browser, or a name re-pointed at
    127.0.0.1 (DNS rebinding), gets no session: 127.0.0.1 alone would not stop them."""
    server = start(serve, mini_audit(tmp_path / "a.audit"), tmp_path)
    own = f"127.0.0.1:{server.port}"
    upgrade = UPGRADE
    page = f"/?key={server.key}"
    assert status(server.port, page, {"Host": own}) == 200
    assert status(server.port, page, {"Host": f"localhost:{server.port}"}) == 200
    assert status(server.port, page, {"Host": f"audits.example.com:{server.port}"}) == 403
    assert status(server.port, "/ws", {"Host": own, "Origin": "https://evil.example"}) == 403
    foreign = {"Host": own, "Origin": "https://evil.example", **upgrade}
    assert status(server.port, "/ws", foreign) == 403
    rebound = {
        "Host": f"evil.example:{server.port}",
        "Origin": f"http://evil.example:{server.port}",
    }
    assert status(server.port, "/ws", {**rebound, **upgrade}) == 403
    assert status(server.port, "/download/x", {"Host": f"evil.example:{server.port}"}) == 403
    # Its own page's websocket, with the cookie the page was given, is accepted (switching
    # protocols); the test then hangs up.
    cookie = {"Cookie": f"auditkit-{server.port}={server.key}"}
    own_page = {"Host": own, "Origin": f"http://{own}", **upgrade}
    assert status(server.port, "/ws", {**own_page, **cookie}) == 101
    assert server.stop() == 0
    assert server.wait_group_gone()


def test_another_user_of_the_computer_needs_the_key(tmp_path: Path, serve: list[Served]) -> None:
    """127.0.0.1 is open to every user of the computer: without the key printed in the
    auditor's terminal there is no page and no session."""
    server = start(serve, mini_audit(tmp_path / "a.audit"), tmp_path)
    own = {"Host": f"127.0.0.1:{server.port}"}
    upgrade = {**UPGRADE, "Origin": f"http://127.0.0.1:{server.port}"}
    assert status(server.port, "/", own) == 403
    assert status(server.port, "/?key=guessed", own) == 403
    assert status(server.port, "/ws", {**own, **upgrade}) == 403
    wrong = {"Cookie": f"auditkit-{server.port}=guessed"}
    assert status(server.port, "/ws", {**own, **upgrade, **wrong}) == 403
    assert status(server.port, f"/?key={server.key}", own) == 200
    assert server.stop() == 0


def test_the_command_opens_the_file_with_this_python_quoted_for_the_shell(
    tmp_path: Path,
) -> None:
    path = tmp_path / "site's $(touch pwned) `x`; a.audit"
    command = app_command(path)
    assert shlex.split(command) == [sys.executable, "-m", "auditkit.cli", "open", str(path)]
    # What the shell runs is exactly that: echo the arguments instead of opening.
    echoed = subprocess.run(
        ["sh", "-c", command.replace(shlex.quote(sys.executable), "printf '%s\\n'", 1)],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    assert echoed.stdout.splitlines() == ["-m", "auditkit.cli", "open", str(path)]
    assert not (tmp_path / "pwned").exists()


def test_refusals_are_one_line_and_leave_the_file_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = mini_audit(tmp_path / "a.audit")
    before = contents(path)
    (tmp_path / "notes.txt").write_text("not an audit\n")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        cases = [
            (["serve"], 2, "error: auditkit serve: Missing argument 'FILE'."),
            ([str(tmp_path / "none.audit")], 1, "none.audit: no such audit file"),
            ([str(tmp_path / "notes.txt")], 1, "notes.txt: not an auditkit audit"),
            ([str(path), "--port", "0"], 2, "'--port': 0 is not in the range 1<=x<=65535"),
            ([str(path), "--port", "eighty"], 2, "'--port': 'eighty' is not a valid integer"),
            ([str(path), "--port", str(busy)], 1, f"port {busy} on 127.0.0.1 is in use"),
        ]
        for args, code, message in cases:
            argv = args if args == ["serve"] else ["serve", *args]
            assert main(argv) == code, args
            out, err = capsys.readouterr()
            assert out == "" and err.startswith("error: ") and err.count("\n") == 1, err
            assert message in err, err
    assert contents(path) == before


def test_help_says_why_there_is_no_host_option(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--help"]) == 0
    shown = " ".join(capsys.readouterr().out.split())
    assert "listens on 127.0.0.1 only" in shown and "--host" not in shown
    assert main(["serve", "x.audit", "--host", "0.0.0.0"]) == 2
    assert "No such option '--host'" in capsys.readouterr().err


def test_aiohttp_and_textual_load_only_when_serving() -> None:
    probe = (
        "import sys\n"
        "from auditkit.cli import main\n"
        "main(['serve', '--help'])\n"
        "main(['serve', 'missing.audit'])\n"
        "print(sorted(m for m in ('aiohttp', 'textual', 'textual_serve') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"
