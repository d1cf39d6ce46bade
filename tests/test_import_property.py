"""Whatever bytes arrive, read_table returns a Table or raises ImportRefused, nothing else."""

import io
import zipfile
from functools import cache

from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from service.imports.columns import field_for_header
from service.imports.errors import ImportRefused
from service.imports.reader import Table, read_table
from tests.import_samples import PADANG_HEADERS, make_csv, make_xlsx, padang_rows

FAST = settings(max_examples=200, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


def outcome(content: bytes, filename: str) -> Table | ImportRefused:
    try:
        table = read_table(content, filename, max_bytes=1024 * 1024, max_rows=50)
    except ImportRefused as refused:
        # Shown by --hypothesis-show-statistics: which refusals the inputs reached.
        event(refused.code)
        return refused
    event("table")
    return table


@cache
def valid_xlsx(compression: int) -> bytes:
    """A small real workbook; stored (uncompressed) members let mutations hit the XML."""
    xlsx = make_xlsx(padang_rows(5), PADANG_HEADERS)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source, \
            zipfile.ZipFile(out, "w", compression) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
    return out.getvalue()


@FAST
@given(content=st.binary(max_size=4096), name=st.sampled_from(["a.xlsx", "a.csv", "A.CSV"]))
def test_any_bytes_give_a_table_or_a_refusal(content: bytes, name: str) -> None:
    assert isinstance(outcome(content, name), Table | ImportRefused)


@FAST
@given(content=st.binary(max_size=2048))
def test_any_bytes_after_a_zip_signature_give_a_table_or_a_refusal(content: bytes) -> None:
    assert isinstance(outcome(b"PK\x03\x04" + content, "a.xlsx"), Table | ImportRefused)


@FAST
@given(text=st.text(max_size=2000), encoding=st.sampled_from(["utf-8", "utf-8-sig"]))
def test_any_text_as_csv_gives_a_table_or_a_refusal(text: str, encoding: str) -> None:
    assert isinstance(outcome(text.encode(encoding), "a.csv"), Table | ImportRefused)


@st.composite
def mutated_xlsx(draw: st.DrawFn) -> bytes:
    data = bytearray(valid_xlsx(draw(st.sampled_from([zipfile.ZIP_STORED,
                                                      zipfile.ZIP_DEFLATED]))))
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data) - 1))
        data[at] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        del data[draw(st.integers(0, len(data))):]
    return bytes(data)


@FAST
@given(content=mutated_xlsx())
def test_damaged_xlsx_gives_a_table_or_a_refusal(content: bytes) -> None:
    assert isinstance(outcome(content, "peserta.xlsx"), Table | ImportRefused)


def _also_utf8(content: bytes) -> bool:
    if content.isascii():
        return False
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@cache
def xlsx_members() -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(valid_xlsx(zipfile.ZIP_DEFLATED))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@st.composite
def xlsx_with_mutated_part(draw: st.DrawFn) -> bytes:
    """A sound zip whose parts (sheet, workbook, styles...) carry damaged XML."""
    members = dict(xlsx_members())
    name = draw(st.sampled_from(sorted(members)))
    body = bytearray(members[name])
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(body) - 1))
        body[at:at + 1] = draw(st.sampled_from([b"<", b">", b"&", b'"', b"", b"\xff", b"9",
                                                b"-", b"x", b"/", b"<!DOCTYPE a>"]))
    members[name] = bytes(body)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, content in members.items():
            archive.writestr(member, content)
    return out.getvalue()


@FAST
@given(content=xlsx_with_mutated_part())
def test_xlsx_with_damaged_xml_gives_a_table_or_a_refusal(content: bytes) -> None:
    assert isinstance(outcome(content, "peserta.xlsx"), Table | ImportRefused)


@settings(max_examples=40, deadline=None)
@given(number=st.integers(min_value=0, max_value=10**15 - 1))
def test_whole_number_cells_read_back_as_their_digits(number: int) -> None:
    table = outcome(make_xlsx([{"Nama": "Nur", "NIK": number}], ["Nama", "NIK"]), "a.xlsx")
    assert isinstance(table, Table)
    assert table.rows == [(2, ["Nur", str(number)])]


@settings(max_examples=40, deadline=None)
@given(cells=st.lists(st.text(st.characters(codec="cp1252", exclude_categories=["Cc", "Cs"]),
                              min_size=1, max_size=20).filter(str.strip),
                      min_size=1, max_size=5))
def test_csv_cells_in_windows_1252_read_back_unchanged(cells: list[str]) -> None:
    # Bytes that are valid UTF-8 too ("Â¡" is C2 A1, UTF-8 for "¡") are read as UTF-8;
    # real names in Windows-1252 practically never form such pairs.
    assume(not _also_utf8("".join(cells).encode("cp1252")))
    # A row of cells that name columns ("ASAL INSTANSI") is a header row under a title
    # block, as the reader is meant to find it: not a data row to read back.
    assume(not any(field_for_header(c) for c in cells))
    headers = [f"Kolom {i}" for i in range(len(cells))]
    content = make_csv([dict(zip(headers, cells, strict=True))], headers, delimiter=";",
                       encoding="cp1252")
    table = outcome(content, "a.csv")
    assert isinstance(table, Table)
    assert table.rows == [(2, cells)]
