"""Three-way merge of the minutes' text: an editor's change (from the version they started
on to what they sent) applied to the newest text, so two committee members typing at once
both keep what they wrote.

Google's diff-match-patch does the diffing and the fuzzy patching (a patch finds its place
by its context even when others' text moved it). A patch that cannot find its place is
never dropped: the text it would have added is appended under a marked heading for the
editor to put where it belongs (the editor's whole lines it touched).
"""

from dataclasses import dataclass

from diff_match_patch import diff_match_patch

CONFLICT_HEADING = "[Belum tergabung — teks yang diketik bersamaan, periksa dan pindahkan]"


@dataclass(frozen=True)
class Merged:
    text: str
    conflict: bool


def _engine() -> diff_match_patch:
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 1.0  # seconds; a meeting's minutes are far smaller
    # The library's default thresholds: two members appending below the same line both
    # land (a stricter match refuses the second, whose end-of-text context moved).
    return dmp


def merge(base: str, mine: str, newest: str) -> Merged:
    """`newest` with the change from `base` to `mine` applied to it."""
    if mine == base:
        return Merged(newest, False)
    if newest == base:
        return Merged(mine, False)
    if mine == newest:
        return Merged(newest, False)
    if mine.startswith(base) and newest.startswith(base):
        # Both only wrote on below the same text (the usual case in a meeting, and always
        # from empty minutes): the editor's lines follow the others' on a line of their
        # own, never glued to the end of someone else's sentence.
        added = mine[len(base):]
        joint = "" if newest.endswith("\n") or added.startswith("\n") else "\n"
        return Merged(newest + joint + added, False)
    dmp = _engine()
    diffs = dmp.diff_main(base, mine)
    dmp.diff_cleanupSemantic(diffs)
    patches = dmp.patch_make(base, diffs)
    text, applied = dmp.patch_apply(patches, newest)
    failed = [p for p, ok in zip(patches, applied, strict=True) if not ok]
    if not failed:
        return Merged(text, False)
    # The editor's lines the failed patches touch, whole: kept, in order, under a marked
    # heading (a word alone, "12", would say nothing out of its sentence).
    pieces: list[str] = []
    for p in failed:
        if not any(op == dmp.DIFF_INSERT and t.strip() for op, t in p.diffs):
            continue  # only a deletion failed: the text stays as the others have it
        start = mine.rfind("\n", 0, p.start2) + 1
        end = mine.find("\n", p.start2 + p.length2)
        piece = mine[start:end if end >= 0 else len(mine)].strip()
        if piece and piece not in pieces:
            pieces.append(piece)
    if not pieces:
        return Merged(text, False)
    block = "\n".join(pieces)
    return Merged(f"{text.rstrip()}\n\n{CONFLICT_HEADING}\n{block}\n", True)
