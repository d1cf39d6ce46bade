"""A narasumber's finance fields (NIP, golongan, NPWP, bank account, honorarium class):
personal data that only the treasurer and admins see (routers/deps ApiFinance). Lists
show them masked; the values never go to a log."""

import re

from sqlmodel import Session

from service.errors import FieldError
from service.models import Speaker
from service.schemas.spj import SpeakerFinanceIn

_SEPARATORS = re.compile(r"[\s.\-/]")


def _digits(value: str | None) -> str | None:
    return _SEPARATORS.sub("", value) if value else None


def mask(value: str | None) -> str:
    """The last four digits only: "•••• 4321" (empty when there is nothing)."""
    if not value:
        return ""
    return f"•••• {value[-4:]}"


def mask_npwp(value: str | None) -> str:
    """A 15-digit NPWP by the last four digits of the taxpayer's own number (its last six
    name the tax office and branch, the same for a whole office's staff); a 16-digit one
    (a NIK) by its last four."""
    if value and len(value) == 15:
        return f"•••• {value[5:9]}"
    return mask(value)


def normalized(data: SpeakerFinanceIn) -> dict[str, str | None]:
    """The fields as stored: NIP 18 digits, NPWP 15 or 16 digits, account digits only
    (the dots and dashes people type are dropped); a clear 422 otherwise."""
    nip, npwp, account = _digits(data.nip), _digits(data.npwp), _digits(data.bank_account)
    if nip is not None and not re.fullmatch(r"\d{18}", nip):
        raise FieldError("nip", "A NIP has 18 digits.", code="invalid_nip")
    if npwp is not None and not re.fullmatch(r"\d{15}|\d{16}", npwp):
        raise FieldError("npwp", "An NPWP has 15 or 16 digits.", code="invalid_npwp")
    if account is not None and not re.fullmatch(r"\d{5,30}", account):
        raise FieldError("bank_account", "An account number has 5 to 30 digits.",
                         code="invalid_account")
    return {"nip": nip, "golongan": data.golongan, "npwp": npwp,
            "bank_name": data.bank_name, "bank_account": account,
            "account_holder": data.account_holder, "honorarium_class": data.honorarium_class}


def save(db: Session, speaker: Speaker, data: SpeakerFinanceIn) -> Speaker:
    for key, value in normalized(data).items():
        setattr(speaker, key, value)
    db.add(speaker)
    db.flush()
    return speaker


def fmt_npwp(npwp: str | None) -> str:
    """An NPWP as printed: 15 digits as 12.345.678.9-012.345; 16 digits as they are."""
    if not npwp:
        return ""
    if len(npwp) == 15:
        return f"{npwp[:2]}.{npwp[2:5]}.{npwp[5:8]}.{npwp[8]}-{npwp[9:12]}.{npwp[12:]}"
    return npwp


def fmt_nip(nip: str | None) -> str:
    """A NIP as printed: 19700101 199003 1 002."""
    if not nip or len(nip) != 18:
        return nip or ""
    return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
