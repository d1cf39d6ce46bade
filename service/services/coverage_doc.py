"""Build the printable coverage (plain data for rendering.coverage_pdf) from the figures
service.services.coverage computed: the office's letterhead, the figures per kecamatan
and the Kampung KB nobody from has been trained."""

from datetime import date

from sqlmodel import Session

from service.i18n import gettext as _
from service.models import Organization
from service.rendering.coverage_pdf import CoverageDoc, DistrictLine, UncoveredLine
from service.services.coverage import GROUPS, OTHER, Coverage


def coverage_doc(db: Session, org_id: int, cov: Coverage, today: date) -> CoverageDoc:
    org = db.get(Organization, org_id)
    return CoverageDoc(
        organization=org.name if org else "",
        organization_city=(org.city or "").strip() or None if org else None,
        logo_png=org.logo_png if org else None,
        program_title=cov.program_title, year=cov.year, target=cov.target,
        registered=cov.registered, covered=cov.covered, unlinked=cov.unlinked,
        groups=[g if g != OTHER else _("Other") for g in GROUPS],
        districts=[DistrictLine(d.district, d.kampung_kb, d.covered,
                                [d.by_poktan[g] for g in GROUPS]) for d in cov.by_district],
        uncovered=[UncoveredLine(i.name, i.village, i.district, list(i.poktan))
                   for i in cov.items if not i.covered],
        printed_on=today)


def filename(cov: Coverage) -> str:
    return "cakupan-kampung-kb" + (f"-{cov.year}" if cov.year is not None else "") + ".pdf"
