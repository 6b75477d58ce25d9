"""A small load driver that speaks Streamlit's own protocol, as a browser does.

A plain HTTP GET does not run the script; a browser opens the websocket
``/_stcore/stream`` (sub-protocol ``streamlit``), sends a ``BackMsg`` with ``rerun_script``
(the page and its query string) and reads ``ForwardMsg``s until ``script_finished``. This
module does exactly that with the protobufs that ship in the streamlit package, so a
benchmark measures what a viewer waits for: the server's time to run the page, on
loopback.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

FINISHED = {
    ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY,
    ForwardMsg.ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
}


class RunFailed(RuntimeError):
    """The script did not finish successfully (an exception, or the page was not found)."""


@dataclass
class Session:
    """One viewer's session: ``open`` runs the page the first time, ``rerun`` again."""

    base_url: str  # http://127.0.0.1:PORT
    page: str = ""  # the page's url path ("" for the default page)
    query: str = ""  # without "?"
    timeout: float = 120.0
    page_script_hash: str = ""
    deltas: int = 0
    errors: list[str] = field(default_factory=list)
    _ws: object = None

    @property
    def ws_url(self) -> str:
        return self.base_url.replace("http://", "ws://", 1).rstrip("/") + "/_stcore/stream"

    async def open(self) -> float:
        """Connect and run the page: the cold first render, in seconds."""
        self._ws = await websockets.connect(
            self.ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=self.timeout
        )
        return await self.rerun()

    async def rerun(self) -> float:
        """Run the page once more (a warm rerun); seconds until ``script_finished``."""
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query
        state.page_name = self.page
        if self.page_script_hash:
            state.page_script_hash = self.page_script_hash
        started = time.perf_counter()
        await self._ws.send(msg.SerializeToString())
        self.deltas = 0
        while True:
            raw = await asyncio.wait_for(self._ws.recv(), timeout=self.timeout)
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if kind == "navigation":  # the page this run resolved to (new_session's hash is
                # the main script's: sent back, it would make every rerun the default page)
                ran = fwd.navigation.page_script_hash
                if self.page_script_hash and ran != self.page_script_hash:
                    raise RunFailed(f"the rerun of {self.page!r} ran another page")
                self.page_script_hash = ran
            elif kind == "delta":
                self.deltas += 1
                if fwd.delta.new_element.WhichOneof("type") == "exception":
                    self.errors.append(fwd.delta.new_element.exception.message)
            elif kind == "page_not_found":
                raise RunFailed(f"page {self.page!r} was not found")
            elif kind == "script_finished":
                if fwd.script_finished not in FINISHED:
                    raise RunFailed(f"script finished with status {fwd.script_finished}")
                if self.errors:
                    raise RunFailed(f"the page raised: {self.errors[0][:200]}")
                return time.perf_counter() - started

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()


async def open_and_rerun(base_url: str, page: str, query: str, reruns: int) -> tuple[float, list]:
    """One session: (cold first render seconds, [warm rerun seconds...])."""
    session = Session(base_url, page, query)
    try:
        cold = await session.open()
        warm = [await session.rerun() for _ in range(reruns)]
    finally:
        await session.close()
    return cold, warm


async def concurrent(base_urls: list[str], page: str, query: str, reruns: int) -> list:
    """One viewer per base url (a server may be listed more than once), all at once, each
    opening the page then rerunning it ``reruns`` times; every warm rerun time, in
    seconds."""
    viewers = [Session(base, page, query) for base in base_urls]
    try:
        await asyncio.gather(*(v.open() for v in viewers))
        times: list[float] = []

        async def loop(v: Session) -> None:
            for _ in range(reruns):
                times.append(await v.rerun())

        await asyncio.gather(*(loop(v) for v in viewers))
        return times
    finally:
        await asyncio.gather(*(v.close() for v in viewers), return_exceptions=True)
