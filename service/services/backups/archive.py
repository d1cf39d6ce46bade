"""The backup archive: one ZIP file.

    bimtek-manifest.json   first, so that even a truncated archive says what it was
    database.sqlite        (SQLite) or database.pgdump (PostgreSQL, pg_dump's custom format)

and, in the ZIP comment at its very end, `bimtek-backup sha256=<hex>`: the SHA-256 of
every byte before the comment. A truncated archive loses the comment (or its central
directory); an altered byte anywhere changes the sum. The manifest lists each member's
size and SHA-256, which are checked again on extraction. Any ZIP tool can open it.

The archive is written as `<name>.partial` and renamed when complete, so a crash never
leaves a half archive under a backup's name.
"""

import hashlib
import json
import os
import re
import shutil
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from service.errors import DomainError
from service.i18n import N_

FORMAT = "bimtek-backup"
FORMAT_VERSION = 1
MANIFEST = "bimtek-manifest.json"
DATABASE_MEMBERS = {"sqlite": "database.sqlite", "postgresql": "database.pgdump"}
TRAILER_PREFIX = b"bimtek-backup sha256="
TRAILER_LENGTH = len(TRAILER_PREFIX) + 64
_EOCD = b"PK\x05\x06"
_EOCD_SIZE = 22
_LOCAL_HEADER = b"PK\x03\x04"
_CHUNK = 1024 * 1024
_MEMBER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,120}$")


class ArchiveRefused(DomainError):
    """An archive that restore will not use; nothing has been changed."""

    code, status = "backup_refused", 422


class Damaged(ArchiveRefused):
    code = "backup_damaged"
    message = N_("The backup {name} is damaged (truncated or altered): {why}. Nothing was "
                 "restored.")


class Foreign(ArchiveRefused):
    code = "backup_foreign"
    message = N_("{name} is not a Bimtek backup. Nothing was restored.")


class UnknownFormat(ArchiveRefused):
    code = "backup_format"
    message = N_("The backup {name} has format version {version}, which this Bimtek does "
                 "not know. Nothing was restored.")


@dataclass(frozen=True)
class Member:
    name: str
    size: int
    sha256: str


def file_digest(path: Path) -> tuple[int, str]:
    """(size, SHA-256 hex) of a file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def _digest_upto(fh: BinaryIO, end: int) -> str:
    digest = hashlib.sha256()
    fh.seek(0)
    left = end
    while left > 0:
        chunk = fh.read(min(_CHUNK, left))
        if not chunk:
            break
        digest.update(chunk)
        left -= len(chunk)
    return digest.hexdigest()


def write(path: Path, manifest: dict[str, Any], members: list[tuple[str, Path, bool]]) -> int:
    """Write the archive to `path`: the manifest (with each member's size and SHA-256
    added under "files", in the caller's dict too), the members as (name in the archive,
    file, compress), and the trailing checksum. Its size in bytes."""
    manifest["files"] = []
    for name, source, _compress in members:
        size, sha = file_digest(source)
        manifest["files"].append({"name": name, "size": size, "sha256": sha})
    partial = path.with_name(path.name + ".partial")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with zipfile.ZipFile(partial, "w", allowZip64=True) as zf:
            zf.writestr(MANIFEST, json.dumps(manifest, indent=2, sort_keys=True),
                        compress_type=zipfile.ZIP_DEFLATED)
            for name, source, compress in members:
                # Level 1: a database compresses 3 to 5 times at level 1 already, and each
                # level above costs far more time than it saves in bytes.
                zf.write(source, name, compress_type=zipfile.ZIP_DEFLATED if compress
                         else zipfile.ZIP_STORED, compresslevel=1 if compress else None)
        _seal(partial)
        with partial.open("rb") as fh:
            os.fsync(fh.fileno())
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return path.stat().st_size


def _seal(path: Path) -> None:
    """Set the ZIP comment's length, then hash everything before the comment and append
    the comment: the sum covers the whole archive but itself."""
    with path.open("r+b") as fh:
        fh.seek(-_EOCD_SIZE, os.SEEK_END)
        eocd = fh.read(_EOCD_SIZE)
        if eocd[:4] != _EOCD or eocd[-2:] != b"\x00\x00":
            raise RuntimeError("the archive does not end with an empty-comment ZIP record")
        fh.seek(-2, os.SEEK_END)
        fh.write(struct.pack("<H", TRAILER_LENGTH))
        fh.flush()
        end = fh.seek(0, os.SEEK_END)
        sha = _digest_upto(fh, end)
        fh.seek(0, os.SEEK_END)
        fh.write(TRAILER_PREFIX + sha.encode())


def _is_ours(path: Path) -> bool:
    """Whether the file begins like a Bimtek backup (its first member is the manifest),
    damaged or not."""
    with path.open("rb") as fh:
        head = fh.read(30 + len(MANIFEST))
    if len(head) < 30 or head[:4] != _LOCAL_HEADER:
        return False
    name_length = struct.unpack("<H", head[26:28])[0]
    return name_length == len(MANIFEST) and head[30:30 + name_length] == MANIFEST.encode()


def check_sum(path: Path) -> None:
    """Refuse a file that is not a Bimtek backup, or one whose checksum does not match."""
    name = path.name
    if not path.is_file():
        raise Foreign(N_("{name} is not a file. Nothing was restored."), params={"name": name})
    ours = _is_ours(path)
    size = path.stat().st_size
    with path.open("rb") as fh:
        if size < TRAILER_LENGTH + _EOCD_SIZE:
            trailer = b""
        else:
            fh.seek(size - TRAILER_LENGTH)
            trailer = fh.read(TRAILER_LENGTH)
        if not trailer.startswith(TRAILER_PREFIX):
            if ours:
                raise Damaged(params={"name": name, "why": "no checksum at its end"})
            raise Foreign(params={"name": name})
        expected = trailer[len(TRAILER_PREFIX):].decode("ascii", "replace")
        actual = _digest_upto(fh, size - TRAILER_LENGTH)
    if not ours:
        raise Foreign(params={"name": name})
    if actual != expected:
        raise Damaged(params={"name": name, "why": "the checksum does not match"})


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest of a checksummed archive; refused when it is not one this code reads."""
    name = path.name
    try:
        with zipfile.ZipFile(path) as zf:
            manifest = json.loads(zf.read(MANIFEST))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise Damaged(params={"name": name, "why": f"unreadable manifest ({type(exc).__name__})"}
                      ) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise Foreign(params={"name": name})
    if manifest.get("format_version") != FORMAT_VERSION:
        raise UnknownFormat(params={"name": name, "version": manifest.get("format_version")})
    return manifest


