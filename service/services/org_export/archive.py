"""The archive's format, shared by the export and the import: file names, the manifest,
and how each column's values become JSON and back."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    Numeric,
    text,
)
from sqlalchemy import Time as SqlTime
from sqlalchemy.orm import Session

FORMAT = "bimtek-org-export"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MANIFEST_CHECK = "manifest.sha256"
DATA_DIR = "data/"
SHEETS = "sheets/daftar.xlsx"
README = "BACA-SAYA.txt"
# The opt-outs (channel, address) of the office's own addresses: no table of the office's.
OPT_OUTS = "opt_outs.json"


def data_file(table: str) -> str:
    return f"{DATA_DIR}{table}.json"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def alembic_revision(db: Session) -> str | None:
    try:
        return db.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:  # noqa: BLE001  (a database made without Alembic: tests' metadata)
        return None


def encode(column: Column[Any], value: Any) -> Any:
    """A column's value as JSON holds it."""
    if value is None:
        return None
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, datetime):
        if value.tzinfo is None and getattr(column.type, "timezone", False):
            value = value.replace(tzinfo=UTC)  # SQLite hands stored UTC moments back naive
        return value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def decode(column: Column[Any], value: Any) -> Any:
    """A JSON value back as the column takes it; ValueError/TypeError when it is not one."""
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, LargeBinary):
        return base64.b64decode(str(value), validate=True)
    if isinstance(kind, DateTime):
        moment = datetime.fromisoformat(str(value))
        if kind.timezone and moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment
    if isinstance(kind, Date):
        return date.fromisoformat(str(value))
    if isinstance(kind, SqlTime):
        return time.fromisoformat(str(value))
    if isinstance(kind, Boolean):
        if not isinstance(value, bool):
            raise TypeError("not a boolean")
        return value
    if isinstance(kind, Integer):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError("not an integer")
        return value
    if isinstance(kind, Numeric | Float):
        return Decimal(str(value)) if isinstance(kind, Numeric) and kind.asdecimal else value
    if isinstance(kind, JSON):
        return value
    if not isinstance(value, str):
        raise TypeError("not a text")
    return value


def dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
