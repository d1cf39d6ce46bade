"""Letters (surat dinas): an office's letter settings (its kop surat, place, signatory
and the numbering of each kind of letter) and the letters it issued for a training, each
keeping the number it was given."""

from datetime import date, datetime

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from service.i18n import N_
from service.models.base import created_at_field, timestamp_field

# invitation: surat undangan to a unit that sends delegates; speaker_request: surat
# permohonan narasumber; committee_assignment: surat tugas for the committee.
LETTER_KINDS = ("invitation", "speaker_request", "committee_assignment")
LETTER_KIND_LABELS = {"invitation": N_("Invitation"),
                      "speaker_request": N_("Request to a narasumber"),
                      "committee_assignment": N_("Committee assignment letter")}
MAX_HEADER_LINES = 5
DEFAULT_LETTER_PATTERN = "{seq:03}/{code}/{roman_month}/{year}"


class LetterSettings(SQLModel, table=True):
    """One row per organization, written by its admin."""

    __tablename__ = "letter_settings"

    organization_id: int = Field(foreign_key="organization.id", primary_key=True,
                                 ondelete="CASCADE")
    # The kop surat's lines under (beside) the logo, top to bottom: "PEMERINTAH KOTA
    # PADANG", the office's name, its address, phone and email. At most five.
    header_lines: list[str] = Field(default_factory=list,
                                    sa_column=Column(JSON, nullable=False))
    place: str = Field(default="", max_length=120)  # "Padang", before the letter's date
    signatory_name: str = Field(default="", max_length=200)  # with titles
    signatory_nip: str = Field(default="", max_length=18)
    signatory_position: str = Field(default="", max_length=200)  # "Kepala Dinas"
    # Who a unit calls with questions (printed in invitations).
    contact: str = Field(default="", max_length=200)
    invitation_pattern: str = Field(default=DEFAULT_LETTER_PATTERN, max_length=120)
    invitation_code: str = Field(default="005", max_length=30)
    speaker_request_pattern: str = Field(default=DEFAULT_LETTER_PATTERN, max_length=120)
    speaker_request_code: str = Field(default="005", max_length=30)
    committee_assignment_pattern: str = Field(default=DEFAULT_LETTER_PATTERN, max_length=120)
    committee_assignment_code: str = Field(default="094", max_length=30)
    updated_at: datetime = created_at_field()
    updated_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")


class IssuedLetter(SQLModel, table=True):
    """A letter as issued: its number, date and recipient are kept; its text is made again
    from the training's data whenever it is downloaded."""

    __tablename__ = "issued_letter"
    __table_args__ = (UniqueConstraint("organization_id", "kind", "year", "seq"),
                      Index("ix_issued_letter_training_kind", "training_id", "kind"))

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True, ondelete="CASCADE")
    training_id: int = Field(foreign_key="training.id", ondelete="CASCADE")
    kind: str = Field(max_length=30)  # LETTER_KINDS
    number: str = Field(max_length=120)
    seq: int
    year: int  # the counter's year (the letter date's)
    letter_date: date
    recipient: str = Field(max_length=300)  # "Kepala Dinas PPKB Kabupaten Musi Banyuasin"
    unit_id: int | None = Field(default=None, foreign_key="org_unit.id", index=True,
                                ondelete="SET NULL")
    speaker_id: int | None = Field(default=None, foreign_key="speaker.id", index=True,
                                   ondelete="SET NULL")
    # The invitation's own nomination link as printed: the letter is the office's copy of
    # what it sent, and the link's token is stored hashed only, so it is kept here.
    link_url: str = Field(default="", max_length=500)
    issued_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    issued_at: datetime = created_at_field()
    # Set when a letter with a new number was issued to the same recipient.
    replaced_at: datetime | None = timestamp_field()
