"""Money in whole rupiah (int), and tax rounded to the whole rupiah, half up.

Tax is a percentage of a gross amount: gross × percent / 100, computed in Decimal (never
float) and rounded to the whole rupiah with ROUND_HALF_UP (Rp 12.500,50 -> Rp 12.501;
Rp 12.500,49 -> Rp 12.500), per row; totals are the sums of the rounded rows, so the
daftar nominatif adds up down its columns."""

from decimal import ROUND_HALF_UP, Decimal


def tax(gross: int, percent: Decimal) -> int:
    return int((Decimal(gross) * percent / Decimal(100)).quantize(Decimal(1), ROUND_HALF_UP))


def scaled(rate: int, quantity: Decimal) -> int:
    """rate × quantity (hours may be fractional) in whole rupiah, half up."""
    return int((Decimal(rate) * quantity).quantize(Decimal(1), ROUND_HALF_UP))


def fmt(amount: int) -> str:
    """As Indonesian documents write it: 1.250.000 (dots between thousands)."""
    return f"{amount:,}".replace(",", ".")


def percent_text(value: Decimal) -> str:
    """A rate as a person writes it: 5, 2,5 (a decimal comma), 0."""
    text = f"{value.normalize():f}"
    return text.replace(".", ",")
