"""The bundled offline corpus: real texts shipped gzipped in ``ingest/bundled/``, several redactions per act.

Provenance of every file (origin repository, path, commit, md5 of the original, what was checked) is
in ``ingest/bundled/SOURCES.md``. The manifest lists, per act, its requisites and its redaction files:
adilet pages (``.html.gz``), adilet text copies (``.txt.gz``) and reference-bank Markdown versions
(``.md.gz``, with the bank's ``.meta.yaml`` beside them when their commit had one), in Russian and
Kazakh. Excerpts (the КоАП's chapter 28, arts. 392–395 of the Criminal Code) are redactions of those
provisions only: the Markdown parser gives them their scope.

Requisites (kind, title, number, adoption date) are taken from ../shared/sources/SOURCES.md and the
texts' own metadata (the bank's requisite lines, the acts' self-citations in their notes), never
invented; the text copies carry no title line, so the manifest is where their requisites live. Two
ids are not read from an adilet page: Z1300000070 and K2000000350 follow adilet's rule for laws and
codes since 2011 (``Z/K{yy}{number:08d}``, legal.act_ids.derive_act_id), and the 1992 law "Об
иммиграции" has no known adilet id, so it is ``EKB104249`` (the reference bank's document code).

Status: as the sources give it. The 1995 Constitution is **repealed**: per the reference bank's
metadata it ceased to have effect on 01.07.2026, replaced by the Constitution adopted at the
referendum of 15.03.2026 (not bundled); the bundled text is the 1995 one with amendments to
17.09.2022. The 1992 immigration law was repealed by Закон РК от 13.12.1997 № 205.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from corpus.models import ParsedDocument
from corpus.store import SaveStats, Store
from ingest.adilet_urls import doc_url
from ingest.effective_rules import resolve_act_in_force
from ingest.parse import parse_path
from legal.act_ids import is_bank_id

BUNDLED_DIR = Path(__file__).with_name("bundled")


@dataclass(frozen=True)
class BundledFile:
    """One redaction file of an act."""

    file: str
    lang: str = "rus"


@dataclass(frozen=True)
class BundledAct:
    act_id: str
    kind: str
    title: str
    number: str | None
    adopted: date | None
    status: str  # corpus.models.ACT_STATUSES
    files: tuple[BundledFile, ...]
    info: Mapping[str, str] = field(default_factory=dict)  # notes a scholar should see (Act.info)

    @property
    def file(self) -> str:
        """The act's main (first) file: its current Russian text."""
        return self.files[0].file


def _f(*names: str) -> tuple[BundledFile, ...]:
    return tuple(BundledFile(n, "kaz" if "_kaz_" in n else "rus") for n in names)


_DERIVED = "adilet id derived by adilet's rule for laws and codes since 2011 (Z/K{yy}{number:08d}); no adilet page seen"

