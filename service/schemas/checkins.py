"""Shapes of check-in requests: one scan at the door, or a device's queue of offline scans."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

# Nonces and device ids are made by scanner apps: short, printable, no markup.
Token = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64,
                                         pattern=r"^[A-Za-z0-9._:\-]+$")]
# Longer than any ticket code, so a wrong code gets invalid_ticket rather than a length error.
Code = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
Id = Annotated[int, Field(ge=1, le=2**31 - 1)]
MAX_SYNC_SCANS = 500


class _Scan(BaseModel):
    model_config = ConfigDict(extra="ignore")

    code: Code | None = None
    registration_id: Id | None = None
    batch_id: Id | None = None
    session_id: Id | None = None
    scanned_at: datetime | None = None
    nonce: Token | None = None

    @model_validator(mode="after")
    def _one_target(self) -> "_Scan":
        if (self.code is None) == (self.registration_id is None):
            raise ValueError("send either code (a QR text) or registration_id")
        return self


class CheckinRequest(_Scan):
    device_id: Token | None = None


class SyncScan(_Scan):
    scanned_at: datetime
    nonce: Token
    method: Literal["qr", "manual"] | None = None


class SyncRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    device_id: Token
    scans: Annotated[list[SyncScan], Field(max_length=MAX_SYNC_SCANS)]
