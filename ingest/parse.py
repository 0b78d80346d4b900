"""``migralex parse PATH``: parse a saved adilet page (HTML), a text copy or reference-bank Markdown.

Reads ``.html``/``.htm``/``.txt``/``.md``, each optionally gzipped, and tells the format by content
(Markdown first: its part markers are HTML comments). The act id comes from the argument, the page,
or the file name (``K1400000226_criminal_code_…``, ``EKB104249_…``).

Markdown (:mod:`ingest.markdown`) takes the bank's metadata from a sibling file when there is one:
``NAME.meta.yaml`` beside ``NAME.md[.gz]`` (how the bundled files keep it), else the ``meta.yaml`` of
the act's folder (the repository layout: ``rus.md`` + ``meta.yaml``; a part file ``rus/ch028.md``
reads ``../meta.yaml``). A split main file (``rus.md`` listing ``rus/ch001.md`` … under "Части
документа") is read with its parts. The language is the argument's, else the file's own metadata,
its name (``kaz.md``, ``…_kaz_…``) or its headings.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from typing import Any

from corpus.models import ParsedDocument
from ingest.bank_meta import load_yaml
from ingest.errors import ParseError
from ingest.html_page import parse_document
from ingest.markdown import assemble_parts, looks_like_markdown, parse_markdown
from ingest.text_copy import parse_text_copy
from legal.act_ids import find_act_id

_HTML_START_RE = re.compile(rb"^\s*(?:<!DOCTYPE\s+html|<html|<!--|<head|<body|<meta)", re.I)
_KAZ_NAME_RE = re.compile(r"(?:^|[_./-])kaz(?:[_./-]|$)")


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


def _bare_name(path: Path) -> str:
    """``X.md.gz`` → ``X``: the name without compression and format suffixes."""
    name = path.name
    for suffix in (".gz", ".md", ".markdown", ".txt"):
        name = name.removesuffix(suffix)
    return name


def markdown_meta_path(path: Path) -> Path | None:
    """The metadata file of a Markdown file (see the module doc), or None."""
    candidates = [path.with_name(_bare_name(path) + ".meta.yaml"), path.parent / "meta.yaml"]
    if path.parent.name in ("rus", "kaz", "eng"):
        candidates.append(path.parent.parent / "meta.yaml")
    return next((c for c in candidates if c.is_file()), None)


def _markdown_lang(path: Path, lang: str | None) -> str | None:
    if lang:
        return lang
    if path.parent.name in ("rus", "kaz", "eng"):
        return path.parent.name
    return "kaz" if _KAZ_NAME_RE.search(_bare_name(path)) or _bare_name(path) == "kaz" else None


def _parse_markdown_file(path: Path, text: str, act_id: str | None, lang: str | None) -> ParsedDocument:
    act_id = act_id or act_id_from_filename(path)
    if act_id is None:
        raise ParseError(
            f"{path}: reference-bank Markdown carries no adilet id; pass --act-id (or name the file after "
            "the act, e.g. Z1100000477_rus_2022-07-14.md)"
        )
    meta: dict[str, Any] | None = None
    if (meta_path := markdown_meta_path(path)) is not None:
        meta = load_yaml(meta_path.read_text(encoding="utf-8"), str(meta_path))

    def read_part(rel: str) -> str:
        part = path.parent / rel
        try:
            return part.read_text(encoding="utf-8")
        except OSError as exc:
            raise ParseError(f"{path}: part {rel} listed in the file cannot be read ({exc.strerror or exc})") from exc

    text = assemble_parts(text, read_part, repo=str(path.parent), main_path=path.name)
    return parse_markdown(text, act_id=act_id, lang=_markdown_lang(path, lang), meta=meta, where=str(path))


def parse_path(path: str | Path, *, act_id: str | None = None, lang: str | None = None) -> ParsedDocument:
    """Parse one file into a :class:`ParsedDocument`; :class:`ParseError` names the file if not.

    ``lang``: the text's language; by default "rus" for adilet pages and text copies, and the
    file's own for Markdown (see the module doc).
    """
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
    named_md = ".md" in path.suffixes or ".markdown" in path.suffixes
    # a part marker opens the bank's Markdown with an HTML comment: ask the Markdown sniffer first
    may_be_md = not looks_like_html(raw) or raw.lstrip()[:9] == b"<!-- part"
    if named_md or (may_be_md and looks_like_markdown(_decode_text(raw, path))):
        try:
            return _parse_markdown_file(path, _decode_text(raw, path), act_id, lang)
        except ParseError as exc:
            raise type(exc)(exc if str(exc).startswith(str(path)) else f"{path}: {exc}") from exc
    if looks_like_html(raw):
        try:
            return parse_document(raw, act_id=act_id or act_id_from_filename(path), lang=lang or "rus")
        except ParseError as exc:
            raise type(exc)(f"{path}: {exc}") from exc
    act_id = act_id or act_id_from_filename(path)
    if act_id is None:
        raise ParseError(
            f"{path}: a text copy carries no act id; pass --act-id or name the file after it "
            "(e.g. K1400000226_criminal_code_rus.txt)"
        )
    try:
        return parse_text_copy(_decode_text(raw, path), act_id=act_id, lang=lang or "rus")
    except ParseError as exc:
        raise type(exc)(f"{path}: {exc}") from exc
