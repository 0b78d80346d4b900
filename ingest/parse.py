"""``migralex parse PATH``: parse a saved adilet page (HTML) or a text copy from a file.

Reads ``.html``/``.htm``/``.txt``, each optionally gzipped, tells HTML from a text copy by content,
and takes the act id from the argument, the page, or the file name (``K1400000226_criminal_code_…``).
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from corpus.models import ParsedDocument
from ingest.errors import ParseError
from ingest.html_page import parse_document
from ingest.text_copy import parse_text_copy
from legal.act_ids import find_act_id

_HTML_START_RE = re.compile(rb"^\s*(?:<!DOCTYPE\s+html|<html|<!--|<head|<body|<meta)", re.I)


def act_id_from_filename(path: str | Path) -> str | None:
    """``K1400000226_criminal_code_rus.txt.gz`` → ``K1400000226``; None if the name has no id."""
    return find_act_id(Path(path).name)


def looks_like_html(raw: bytes) -> bool:
    head = raw[:2048].lstrip(b"\xef\xbb\xbf")
    return bool(_HTML_START_RE.match(head)) or b"<article" in raw


def _decode_text(raw: bytes, path: Path) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return raw.decode("cp1251")
        except UnicodeDecodeError as exc:  # pragma: no cover - cp1251 decodes almost anything
            raise ParseError(f"{path}: neither UTF-8 nor CP1251 text") from exc


def parse_path(path: str | Path, *, act_id: str | None = None, lang: str = "rus") -> ParsedDocument:
    """Parse one file into a :class:`ParsedDocument`; :class:`ParseError` names the file if not."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ParseError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    if path.suffix == ".gz" or raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise ParseError(f"{path}: broken gzip file ({exc})") from exc
    if not raw.strip():
        raise ParseError(f"{path}: empty file")
    act_id = act_id or None
    if looks_like_html(raw):
        try:
            return parse_document(raw, act_id=act_id or act_id_from_filename(path), lang=lang)
        except ParseError as exc:
            raise type(exc)(f"{path}: {exc}") from exc
    act_id = act_id or act_id_from_filename(path)
    if act_id is None:
        raise ParseError(
            f"{path}: a text copy carries no act id; pass --act-id or name the file after it "
            "(e.g. K1400000226_criminal_code_rus.txt)"
        )
    try:
        return parse_text_copy(_decode_text(raw, path), act_id=act_id, lang=lang)
    except ParseError as exc:
        raise type(exc)(f"{path}: {exc}") from exc
