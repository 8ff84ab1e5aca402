"""Uploaded rubric files (loose or zipped) as ``{base name: bytes}``, with bounded cost.

Every refusal says which upload and why: too many files or bytes, a damaged
archive (bad CRC, bad deflate data, sizes that lie), an encrypted entry, or
two files with the same name (a zip holding ``v1/set.yaml`` and ``v2/set.yaml``
must not let the later one win silently).
"""

from __future__ import annotations

import io
import lzma
import struct
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import PurePosixPath

from assessment.document import MAX_BYTES
from assessment.problems import InputError, Problem, shown

MAX_FILES = 50
"""Rubric files per upload, zipped or not."""
MAX_TOTAL_BYTES = 5 * MAX_BYTES
MAX_ZIP_ENTRIES = 1_000
"""Entries of any kind in one archive; reading a central directory costs per entry."""
UPLOAD = "upload"
_DAMAGE = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError, ValueError, struct.error)

Entry = tuple[str, str, bytes]  # where it came from, base name, content


def files_from_upload(files: Iterable[tuple[str, bytes]], max_total: int = MAX_TOTAL_BYTES) -> dict[str, bytes]:
    """The rubric files of a multi-file upload, zips unpacked; refused past MAX_FILES or ``max_total`` bytes."""
    files = list(files)
    _refuse_too_many(len(files), sum(len(content) for _, content in files), max_total, UPLOAD)
    entries: list[Entry] = []
    for name, content in files:
        if name.lower().endswith(".zip"):
            entries += _zip_entries(content, max_total, name)
        else:
            entries.append((name, _base(name), content))
    _refuse_too_many(len(entries), sum(len(content) for _, _, content in entries), max_total, UPLOAD)
    return _one_per_name(entries, UPLOAD)


def files_from_zip(data: bytes, max_total: int = MAX_TOTAL_BYTES, name: str = "upload.zip") -> dict[str, bytes]:
    """The YAML files of a zip archive, by base name, refusing archives that unpack too big or are damaged."""
    return _one_per_name(_zip_entries(data, max_total, name), name)


def _refuse_too_many(count: int, size: int, max_total: int, where: str) -> None:
    if count > MAX_FILES:
        raise InputError([Problem(f"{count:,} files; at most {MAX_FILES} per upload", where)])
    if size > max_total:
        raise InputError([Problem(f"{size:,} bytes in all; the limit is {max_total:,}", where)])


def _zip_entries(data: bytes, max_total: int, name: str) -> list[Entry]:
    archive = _open(data, max_total, name)
    infos = [i for i in archive.infolist() if not i.is_dir() and _is_yaml(i.filename)]
    if len(infos) > MAX_FILES:
        raise InputError([Problem(f"{len(infos)} YAML files; at most {MAX_FILES}", name)])
    total = sum(i.file_size for i in infos)
    if total > max_total:
        raise InputError([Problem(f"unpacks to {total:,} bytes; the limit is {max_total:,}", name)])
    return [(f"{name}: {i.filename}", _base(i.filename), _read(archive, i, name)) for i in infos]


def _open(data: bytes, max_total: int, name: str) -> zipfile.ZipFile:
    if len(data) > max_total:
        raise InputError([Problem(f"the archive is {len(data):,} bytes; the limit is {max_total:,}", name)])
    entries = _declared_entries(data)
    if entries is not None and entries > MAX_ZIP_ENTRIES:
        raise InputError([Problem(f"the archive holds {entries:,} entries; at most {MAX_ZIP_ENTRIES:,}", name)])
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (*_DAMAGE, NotImplementedError, RuntimeError):
        raise InputError([Problem("not a valid zip archive", name)]) from None


def _declared_entries(data: bytes) -> int | None:
    """The entry count in the end-of-central-directory record, read before ``zipfile`` walks them all."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        return None
    return struct.unpack_from("<H", data, end + 10)[0]


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bytes:
    """One entry's bytes (at most MAX_BYTES + 1: the reader then names the size); damage becomes a problem."""
    try:
        with archive.open(info) as handle:
            return handle.read(MAX_BYTES + 1)
    except NotImplementedError:
        reason = "its compression method is not supported"
    except RuntimeError:  # zipfile's word for "encrypted, password required"
        reason = "it is encrypted"
    except EOFError:
        reason = "its data ends early: the sizes recorded in the archive are wrong"
    except (zlib.error, lzma.LZMAError):
        reason = "its compressed data is damaged"
    except _DAMAGE as exc:
        reason = f"damaged: {str(exc)[:200] or type(exc).__name__}"
    raise InputError([Problem(f"{shown(info.filename, 120)} in the archive cannot be read ({reason})", name)])


def _one_per_name(entries: list[Entry], where: str) -> dict[str, bytes]:
    """``{base name: content}``; two files with one base name are refused, naming both."""
    first: dict[str, str] = {}
    problems = []
    for origin, base, _ in entries:
        if base in first:
            problems.append(
                Problem(f"two files named '{base}' ({first[base]} and {origin}); "
                        "keep one, a rubric set has one of each", where)
            )
        else:
            first[base] = origin
    if problems:
        raise InputError(problems)
    return {base: content for _, base, content in entries}


def _base(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).name


def _is_yaml(filename: str) -> bool:
    """YAML files, without macOS's ``__MACOSX/`` and ``._`` resource-fork copies."""
    base = _base(filename)
    return filename.lower().endswith((".yaml", ".yml")) and not base.startswith("._") and "__MACOSX/" not in filename
