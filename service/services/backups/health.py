"""/readyz's backup detail, which must never make /readyz fail."""

import logging
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from service.db import get_engine
from service.models.base import utcnow
from service.services.backups import runs
from service.settings import get_settings

log = logging.getLogger(__name__)


def backup_readiness() -> dict[str, Any] | None:
    """The detail, or None (no backup run yet, or a database without the table)."""
    try:
        with Session(get_engine()) as db:
            return runs.readiness(db, get_settings(), utcnow())
    except (SQLAlchemyError, OSError) as exc:
        log.debug("readyz: no backup detail (%s)", type(exc).__name__)
        return None
