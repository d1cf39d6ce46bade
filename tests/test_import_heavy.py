"""A heavy but valid workbook (64 MB unpacked) is refused at its header when the header is
wrong, and otherwise stops at the upload's budget of cells and CPU seconds."""

import io
import random
import time
import zipfile

import pytest
from sqlmodel import Session

from service.imports.errors import ColumnProblem, ReadTooLong, TooManyCells
from service.imports.reader import read_table
from service.services import imports
from tests import factories

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_PARTS = {
    "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.'
    'org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
    "</Types>",
    "xl/workbook.xml": f'<?xml version="1.0"?><workbook xmlns="{_MAIN}" xmlns:r="http://'
    'schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Data" '
    'sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
    'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
    'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>',
}
UNPACKED = 64 * 2**20


def heavy_xlsx(headers: list[str], unpacked: int = UNPACKED) -> bytes:
    """One sheet: `headers`, then numbers in as many rows as fill `unpacked` bytes of XML
    (about 4 million cells; 7 MB packed). Fast to make: one block of 1,500 random rows,
    written again and again (rows and cells without "r", so repeats stay valid)."""
    rnd = random.Random(7)
    header = "".join(f'<c t="inlineStr"><is><t>{h}</t></is></c>' for h in headers)
    block = "".join("<row>" + "".join(f"<c><v>{rnd.randrange(100)}</v></c>"
                                      for _ in headers) + "</row>"
                    for _ in range(1500)).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, text in _PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<?xml version="1.0"?><worksheet xmlns="{_MAIN}"><sheetData>'
                        f"<row>{header}</row>".encode())
            for _ in range(unpacked // len(block) + 1):
                sheet.write(block)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


COLUMNS = [f"Kolom {n}" for n in range(1, 21)]


def test_a_heavy_file_without_a_name_column_is_refused_at_its_header(db: Session) -> None:
    training = factories.training(db, factories.organization(db))
    content = heavy_xlsx(COLUMNS)
    assert len(content) < 10 * 2**20  # within the upload limit: only its work is heavy
    started = time.perf_counter()
    with pytest.raises(ColumnProblem) as refused:
        imports.check_file(db, training, content, "peserta.xlsx")
    assert refused.value.code == "missing_name_column"
    assert time.perf_counter() - started < 1.0


def test_a_heavy_file_stops_at_its_cell_budget() -> None:
    content = heavy_xlsx(["Nama", *COLUMNS[1:]], unpacked=8 * 2**20)
    with pytest.raises(TooManyCells) as refused:
        read_table(content, "peserta.xlsx", max_bytes=10 * 2**20, max_rows=10**9,
                   max_cells=100_000)
    assert refused.value.status == 413
    assert refused.value.text() == (
        "Berkas berisi lebih dari 100.000 sel, jauh lebih banyak daripada daftar peserta. "
        "Hapus baris, kolom dan lembar yang tidak diperlukan, atau pecah daftarnya, lalu "
        "unggah lagi.")


def test_a_heavy_file_stops_at_its_time_budget() -> None:
    content = heavy_xlsx(["Nama", *COLUMNS[1:]], unpacked=8 * 2**20)
    started = time.perf_counter()
    with pytest.raises(ReadTooLong) as refused:
        read_table(content, "peserta.xlsx", max_bytes=10 * 2**20, max_rows=10**9,
                   max_cells=10**9, max_seconds=0.2)
    assert time.perf_counter() - started < 3.0
    assert refused.value.code == "read_too_long"


def test_a_heavy_csv_stops_at_its_cell_budget() -> None:
    content = ("Nama," + ",".join(COLUMNS[1:]) + "\n"
               + ("x," * 19 + "x\n") * 20_000).encode()
    with pytest.raises(TooManyCells):
        read_table(content, "peserta.csv", max_bytes=10 * 2**20, max_rows=10**9,
                   max_cells=100_000)


def test_the_api_refuses_a_heavy_file_without_a_name_column_quickly(api: object) -> None:
    from fastapi.testclient import TestClient

    assert isinstance(api, TestClient)
    training = api.post("/api/trainings", json={
        "title": "Pelatihan", "kind": "pelatihan", "start_date": "2027-03-01",
        "end_date": "2027-03-02"}).json()
    content = heavy_xlsx(COLUMNS)
    started = time.perf_counter()
    r = api.post(f"/api/trainings/{training['id']}/registrations/import",
                 files={"file": ("peserta.xlsx", content)})
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "missing_name_column"
    assert time.perf_counter() - started < 3.0
