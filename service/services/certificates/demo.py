"""The demo's certificates: a template for the Padang training and certificates issued
to the first angkatan (finished on 13 September 2018), so a fresh `make run` shows the
review page, the downloads and working verification links."""

from datetime import date

from sqlmodel import Session

from service.models import Batch, Training
from service.models.base import pk
from service.schemas.certificates import SignatoryIn, TemplateUpdate
from service.services.certificates import issuing as issuing
from service.services.certificates import template as templates

PATTERN = "{seq:03}/SERT/DP3AP2KB/{roman_month}/{year}"


def seed_certificates(db: Session, training: Training, batch: Batch, user_id: int | None
                      ) -> issuing.IssueResult:
    """Save the template and issue the batch's certificates; flushes, the caller commits."""
    update = TemplateUpdate(
        orientation="landscape", title="SERTIFIKAT", given_to="diberikan kepada",
        wording="sebagai peserta", place="Padang", issue_date=date(2018, 9, 18),
        numbering_pattern=PATTERN, rule="all_days", min_percent=100, show_qr=True,
        use_background=False,
        signatories=[SignatoryIn(name="Dr. H. Arif Rahman, M.Si",
                                 title="Kepala DP3AP2KB Kota Padang",
                                 nip="19700512 199503 1 002"),
                     SignatoryIn(name="Hj. Ratna Dewi, S.Sos",
                                 title="Ketua Panitia", nip="")])
    templates.save(db, training, user_id, templates.draft(templates.current(db, training),
                                                          update))
    return issuing.issue(db, training, user_id, batch_id=pk(batch))