MANIFEST: tuple[BundledAct, ...] = (
    BundledAct(
        "Z1100000477", "закон", "О миграции населения", "477-IV", date(2011, 7, 22), "in_force",
        _f(
            "Z1100000477_rus.html.gz",
            "Z1100000477_rus_2012-04-27.md.gz",
            "Z1100000477_rus_2019-01-01.md.gz",
            "Z1100000477_rus_2022-07-14.md.gz",
            "Z1100000477_kaz_2022-07-14.md.gz",
        ),
    ),
    BundledAct(
        "Z090000216_", "закон", "О беженцах", "216-IV", date(2009, 12, 4), "in_force",
        _f(
            "Z090000216_rus.html.gz",
            "Z090000216__refugees_rus_2020-11-16.md.gz",
            "Z090000216__refugees_kaz_2020-11-16.md.gz",
        ),
    ),
    BundledAct(
        "Z910004800_", "закон", "О гражданстве Республики Казахстан", "1017-XII", date(1991, 12, 20), "in_force",
        _f("Z910004800__citizenship_rus_2024-07-17.md.gz"),
    ),
    BundledAct(
        "U950002337_", "закон", "О правовом положении иностранцев", "2337", date(1995, 6, 19), "in_force",
        _f("U950002337__foreigners_legal_status_rus_2023-07-01.md.gz"),
        info={"form": "Указ Президента Республики Казахстан, имеющий силу закона; форма акта изменена на «Закон» "
                      "Законом РК от 12.01.2007 № 227"},
    ),
    BundledAct(
        "Z1300000070", "закон", "О Государственной границе Республики Казахстан", "70-V", date(2013, 1, 16),
        "in_force",
        _f("Z1300000070_border_rus_2020-07-07.md.gz"),
        info={"act_id": _DERIVED},
    ),
    BundledAct(
        "EKB104249", "закон", "Об иммиграции", None, date(1992, 6, 26), "repealed",
        _f("immigration_law_1992_rus_1992-06-25.md.gz"),
        info={
            "act_id": "no adilet id is known: EKB104249 is the reference bank's document code (legal.act_ids)",
            "ended": "Утратил силу - Законом РК от 13 декабря 1997 года N 205 (the bank's requisite)",
            "adopted": "26.06.1992 per the bank's requisite; its approved_on field says 1992-06-25",
        },
    ),
    BundledAct(
        "K950001000_", "конституция", "Конституция Республики Казахстан", None, date(1995, 8, 30), "repealed",
        _f("K950001000__constitution_rus_1995ed2022.txt.gz"),
        info={
            "ended_on": "2026-07-01",
            "ended": "Прекратила действие с 1 июля 2026 года в соответствии с Конституцией Республики Казахстан, "
                     "принятой на республиканском референдуме 15 марта 2026 года (the reference bank's metadata, "
                     "kazakhstan-law/codes 00-constitution/meta.yaml); the 2026 Constitution is not bundled",
            "adopted": "принята на республиканском референдуме 30 августа 1995 года",
        },
    ),
    BundledAct(
        "K1400000226", "кодекс", "Уголовный кодекс Республики Казахстан", "226-V", date(2014, 7, 3), "in_force",
        _f("K1400000226_criminal_code_rus.txt.gz", "K1400000226_criminal_code_arts392-395_rus_2023-01-01.md.gz"),
    ),
    BundledAct(
        "K1400000235", "кодекс", "Кодекс Республики Казахстан об административных правонарушениях", "235-V",
        date(2014, 7, 5), "in_force",
        _f("K1400000235_koap_rus.txt.gz", "K1400000235_koap_ch28_arts510-520_rus_2020-05-13.md.gz"),
    ),
    BundledAct(
        "K1400000231", "кодекс", "Уголовно-процессуальный кодекс Республики Казахстан", "231-V", date(2014, 7, 4),
        "in_force",
        _f("K1400000231_criminal_procedure_code_rus.txt.gz"),
    ),
    BundledAct(
        "K1500000414", "кодекс", "Трудовой кодекс Республики Казахстан", "414-V", date(2015, 11, 23), "in_force",
        _f("K1500000414_labour_code_rus.txt.gz"),
    ),
    BundledAct(
        "K2000000350", "кодекс", "Административный процедурно-процессуальный кодекс Республики Казахстан", "350-VI",
        date(2020, 6, 29), "in_force",
        _f("K2000000350_admin_procedural_code_rus.txt.gz"),
        info={"act_id": _DERIVED, "in_force_from": "2021-07-01 (Примечание ИЗПИ in the text)"},
    ),
    BundledAct(
        "K2300000224", "кодекс", "Социальный кодекс Республики Казахстан", "224-VII", date(2023, 4, 20), "in_force",
        _f("K2300000224_social_code_rus.txt.gz"),
    ),
)


def bundled_path(entry: BundledAct | BundledFile) -> Path:
    return BUNDLED_DIR / entry.file


def read_bundled_text(entry: BundledAct | BundledFile) -> str:
    """The decompressed text of one bundled file (an act: its main file), for benchmarks and evaluation."""
    with gzip.open(bundled_path(entry), "rt", encoding="utf-8") as fh:
        return fh.read()


def parse_bundled(entry: BundledAct) -> list[ParsedDocument]:
    """Every redaction of one bundled act, its requisites set from the manifest (Russian first: their
    notes are the act's amendments, which date the Kazakh versions too)."""
    docs = []
    for f in sorted(entry.files, key=lambda f: f.lang != "rus"):
        doc = parse_path(bundled_path(f), act_id=entry.act_id, lang=f.lang)
        act = doc.act
        act.kind, act.title, act.number, act.adopted = entry.kind, entry.title, entry.number, entry.adopted
        act.status = entry.status
        resolve_act_in_force(act)  # the text copies gave no adoption date to count a delay from
        act.info = {**act.info, **entry.info}
        if act.source_url is None and not is_bank_id(entry.act_id):  # a bank id has no adilet page
            act.source_url = doc_url(entry.act_id)
        docs.append(doc)
    return docs


def iter_bundled() -> Iterator[BundledAct]:
    yield from MANIFEST


def ingest_bundled(
    store: Store, *, progress: Callable[[BundledAct, list[SaveStats]], None] | None = None
) -> list[SaveStats]:
    """Parse and store every bundled act; each act's redactions in one transaction; re-running changes nothing."""
    results = []
    for entry in MANIFEST:
        stats = store.save_documents(parse_bundled(entry))
        results.extend(stats)
        if progress:
            progress(entry, stats)
    return results
