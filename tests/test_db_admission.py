"""DbAdmissionMiddleware: at most `limit` requests of a process work with the database at
once, and a request gives its place back when its response starts (its unit of work is
committed by then), so a long streamed download does not hold one."""

from collections.abc import AsyncIterator
from typing import Any

import anyio
import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, StreamingResponse
from starlette.routing import Route

from service.middleware import DbAdmissionMiddleware
from tests.helpers import run_async


def _app(events: list[str], release: anyio.Event) -> Any:
    async def download(_request: Request) -> StreamingResponse:
        async def body() -> AsyncIterator[bytes]:
            yield b"first chunk "
            events.append("download streaming")
            await release.wait()  # a slow client, or many certificates still to draw
            yield b"last chunk"

        return StreamingResponse(body())

    async def page(_request: Request) -> PlainTextResponse:
        events.append("page served")
        return PlainTextResponse("ok")

    app = Starlette(routes=[Route("/download", download), Route("/page", page)])
    return DbAdmissionMiddleware(app, limit=1)


def test_a_streaming_download_gives_its_place_back_when_it_starts() -> None:
    async def main() -> list[str]:
        events: list[str] = []
        release = anyio.Event()
        transport = httpx.ASGITransport(app=_app(events, release))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            async def download() -> None:
                async with client.stream("GET", "/download") as r:
                    async for _chunk in r.aiter_bytes():
                        pass
                events.append("download done")

            async with anyio.create_task_group() as tg:
                tg.start_soon(download)
                with anyio.fail_after(5):
                    while "download streaming" not in events:
                        await anyio.sleep(0.01)
                    # With the only place still held, this would wait for the download.
                    assert (await client.get("/page")).text == "ok"
                release.set()
        return events

    events = run_async(main)
    assert events == ["download streaming", "page served", "download done"]


def test_the_limit_holds_while_requests_work() -> None:
    async def main() -> int:
        busy = peak = 0

        async def work(_request: Request) -> PlainTextResponse:
            nonlocal busy, peak
            busy += 1
            peak = max(peak, busy)
            await anyio.sleep(0.02)
            busy -= 1
            return PlainTextResponse("ok")

        app = DbAdmissionMiddleware(Starlette(routes=[Route("/work", work)]), limit=2)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://t") as client:
            async with anyio.create_task_group() as tg:
                for _ in range(10):
                    tg.start_soon(client.get, "/work")
        return peak

    assert run_async(main) == 2