def extract(path: Path, manifest: dict[str, Any], into: Path) -> dict[str, Path]:
    """Extract the manifest's files into `into`, checking each one's size and SHA-256 and
    that the archive holds nothing else; {name: extracted path}."""
    name = path.name
    listed = manifest.get("files")
    if not isinstance(listed, list) or not listed:
        raise Damaged(params={"name": name, "why": "the manifest lists no files"})
    out: dict[str, Path] = {}
    with zipfile.ZipFile(path) as zf:
        present = set(zf.namelist()) - {MANIFEST}
        wanted = {str(f.get("name")) for f in listed if isinstance(f, dict)}
        if present != wanted or len(wanted) != len(listed):
            raise Damaged(params={"name": name, "why": "its files differ from its manifest"})
        for entry in listed:
            member = str(entry["name"])
            if not _MEMBER_NAME.match(member):
                raise Foreign(params={"name": name})
            target = into / member
            digest = hashlib.sha256()
            size = 0
            try:
                with zf.open(member) as src, target.open("wb") as dst:
                    while chunk := src.read(_CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        dst.write(chunk)
            except (zipfile.BadZipFile, OSError, EOFError) as exc:
                raise Damaged(params={"name": name, "why": f"{member}: {type(exc).__name__}"}
                              ) from None
            if size != entry.get("size") or digest.hexdigest() != entry.get("sha256"):
                raise Damaged(params={"name": name,
                                      "why": f"{member} does not match its manifest"})
            out[member] = target
    return out


def verified(path: Path, into: Path,
             check_manifest: Callable[[dict[str, Any]], None] | None = None
             ) -> tuple[dict[str, Any], dict[str, Path]]:
    """Every check restore makes before it changes anything: the whole archive's sum, the
    manifest's format (and the caller's own checks of it), every file's hash. The manifest
    and the extracted files."""
    check_sum(path)
    manifest = read_manifest(path)
    if check_manifest is not None:
        check_manifest(manifest)
    into.mkdir(parents=True, exist_ok=True)
    try:
        files = extract(path, manifest, into)
    except BaseException:
        shutil.rmtree(into, ignore_errors=True)
        raise
    return manifest, files
