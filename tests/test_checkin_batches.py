"""The fast lane's batches (middleware/checkin_lane.Batches): scans that arrive while the
database is busy go together, and whatever befalls a batch, every scan in it is answered
(never left waiting)."""

from typing import Any

import anyio
import pytest
from sqlalchemy.exc import OperationalError

from service.middleware.checkin_lane import Batches
from tests.helpers import run_async


def test_scans_waiting_for_a_busy_database_go_together() -> None:
    sizes: list[int] = []
    release = anyio.Event()

    async def run(decisions: list[Any]) -> list[Any]:
        sizes.append(len(decisions))
        await release.wait()  # the database is busy with this batch
        return [f"done {d}" for d in decisions]

    async def main() -> list[Any]:
        batches = Batches(run, flights=1)
        answers: list[Any] = []

        async def scan(n: int) -> None:
            answers.append(await batches.decide(n))  # type: ignore[arg-type]

        async with anyio.create_task_group() as tg:
            for n in range(6):
                tg.start_soon(scan, n)
                await anyio.sleep(0.01)
            release.set()
        return answers

    answers = run_async(main)
    assert sizes == [1, 5]  # the first alone, at once; the five that waited, together
    assert sorted(answers) == [f"done {n}" for n in range(6)]


def test_a_database_failure_hands_every_scan_to_the_route() -> None:
    async def run(decisions: list[Any]) -> list[Any]:
        raise OperationalError("INSERT", {}, Exception("connection lost"))

    async def main() -> list[Any]:
        batches = Batches(run, flights=2)
        return [await batches.decide(n) for n in range(3)]  # type: ignore[arg-type]

    assert run_async(main) == [None, None, None]


def test_a_bug_fails_the_scans_it_met_and_not_the_lane() -> None:
    calls = 0

    async def run(decisions: list[Any]) -> list[Any]:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise ZeroDivisionError("a bug")
        return ["ok" for _d in decisions]

    async def main() -> Any:
        batches = Batches(run, flights=1)
        with pytest.raises(ZeroDivisionError):
            await batches.decide(1)  # type: ignore[arg-type]
        return await batches.decide(2)  # type: ignore[arg-type]

    assert run_async(main) == "ok"
