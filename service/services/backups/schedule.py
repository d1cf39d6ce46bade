"""The worker's backups: at most one look a minute; one backup per slot of
BIMTEK_BACKUP_EVERY_HOURS (slots counted from the Unix epoch, so a daily one is per UTC
day), taken by whichever worker inserts the slot's row first (the slot is unique), in a
thread of its own so that sending messages goes on meanwhile."""

import math
import threading
import time
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.engine import Engine

from service.models.base import as_utc, utcnow
from service.services.backups import runs
from service.settings import Settings

CHECK_SECONDS = 60.0


def slot_key(now: datetime, hours: float) -> str:
    number = math.floor(as_utc(now).timestamp() / (hours * 3600))
    return f"auto:{hours:g}h:{number}"


class BackupSchedule:
    """One per worker. `tick()` is called every round and costs nothing between looks;
    the first look comes a minute after the worker starts (not in the middle of its
    process's start)."""

    def __init__(self, engine: Engine, settings: Settings,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.engine, self.settings, self.clock = engine, settings, clock
        self._looked = time.monotonic()
        self.thread: threading.Thread | None = None

    def tick(self) -> None:
        if time.monotonic() - self._looked < CHECK_SECONDS:
            return
        self.look()

    def look(self) -> int | None:
        """Take this slot's backup if no worker has: the run's id when this one took it."""
        self._looked = time.monotonic()
        hours = runs.every_hours(self.settings)
        if hours <= 0 or (self.thread is not None and self.thread.is_alive()):
            return None
        now = self.clock()
        run_id = runs.begin(self.engine, "scheduled", now, slot_key(now, hours))
        if run_id is not None:
            self.thread = runs.start_in_thread(self.engine, self.settings, run_id)
        return run_id
