"""Shapes for the units register, a meeting's presenters and the sessions' materials."""

from datetime import date, datetime, time
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, StringConstraints

from service.schemas.common import OptInt, SingleLine, _blank_to_none

if TYPE_CHECKING:  # the services build these from their rows
    from service.models import OrgUnit
    from service.services.meetings.materials import MaterialRow
    from service.services.meetings.presenters import PresenterRow

# The kinds of models/units.UNIT_KINDS.
UnitKind = Literal["opd", "kecamatan", "kabupaten_kota", "kampung_kb", "other"]
Text200 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), SingleLine]
Text300 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300), SingleLine]
OptText200 = Annotated[Text200 | None, BeforeValidator(_blank_to_none)]


class UnitIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: Text200
    kind: UnitKind = "opd"
    focal_name: Text200 = ""
    focal_phone: Annotated[str, StringConstraints(strip_whitespace=True, max_length=30),
                           SingleLine] = ""
    focal_email: Annotated[str, StringConstraints(strip_whitespace=True, max_length=254),
                           SingleLine] = ""


class UnitPatch(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: Text200 | None = None
    kind: UnitKind | None = None
    focal_name: Text200 | None = None
    focal_phone: Annotated[str, StringConstraints(strip_whitespace=True, max_length=30),
                           SingleLine] | None = None
    focal_email: Annotated[str, StringConstraints(strip_whitespace=True, max_length=254),
                           SingleLine] | None = None


class UnitRead(BaseModel):
    id: int
    name: str
    kind: str
    focal_name: str
    # The whole number for an organization's admins, its last 4 digits for others.
    focal_phone: str
    focal_email: str
    in_use: bool = False


class UnitList(BaseModel):
    items: list[UnitRead]
    total: int


class PresenterIn(BaseModel):
    """A presenter: the unit by id (from the register) or by name (added when new)."""

    model_config = ConfigDict(extra="ignore")

    unit_id: OptInt = None
    unit: OptText200 = None
    name: Text200
    position: Text200 = ""
    topic: Text300
    day: date
    start_time: time
    end_time: time
    batch_id: OptInt = None
    sort_order: OptInt = None


class PresenterPatch(BaseModel):
    model_config = ConfigDict(extra="ignore")

    unit_id: OptInt = None
    unit: OptText200 = None
    name: Text200 | None = None
    position: Text200 | None = None
    topic: Text300 | None = None
    day: date | None = None
    start_time: time | None = None
    end_time: time | None = None
    batch_id: OptInt = None
    sort_order: int | None = None


class PresenterRead(BaseModel):
    id: int
    training_id: int
    batch_id: int
    unit_id: int
    unit: str
    unit_kind: str
    name: str
    position: str
    topic: str
    day: date
    start_time: time
    end_time: time
    sort_order: int
    file_name: str | None
    file_type: str | None
    file_size: int | None
    file_url: str | None


class PresenterList(BaseModel):
    items: list[PresenterRead]
    total: int


class MaterialRead(BaseModel):
    id: int
    session_id: int
    session: str
    batch: str
    date: date
    start_time: time
    title: str
    file_name: str
    file_type: str
    file_size: int
    uploaded_by_speaker: str | None
    created_at: datetime
    file_url: str


class MaterialList(BaseModel):
    items: list[MaterialRead]
    total: int



def unit_read(unit: "OrgUnit", admin: bool, in_use: bool = False) -> UnitRead:
    shown = unit.focal_phone if admin or not unit.focal_phone \
        else f"{'•' * 8}{unit.focal_phone[-4:]}"
    return UnitRead(id=unit.id or 0, name=unit.name, kind=unit.kind,
                    focal_name=unit.focal_name, focal_phone=shown,
                    focal_email=unit.focal_email, in_use=in_use)


def presenter_read(row: "PresenterRow") -> PresenterRead:
    p = row.presenter
    has_file = bool(p.file_type)
    return PresenterRead(
        id=p.id or 0, training_id=p.training_id, batch_id=p.batch_id, unit_id=p.unit_id,
        unit=row.unit.name, unit_kind=row.unit.kind, name=p.name, position=p.position,
        topic=p.topic, day=p.day, start_time=p.start_time, end_time=p.end_time,
        sort_order=p.sort_order, file_name=p.file_name if has_file else None,
        file_type=p.file_type if has_file else None,
        file_size=p.file_size if has_file else None,
        file_url=f"/api/presenters/{p.id}/file" if has_file else None)


def material_read(row: "MaterialRow") -> MaterialRead:
    m = row.material
    return MaterialRead(id=m.id or 0, session_id=m.session_id, session=row.session.title,
                        batch=row.batch.name, date=row.session.date,
                        start_time=row.session.start_time, title=m.title,
                        file_name=m.file_name, file_type=m.file_type, file_size=m.file_size,
                        uploaded_by_speaker=row.speaker, created_at=m.created_at,
                        file_url=f"/api/materials/{m.id}/file")
