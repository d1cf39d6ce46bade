"""Watch a live server's /healthz while a test loads it: the longest time it went without
an answer.

The watcher runs in a process of its own, so the load the test makes in its own process
(hundreds of requests in flight, each a little Python work under one GIL) cannot delay
the polls and pass for a server that stopped answering. It polls over a few kept-alive
connections: a connection stays with the app process that accepted it, so a process
whose event loop stalls shows as a gap even while another one keeps answering.
"""

import multiprocessing
import threading
import time
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event
from types import TracebackType

import httpx

_SPAWN = multiprocessing.get_context("spawn")  # no fork of a process running threads


def _poll(base_url: str, every: float, timeout: float, stop: threading.Event,
          first: threading.Barrier, gaps: list[float], polls: list[int], n: int) -> None:
    with httpx.Client(base_url=base_url, timeout=timeout,
                      limits=httpx.Limits(max_connections=1)) as client:
        answered = False
        while not answered:  # the connection is open and answering before the load starts
            try:
                answered = client.get("/healthz").status_code == 200
            except httpx.HTTPError:
                time.sleep(every)
        first.wait()
        last = time.monotonic()
        while not stop.is_set():
            try:
                ok = client.get("/healthz").status_code == 200
            except httpx.HTTPError:
                ok = False
            now = time.monotonic()
            polls[n] += 1
            if ok:
                gaps[n], last = max(gaps[n], now - last), now
            stop.wait(every)
        gaps[n] = max(gaps[n], time.monotonic() - last)


def _watch(base_url: str, connections: int, every: float, timeout: float, ready: Event,
           done: Event, out: "Queue[tuple[float, int]]") -> None:
    stop = threading.Event()
    first = threading.Barrier(connections + 1)
    gaps, polls = [0.0] * connections, [0] * connections
    threads = [threading.Thread(target=_poll, args=(base_url, every, timeout, stop, first,
                                                    gaps, polls, n), daemon=True)
               for n in range(connections)]
    for thread in threads:
        thread.start()
    first.wait()
    ready.set()
    done.wait()
    stop.set()
    for thread in threads:
        thread.join()
    out.put((max(gaps), sum(polls)))


class HealthWatch:
    """with HealthWatch(base_url) as watch: ...load...; then watch.max_gap (seconds)."""

    def __init__(self, base_url: str, connections: int = 4, every: float = 0.05,
                 timeout: float = 1.0) -> None:
        self._ready, self._done = _SPAWN.Event(), _SPAWN.Event()
        self._out: Queue[tuple[float, int]] = _SPAWN.Queue()
        self._process = _SPAWN.Process(
            target=_watch, args=(base_url, connections, every, timeout, self._ready,
                                 self._done, self._out), daemon=True)
        self.max_gap, self.polls = float("inf"), 0

    def __enter__(self) -> "HealthWatch":
        self._process.start()
        if not self._ready.wait(60):
            self._process.kill()
            raise RuntimeError("the /healthz watcher did not start")
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._done.set()
        try:
            self.max_gap, self.polls = self._out.get(timeout=30)
        finally:
            self._process.join(timeout=5)
            if self._process.is_alive():
                self._process.kill()
