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


def test_a_slow_body_holds_no_place_while_it_arrives() -> None:
    """A form trickling in over a weak signal is read before it is admitted: with one
    place, other requests are answered while its body is still on its way."""
    async def main() -> list[str]:
        events: list[str] = []
        more = anyio.Event()

        async def form(request: Request) -> PlainTextResponse:
            events.append(f"form admitted with {len(await request.body())} bytes")
            return PlainTextResponse("saved")

        async def page(_request: Request) -> PlainTextResponse:
            events.append("page served")
            return PlainTextResponse("ok")

        app = DbAdmissionMiddleware(
            Starlette(routes=[Route("/form", form, methods=["POST"]), Route("/page", page)]),
            limit=1)

        async def trickle() -> AsyncIterator[bytes]:
            yield b"title=Pelatihan+Kader&"
            events.append("first chunk sent")
            await more.wait()  # the village hall's signal comes back later
            yield b"kind=pelatihan"

        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://t") as client:
            async def slow_form() -> None:
                r = await client.post("/form", content=trickle(),
                                      headers={"content-type": "application/x-www-form-urlencoded"})
                events.append(f"form answered {r.text}")

            async with anyio.create_task_group() as tg:
                tg.start_soon(slow_form)
                with anyio.fail_after(5):
                    while "first chunk sent" not in events:
                        await anyio.sleep(0.01)
                    # With the only place held by the slow form, this would wait for it.
                    for _ in range(3):
                        assert (await client.get("/page")).text == "ok"
                more.set()
        return events

    assert run_async(main) == ["first chunk sent", "page served", "page served", "page served",
                               "form admitted with 36 bytes", "form answered saved"]
