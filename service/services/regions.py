"""The region a training's lists show, group and filter by: kecamatan (a city's cadres) or
kabupaten/kota (a provincial event's officials), as Training.region_level says."""

from typing import Any

from sqlmodel import col

from service.i18n import N_
from service.i18n import gettext as _
from service.models import Participant, Training

# A column header and a breakdown's title for each level.
COLUMN = {"district": N_("Kecamatan"), "regency": N_("Kabupaten/Kota")}
BY = {"district": N_("By kecamatan"), "regency": N_("By kabupaten/kota")}
BLANK = {"district": N_("Kecamatan not filled in"),
         "regency": N_("Kabupaten/kota not filled in")}


def level(training: Training) -> str:
    return "regency" if training.region_level == "regency" else "district"


def column(training: Training) -> Any:
    """The participant column holding the training's region."""
    return col(Participant.regency) if level(training) == "regency" else col(Participant.district)


def value(training: Training, person: Participant) -> str | None:
    return person.regency if level(training) == "regency" else person.district


def label(training: Training) -> str:
    """"Kecamatan" or "Kabupaten/Kota", in the user's language."""
    return _(COLUMN[level(training)])


def key(name: str | None) -> str | None:
    """How two spellings of one region compare: "Kab. Ogan Ilir " and "kab. ogan ilir"."""
    cleaned = " ".join(name.split()) if name else ""
    return cleaned.casefold() or None
