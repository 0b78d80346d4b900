"""The NLP glue: one provision text → one :class:`~corpus.models.Annotation` (lemmas, topic tags,
rights, citations, facts) through the spaCy pipeline (:mod:`nlp.pipeline`), the ``migralex tag``
record shape (docs/design.md §6) and resumable annotation of a whole store.

``annotate_store`` walks ``store.unannotated(PIPELINE_VERSION)`` in batches and saves each batch
in one ``save_annotations`` call (one transaction), so a crash loses at most one batch and a
re-run continues where it stopped. There citations are also resolved against the corpus
(:func:`nlp.resolve.resolve_in_corpus` through the store's :class:`~nlp.resolve.ProvisionIndex` read
interface): a target counts as resolved only if it exists in the cited act's wording in force while the
citing version is. Without a store (``annotate``, ``migralex tag``) citations are resolved from the text
alone and say so (``resolution: "syntactic"``). :data:`PIPELINE_VERSION` is a hash of the NLP sources, the rule
files and the pipeline config (:func:`nlp.pipeline.pipeline_version`): any change of them makes every
provision due again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import islice
from typing import Any, Protocol

from corpus.models import Annotation, Provision, split_provision_id, to_dict
from nlp.pipeline import pipeline_version, process, results
from nlp.resolve import ProvisionIndex, resolve_in_corpus

PIPELINE_VERSION: str = pipeline_version()


class AnnotationStore(ProvisionIndex, Protocol):
    """The part of ``corpus.store.Store`` that annotation needs (with the resolver's read interface)."""

    def unannotated(self, pipeline_version: str) -> Any: ...

    def count_unannotated(self, pipeline_version: str) -> int: ...

    def save_annotations(self, annotations: Any) -> int: ...


def annotate(
    text: str,
    *,
    act_id: str | None = None,
    eid: str | None = None,
    version_id: str = "",
    heading: str | None = None,
    ancestors: Sequence[str] = (),
) -> Annotation:
    """Everything nlp/ derives from one provision text (relative citations resolve against
    ``act_id``/``eid``; the heading and ancestors' headings add weaker tag evidence)."""
    if not isinstance(text, str):
        raise TypeError(f"annotate() needs str text, got {type(text).__name__}")
    if heading is not None and not isinstance(heading, str):
        raise TypeError(f"heading must be a str, got {type(heading).__name__}")
    doc = process(text, act_id=act_id, eid=eid, heading=heading, ancestors=ancestors)
    words, tags, rights, citations, facts = results(doc)
    return Annotation(
        version_id=version_id,
        lemmas=" ".join(t.lemma for t in words),
        tags=tags,
        rights=rights,
        citations=citations,
        facts=facts,
        pipeline_version=PIPELINE_VERSION,
    )


def annotate_provision(p: Provision, index: ProvisionIndex | None = None) -> Annotation:
    """Annotate one stored provision version. A part or item has no heading of its own: its
    article's heading (the nearest ancestor) is read as the heading. With ``index`` (the corpus), its
    citations are resolved against the cited acts' wordings in force while this version is."""
    heading, ancestors = p.heading, list(p.ancestors)
    if not heading and ancestors and p.kind in ("part", "item"):
        heading, ancestors = ancestors[-1], ancestors[:-1]
    ann = annotate(p.text, act_id=p.act_id, eid=p.eid, version_id=p.version_id, heading=heading, ancestors=ancestors)
    if index is not None:
        ann.citations = resolve_in_corpus(ann.citations, index, start=p.valid_from, end=p.valid_to)
    return ann


def tag_record(record: dict[str, Any]) -> dict[str, Any]:
    """The ``migralex tag`` output for one input record ``{"id": "{act_id}/{eid}", "text",
    "act_id"}`` (``id`` and ``act_id`` optional; an optional ``heading`` is used too)."""
    if not isinstance(record, dict):
        raise ValueError(f"a tag record must be a JSON object, got {type(record).__name__}")
    text = record.get("text")
    if not isinstance(text, str):
        raise ValueError(f"tag record {record.get('id')!r}: 'text' must be a string")
    rid = record.get("id")
    if rid is not None and not isinstance(rid, str):
        raise ValueError(f"tag record id must be a string, got {rid!r}")
    act_id, eid = record.get("act_id"), None
    if rid:
        id_act, id_eid, _ = split_provision_id(rid)
        act_id = act_id or id_act or None
        eid = id_eid or None
    heading = record.get("heading")
    if heading is not None and not isinstance(heading, str):
        raise ValueError(f"tag record {rid!r}: 'heading' must be a string")
    ann = annotate(text, act_id=act_id, eid=eid, heading=heading)
    return {
        "id": rid,
        "tags": [
            {
                "id": t.id,
                "evidence": [{"start": s.start, "end": s.end, "text": s.text} for s in t.evidence],
                "rule": t.rule,
                "confidence": t.confidence,
            }
            for t in ann.tags
        ],
        "rights": [
            {
                "id": r.id,
                "because": list(r.because),
                "eid": r.eid,
                "polarity": r.polarity,
                "evidence": [to_dict(s) for s in r.evidence],
                "rule": r.rule,
                "confidence": r.confidence,
            }
            for r in ann.rights
        ],
        # no store here: targets are read from the text alone, never checked against a corpus
        "citations": [
            {
                "start": c.start, "end": c.end, "text": c.text, "act_id": c.target_act_id, "eid": c.target_eid,
                "resolved": c.resolved, "resolution": c.resolution, "unresolved_reason": c.unresolved_reason,
                **({"antecedent": c.antecedent} if c.antecedent else {}),
            }
            for c in ann.citations
        ],
    }


def annotate_store(
    store: AnnotationStore,
    *,
    batch_size: int = 256,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Annotate every provision version not yet annotated by :data:`PIPELINE_VERSION`; returns how
    many were annotated. Resumable: each batch is saved in one transaction, and the store's
    pending iterator reads in batches with no statement left open, so saving while iterating is safe
    and a re-run continues with what is still pending."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    total = store.count_unannotated(PIPELINE_VERSION) if progress else 0
    done = 0
    pending = iter(store.unannotated(PIPELINE_VERSION))
    while batch := list(islice(pending, batch_size)):
        store.save_annotations([annotate_provision(p, store) for p in batch])
        done += len(batch)
        if progress:
            progress(done, max(total, done))
    return done
