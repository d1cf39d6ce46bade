"""Amounts in Indonesian words, as the SPJ prints them under a total ("satu juta dua ratus
lima puluh ribu rupiah").

The Indonesian rules: 1 is "satu" except in "sepuluh", "sebelas", "seratus" and
"seribu" (but "satu juta", "satu miliar", "satu triliun", and "dua ratus satu ribu");
11..19 are "... belas"."""

_ONES = ("", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan")
# Groups of three digits, from the thousands up. "ribu" has its own "seribu".
_SCALES = ("", "ribu", "juta", "miliar", "triliun")
MAX = 10**15 - 1


def _below_thousand(n: int) -> list[str]:
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds == 1:
        words.append("seratus")
    elif hundreds:
        words += [_ONES[hundreds], "ratus"]
    if rest == 10:
        words.append("sepuluh")
    elif rest == 11:
        words.append("sebelas")
    elif 12 <= rest <= 19:
        words += [_ONES[rest - 10], "belas"]
    elif rest >= 20:
        tens, ones = divmod(rest, 10)
        words += [_ONES[tens], "puluh"]
        if ones:
            words.append(_ONES[ones])
    elif rest:
        words.append(_ONES[rest])
    return words


def words(n: int) -> str:
    """The number in words: 0 -> "nol", 1000 -> "seribu", 1_000_000 -> "satu juta"."""
    if n < 0:
        return "minus " + words(-n)
    if n == 0:
        return "nol"
    if n > MAX:
        raise ValueError(f"too large for words: {n}")
    groups: list[int] = []
    while n:
        n, group = divmod(n, 1000)
        groups.append(group)
    out: list[str] = []
    for scale in range(len(groups) - 1, -1, -1):
        group = groups[scale]
        if not group:
            continue
        if scale == 1 and group == 1:
            out.append("seribu")
            continue
        out += _below_thousand(group)
        if _SCALES[scale]:
            out.append(_SCALES[scale])
    return " ".join(out)


def rupiah(n: int) -> str:
    """An amount of money in words, as under a total: "... rupiah"."""
    return f"{words(n)} rupiah"
