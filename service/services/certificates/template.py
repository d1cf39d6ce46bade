"""A training's certificate template: reading it, drafting changes (for the live preview)
and saving them. Every upload is validated before anything is written, so a refused
file leaves the template exactly as it was."""

from dataclasses import dataclass, field, replace
from datetime import date

from sqlmodel import Session, col, select

from service.errors import FieldError
from service.i18n import N_
from service.models import CertificateSignatory, CertificateTemplate, Training
from service.models.base import pk, utcnow
from service.models.certificates import DEFAULT_PATTERN
from service.schemas.certificates import SignatoryIn, TemplateUpdate
from service.services.certificates import images as images
from service.services.certificates import numbering as numbering

MAX_SIGNATORIES = 3


@dataclass
class SignatoryDraft:
    name: str
    title: str = ""
    nip: str = ""
    signature: bytes | None = None


@dataclass
class Draft:
    """The template as plain data: what is stored, or what the editor form holds now."""

    orientation: str = "landscape"
    background: bytes | None = None
    background_name: str | None = None
    title: str = "SERTIFIKAT"
    given_to: str = "diberikan kepada"
    wording: str = "sebagai peserta"
    place: str = ""
    issue_date: date | None = None
    numbering_pattern: str = DEFAULT_PATTERN
    rule: str = "all_days"
    min_percent: int = 100
    show_qr: bool = True
    show_category_batch: bool = True
    place_date_signatory: int | None = None  # None: above the last signatory
    signatories: list[SignatoryDraft] = field(default_factory=list)


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


def stored(db: Session, training: Training) -> CertificateTemplate | None:
    return db.exec(select(CertificateTemplate)
                   .where(CertificateTemplate.training_id == pk(training))).first()


def _signatories(db: Session, template: CertificateTemplate) -> list[CertificateSignatory]:
    return list(db.exec(select(CertificateSignatory)
                        .where(CertificateSignatory.template_id == pk(template))
                        .order_by(col(CertificateSignatory.position))))


def current(db: Session, training: Training) -> Draft:
    """The saved template, or the defaults while none is saved."""
    row = stored(db, training)
    if row is None:
        return Draft()
    return Draft(
        orientation=row.orientation, background=row.background,
        background_name=row.background_name, title=row.title, given_to=row.given_to,
        wording=row.wording, place=row.place, issue_date=row.issue_date,
        numbering_pattern=row.numbering_pattern, rule=row.rule, min_percent=row.min_percent,
        show_qr=row.show_qr, show_category_batch=row.show_category_batch,
        place_date_signatory=row.place_date_signatory,
        signatories=[SignatoryDraft(s.name, s.title, s.nip, s.signature)
                     for s in _signatories(db, row)])


def rule_row(db: Session, training: Training) -> CertificateTemplate:
    """The stored row, or an unsaved one with the defaults (eligibility reads its rule)."""
    return stored(db, training) or CertificateTemplate(training_id=pk(training))


def draft(base: Draft, data: TemplateUpdate, background: Upload | None = None,
          signatures: dict[int, bytes | None] | None = None) -> Draft:
    """`base` changed by the editor: text from `data`, a new background, and per signatory
    position a new signature (bytes) or its removal (None). Raises FieldError, 4xx, for a
    bad pattern or image, before anything is stored."""
    numbering.validate_pattern(data.numbering_pattern)
    if data.rule == "all_days" and data.min_percent != 100:
        data = data.model_copy(update={"min_percent": 100})
    if len(data.signatories) > MAX_SIGNATORIES:
        raise FieldError("signatories", N_("At most three signatories."))
    new_background, new_name = base.background, base.background_name
    if background is not None:
        images.validate_image(background.data, "background")
        new_background, new_name = background.data, background.filename[-255:] or "background"
    elif not data.use_background:
        new_background, new_name = None, None
    signatures = signatures or {}
    people = []
    for n, s in enumerate(data.signatories):
        keep = base.signatories[n].signature if n < len(base.signatories) else None
        sig = signatures[n] if n in signatures else keep
        if sig is not None and n in signatures:
            images.validate_image(sig, f"signature_{n}", images.SIGNATURE_MAX_BYTES,
                                  images.SIGNATURE_MAX_PIXELS)
        people.append(SignatoryDraft(s.name, s.title, s.nip, sig))
    return replace(base, orientation=data.orientation, background=new_background,
                   background_name=new_name, title=data.title, given_to=data.given_to,
                   wording=data.wording, place=data.place, issue_date=data.issue_date,
                   numbering_pattern=data.numbering_pattern, rule=data.rule,
                   min_percent=data.min_percent, show_qr=data.show_qr,
                   show_category_batch=data.show_category_batch,
                   place_date_signatory=data.place_date_signatory, signatories=people)


def save(db: Session, training: Training, user_id: int | None, new: Draft
         ) -> CertificateTemplate:
    row = stored(db, training) or CertificateTemplate(training_id=pk(training))
    for name in ("orientation", "background", "background_name", "title", "given_to",
                 "wording", "place", "issue_date", "numbering_pattern", "rule",
                 "min_percent", "show_qr", "show_category_batch", "place_date_signatory"):
        setattr(row, name, getattr(new, name))
    row.updated_at = utcnow()
    row.updated_by = user_id
    db.add(row)
    db.flush()
    for old in _signatories(db, row):
        db.delete(old)
    db.flush()
    for n, s in enumerate(new.signatories):
        db.add(CertificateSignatory(template_id=pk(row), position=n, name=s.name,
                                    title=s.title, nip=s.nip, signature=s.signature))
    db.flush()
    return row


def as_update(d: Draft) -> TemplateUpdate:
    """The draft's text settings, as the API and the form take them."""
    return TemplateUpdate(
        orientation=d.orientation,
        title=d.title, given_to=d.given_to, wording=d.wording, place=d.place,
        issue_date=d.issue_date, numbering_pattern=d.numbering_pattern,
        rule=d.rule,
        min_percent=d.min_percent, show_qr=d.show_qr, use_background=d.background is not None,
        show_category_batch=d.show_category_batch, place_date_signatory=d.place_date_signatory,
        signatories=[SignatoryIn(name=s.name, title=s.title, nip=s.nip)
                     for s in d.signatories])


def set_signature(db: Session, training: Training, user_id: int | None, position: int,
                  data: bytes | None) -> CertificateTemplate:
    """Upload (or remove, with None) one signatory's signature image."""
    base = current(db, training)
    if not 0 <= position < len(base.signatories):
        raise FieldError("position", N_("Add this signatory's name first, then the signature."),
                         code="no_signatory")
    return save(db, training, user_id, draft(base, as_update(base), signatures={position: data}))


def set_background(db: Session, training: Training, user_id: int | None,
                   upload: Upload | None) -> CertificateTemplate:
    base = current(db, training)
    update = as_update(base)
    if upload is None:
        update = update.model_copy(update={"use_background": False})
    return save(db, training, user_id, draft(base, update, background=upload))
