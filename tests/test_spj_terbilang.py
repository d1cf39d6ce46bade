"""Amounts in Indonesian words (terbilang), edge cases up to the trillions."""

import pytest

from service.services.spj.terbilang import rupiah, words


@pytest.mark.parametrize(("n", "text"), [
    (0, "nol"), (1, "satu"), (9, "sembilan"), (10, "sepuluh"), (11, "sebelas"),
    (12, "dua belas"), (19, "sembilan belas"), (20, "dua puluh"), (21, "dua puluh satu"),
    (99, "sembilan puluh sembilan"), (100, "seratus"), (101, "seratus satu"),
    (110, "seratus sepuluh"), (111, "seratus sebelas"), (200, "dua ratus"),
    (999, "sembilan ratus sembilan puluh sembilan"), (1000, "seribu"),
    (1001, "seribu satu"), (1100, "seribu seratus"), (1111, "seribu seratus sebelas"),
    (2000, "dua ribu"), (10_000, "sepuluh ribu"), (11_000, "sebelas ribu"),
    (100_000, "seratus ribu"), (101_000, "seratus satu ribu"),
    (201_000, "dua ratus satu ribu"), (1_000_000, "satu juta"),
    (1_001_000, "satu juta seribu"), (1_250_000, "satu juta dua ratus lima puluh ribu"),
    (7_392_000, "tujuh juta tiga ratus sembilan puluh dua ribu"),
    (10_000_000, "sepuluh juta"), (111_111_111, "seratus sebelas juta seratus sebelas ribu "
                                                "seratus sebelas"),
    (1_000_000_000, "satu miliar"), (2_000_000_001, "dua miliar satu"),
    (1_000_000_000_000, "satu triliun"),
    (1_000_001_000_000, "satu triliun satu juta"),
    (999_999_999_999_999, "sembilan ratus sembilan puluh sembilan triliun sembilan ratus "
                          "sembilan puluh sembilan miliar sembilan ratus sembilan puluh "
                          "sembilan juta sembilan ratus sembilan puluh sembilan ribu "
                          "sembilan ratus sembilan puluh sembilan"),
])
def test_words(n: int, text: str) -> None:
    assert words(n) == text


def test_rupiah_adds_the_currency() -> None:
    assert rupiah(1_250_000) == "satu juta dua ratus lima puluh ribu rupiah"
    assert rupiah(0) == "nol rupiah"


def test_beyond_the_trillions_is_refused() -> None:
    with pytest.raises(ValueError):
        words(10**15)
