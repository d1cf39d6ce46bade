"""The bench's reference: a bare ASGI app answering every request as /healthz does,
served exactly as `bimtek serve` serves Bimtek (same uvicorn options, processes and
logging), so that /healthz over this ping says what Bimtek's own HTTP path costs.

    .venv/bin/python -m bench.ping_app --port 8001 --workers 2
"""

import argparse

from starlette.types import Receive, Scope, Send

from service.cli import uvicorn_options
from service.settings import get_settings

BODY = b'{"status":"ok"}'
HEADERS = [(b"content-type", b"application/json"), (b"content-length", b"15")]


async def lifespan(receive: Receive, send: Send) -> None:
    """Nothing to start or stop: say so to the server."""
    while (await receive())["type"] != "lifespan.shutdown":
        await send({"type": "lifespan.startup.complete"})
    await send({"type": "lifespan.shutdown.complete"})


async def ping(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        await lifespan(receive, send)
        return
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": BODY})


def create_app() -> object:
    return ping


def main(argv: list[str] | None = None, app: str = "bench.ping_app:create_app",
         description: str | None = __doc__) -> int:
    """Serve `app` (a factory) as `bimtek serve` serves Bimtek, with its options."""
    import uvicorn

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--log-level", default="info")
    args = parser.parse_args(argv)
    uvicorn.run(app, factory=True, host=args.host, port=args.port, workers=args.workers,
                log_level=args.log_level, **uvicorn_options(get_settings()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
