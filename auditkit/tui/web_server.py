"""textual-serve's web server, quieter and with a clean stop (used by :mod:`auditkit.tui.serve`)."""

from __future__ import annotations

import asyncio
import hmac
import logging
from contextlib import suppress
from pathlib import Path

from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server

# auditkit's own page (web/app_index.html): textual-serve's fetches its font from a web service.
TEMPLATES = Path(__file__).parent / "web"
REAP_SECONDS = 10  # an app whose output has ended gets this long to exit before it is killed


class AuditServer(Server):
    """Runs ``command`` (one ``auditkit open FILE``) for each browser connection."""

    def __init__(self, command: str, name: str, host: str, port: int, key: str) -> None:
        super().__init__(
            command,
            host=host,
            port=port,
            title=f"auditkit · {name}",
            templates_path=TEMPLATES,
        )
        self.audit_name = name
        self.key = key  # in the address printed, then a cookie: see refuse_without_key
        self.cookie = f"auditkit-{port}"
        self.sessions: set[asyncio.Task[object]] = set()

    @property
    def address(self) -> str:
        """The address to open: the page, with the key that lets this browser in."""
        return f"{self.public_url}/?key={self.key}"

    def initialize_logging(self) -> None:
        """Warnings and errors only (a session whose app failed to start): textual-serve's
        default also logs every HTTP request, which would bury the one line that matters."""
        super().initialize_logging()
        logging.getLogger().setLevel(logging.WARNING)

    async def on_startup(self, app: web.Application) -> None:
        """One line instead of textual-serve's banner: what to open, and how to stop."""
        print(
            f"auditkit: {self.audit_name} is at {self.address} - open it in your web "
            f"browser; press ctrl+c here to stop",
            flush=True,
        )

    def refuse_foreign(self, request: web.Request) -> None:
        """Refuse a request addressed to another host name, or a websocket opened by a page
        from another origin.

        Listening on 127.0.0.1 keeps the network out, but not the web pages open in the
        user's own browser: any page may open a websocket to 127.0.0.1 (browsers do not stop
        it), and a name re-pointed at 127.0.0.1 (DNS rebinding) makes it same-origin. Only
        this server's own page, by its own address, may drive the audit.
        """
        hosts = {f"{name}:{self.port}" for name in ("127.0.0.1", "localhost")}
        if request.host not in hosts:
            raise web.HTTPForbidden(text=f"auditkit serves only http://{self.host}:{self.port}\n")
        origin = request.headers.get("Origin")
        if origin is not None and origin not in {f"http://{host}" for host in hosts}:
            raise web.HTTPForbidden(text="auditkit: a page from another site may not connect\n")

    def refuse_without_key(self, request: web.Request, given: str | None) -> None:
        """Refuse a request that does not carry this server's key.

        127.0.0.1 is reachable by every user of the computer, not only the auditor who
        started the server: the page needs the key printed in the auditor's terminal, and
        the page's session (its websocket) the cookie the page was given with it.
        """
        if given is None or not hmac.compare_digest(given, self.key):
            raise web.HTTPForbidden(
                text="auditkit: open the address auditkit serve printed (it carries a key)\n"
            )

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """The page that holds the terminal; it leaves the key in a cookie for its session."""
        self.refuse_foreign(request)
        self.refuse_without_key(request, request.query.get("key", request.cookies.get(self.cookie)))
        response = await super().handle_index(request)
        response.set_cookie(self.cookie, self.key, httponly=True, samesite="Strict")
        return response

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
        """A file the app hands to the browser."""
        self.refuse_foreign(request)
        self.refuse_without_key(request, request.cookies.get(self.cookie))
        return await super().handle_download(request)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One browser tab: its own app process, for as long as both are there.

        textual-serve's handler leaves the tab waiting forever when the app exits without
        saying so (an audit file moved away since the server started); here the tab is told
        the session ended whenever the app's process does.
        """
        self.refuse_foreign(request)
        self.refuse_without_key(request, request.cookies.get(self.cookie))
        task = asyncio.current_task()
        websocket = web.WebSocketResponse(heartbeat=15)
        await websocket.prepare(request)

        async def close() -> None:
            await websocket.close()

        session = Session(
            self.command,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=close,
            download_manager=self.download_manager,
        )
        if task is not None:
            self.sessions.add(task)
        try:
            await session.start(_size(request, "width", 80), _size(request, "height", 24))
            await self._process_messages(websocket, session)
        finally:  # the tab closed, the app ended, or the server is stopping (cancelled)
            await websocket.close()
            await session.stop()
            if task is not None:
                self.sessions.discard(task)
        return websocket

    async def on_shutdown(self, app: web.Application) -> None:
        """Stop every open session; without this the server waits for each tab to close.

        A cancelled session closes its websocket and asks its app to quit, so each app
        leaves as after ctrl+q (its engine thread finishes the write it is doing).
        """
        sessions = list(self.sessions)
        for task in sessions:
            task.cancel()
        if sessions:
            await asyncio.wait(sessions, timeout=10)


class Session(AppService):
    """One tab's app process; the tab's websocket closes when the process ends."""

    async def run(self) -> None:
        """Relay the app's output until its process ends, then close the tab's websocket."""
        try:
            await super().run()
        finally:
            await self._reap()
            await self.remote_close()

    async def _reap(self) -> None:
        """Wait for the app's process to end and close its pipes while the event loop runs.

        textual-serve never waits for the process: its pipes were left to the garbage
        collector, which could close them after the server's loop had ended and print a
        traceback ("Event loop is closed") on the way out.
        """
        process = self._process
        if process is None:
            return
        try:
            await asyncio.wait_for(process.wait(), REAP_SECONDS)
        except TimeoutError:  # the app did not leave after its output ended: stop it
            with suppress(ProcessLookupError):
                process.kill()
            await process.wait()
        transport = getattr(process, "_transport", None)  # no public close in asyncio
        if transport is not None:
            transport.close()


def _size(request: web.Request, name: str, default: int) -> int:
    """The terminal's width or height the page asks for (a sane default if it is not a
    number)."""
    try:
        return max(1, min(int(request.query.get(name, default)), 1000))
    except ValueError:
        return default
