"""The SPJ's documents as the renderers take them (rendering/spj_pdf.py): the daftar
nominatif of a batch's transport and of the training's honorarium, and the receipts.

These are the treasurer's documents (the routes behind them need ApiFinance /
PageFinance): the honorarium list carries each narasumber's NPWP and bank account."""

from datetime import date

from service.errors import NotFound
from service.i18n import gettext as _
from service.i18n.formats import fmt_date, fmt_range
from service.models import Batch
from service.models.spj import SpjSigners
from service.rendering.spj_pdf import (
    Nominatif,
    NominatifRow,
    Office,
    Receipt,
    Receipts,
    Signer,
)
from service.services import meeting_days
from service.services.speakers import display_name
from service.services.spj import money
from service.services.spj.compute import Spj, words
from service.services.spj.finance import fmt_nip, fmt_npwp


def _office(spj: Spj) -> Office:
    org = spj.organization
    return Office(org.name, org.city, org.logo_png)


def _signers(s: SpjSigners) -> tuple[Signer, Signer]:
    return (Signer(_("Technical Officer of the Activity (PPTK)"), s.pptk_name,
                   fmt_nip(s.pptk_nip)),
            Signer(_("Disbursement Treasurer"), s.treasurer_name, fmt_nip(s.treasurer_nip)))


def _place_date(spj: Spj, s: SpjSigners, day: date) -> str:
    place = s.place or spj.organization.city or ""
    return f"{place}, {fmt_date(day)}" if place else fmt_date(day)


def _training_line(spj: Spj) -> str:
    t = spj.training
    return f"{t.title} · {fmt_range(t.start_date, t.end_date)}"


def transport(spj: Spj, batch: Batch, signers: SpjSigners) -> Nominatif:
    lines = spj.batch_lines(batch.id or 0)
    rows = [NominatifRow(name=x.name, origin=x.origin or "–", quantity=str(x.days_present),
                         rate=x.rate, gross=x.gross, tax=x.tax, net=x.net) for x in lines]
    return Nominatif(
        office=_office(spj),
        title=_("NOMINATIVE LIST OF PARTICIPANTS' TRANSPORT PAYMENT"),
        lines=[_training_line(spj), f"{batch.name} · {meeting_days.label(batch)}"],
        quantity_label=_("Days present"), rate_label=_("Rate per day"), rows=rows,
        words=words(sum(r.net for r in rows)),
        place_date=_place_date(spj, signers, batch.end_date), signers=_signers(signers),
        footer=" · ".join((_("Transport"), spj.training.title, batch.name)))


def _finance(npwp: str | None, bank: str | None, account: str | None, holder: str | None,
             name: str) -> str:
    """The NPWP (or that there is none), then the bank and account, and the holder only
    when the account is in another name."""
    parts = [fmt_npwp(npwp) if npwp else _("No NPWP")]
    if account:
        parts.append(" ".join(p for p in (bank, account) if p))
        if holder and holder.casefold() != name.casefold():
            parts.append(f"a.n. {holder}")
    return "\n".join(parts)


def honorarium(spj: Spj, signers: SpjSigners) -> Nominatif:
    per_hour = spj.rates.honorarium_unit == "orang_jam"
    rows = []
    for x in spj.honorarium:
        s = x.speaker
        nip = "\n".join(p for p in (fmt_nip(s.nip), f"Gol. {s.golongan}" if s.golongan else "")
                        if p) or _("Non-ASN")
        rows.append(NominatifRow(
            name=display_name(s), origin=s.institution or "",
            quantity=money.percent_text(x.quantity),
            rate=x.rate, gross=x.gross, tax=x.tax, net=x.net, nip_golongan=nip,
            finance=_finance(s.npwp, s.bank_name, s.bank_account, s.account_holder, s.name),
            tax_note=f"{money.percent_text(x.tax_percent)}%"))
    return Nominatif(
        office=_office(spj), title=_("NOMINATIVE LIST OF SPEAKERS' HONORARIUM PAYMENT"),
        lines=[_training_line(spj)],
        quantity_label=_("Hours") if per_hour else _("JP"),
        rate_label=_("Rate per hour") if per_hour else _("Rate per JP"), rows=rows,
        words=words(sum(r.net for r in rows)),
        place_date=_place_date(spj, signers, spj.training.end_date),
        signers=_signers(signers), honorarium=True,
        footer=" · ".join((_("Honorarium"), spj.training.title)))


def receipts(spj: Spj, signers: SpjSigners, kind: str, batch: Batch | None) -> Receipts:
    """One receipt per person paid: the narasumber (kind "honorarium"), or the
    participants of a batch (kind "transport")."""
    office = _office(spj)
    payer = _("Disbursement Treasurer of {office}", office=spj.organization.name)
    treasurer = _signers(signers)[1]
    out: list[Receipt] = []
    if kind == "honorarium":
        per_hour = spj.rates.honorarium_unit == "orang_jam"
        unit = _("hours") if per_hour else _("JP")
        for x in spj.honorarium:
            if x.gross <= 0:
                continue
            s = x.speaker
            purpose = _("Speaker's honorarium at {training}: {q} {unit} × Rp {rate}",
                        training=spj.training.title, q=money.percent_text(x.quantity), unit=unit,
                        rate=money.fmt(x.rate))
            out.append(Receipt(
                office=office, payer=payer, name=display_name(s), nip=fmt_nip(s.nip),
                amount=x.net, words=words(x.net), purpose=purpose,
                details=_details(x.gross, x.tax, x.net,
                                 f"{money.percent_text(x.tax_percent)}%"),
                place_date=_place_date(spj, signers, spj.training.end_date),
                treasurer=treasurer,
                finance=_finance(s.npwp, s.bank_name, s.bank_account, s.account_holder,
                                 s.name).replace("\n", " · ")))
        title = _("Receipts: honorarium · {training}", training=spj.training.title)
    else:
        if batch is None:
            raise NotFound("Batch not found.")
        for t in spj.batch_lines(batch.id or 0):
            if t.gross <= 0:
                continue
            purpose = _("Transport to {training} ({batch}): {days} days × Rp {rate}",
                        training=spj.training.title, batch=batch.name, days=t.days_present,
                        rate=money.fmt(t.rate))
            out.append(Receipt(
                office=office, payer=payer, name=t.name, nip=fmt_nip(t.nip), amount=t.net,
                words=words(t.net), purpose=purpose,
                details=_details(t.gross, t.tax, t.net, ""),
                place_date=_place_date(spj, signers, batch.end_date), treasurer=treasurer))
        title = _("Receipts: transport · {batch}", batch=batch.name)
    return Receipts(title, out)


def _details(gross: int, tax: int, net: int, note: str) -> list[tuple[str, str]]:
    tax_label = _("PPh 21") + (f" ({note})" if note else "")
    return [(_("Gross amount"), f"Rp {money.fmt(gross)}"), (tax_label, f"Rp {money.fmt(tax)}"),
            (_("Received (net)"), f"Rp {money.fmt(net)}")]


def filename(spj: Spj, what: str, ext: str) -> str:
    return f"spj-{what}-{spj.training.title}.{ext}"
