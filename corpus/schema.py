"""SQLite schema of the corpus store and its numbered migrations.

The schema version lives in ``PRAGMA user_version``. :data:`MIGRATIONS` is append-only: migration N
takes a store from version N-1 to N; a released migration is never edited, a change is a new one.
Dates are ISO 8601 text (they compare as dates); JSON columns hold ``corpus.models.to_dict`` data.
"""

from __future__ import annotations

MIGRATION_1 = """
CREATE TABLE acts (
    id          TEXT PRIMARY KEY,
    kind        TEXT,
    title       TEXT NOT NULL,
    number      TEXT,
    adopted     TEXT,
    status      TEXT NOT NULL,
    languages   TEXT NOT NULL,           -- JSON list
    source_url  TEXT,
    publication TEXT,
    info        TEXT NOT NULL            -- JSON object
);

-- one wording (редакция) of an act in one language; valid_from NULL = undated (then it stands alone)
CREATE TABLE redactions (
    id           INTEGER PRIMARY KEY,
    act_id       TEXT NOT NULL REFERENCES acts(id) ON DELETE CASCADE,
    lang         TEXT NOT NULL,
    valid_from   TEXT,
    vf_key       TEXT NOT NULL,          -- valid_from or '' : NULLs are never equal in a UNIQUE key
    url          TEXT,
    fetched_at   TEXT,
    content_hash TEXT,
    UNIQUE (act_id, lang, vf_key)
);

-- one row per provision VERSION (corpus.timeline computes them from the redactions)
CREATE TABLE provisions (
    id         INTEGER PRIMARY KEY,
    act_id     TEXT NOT NULL REFERENCES acts(id) ON DELETE CASCADE,
    lang       TEXT NOT NULL,
    eid        TEXT NOT NULL,
    valid_from TEXT,
    valid_to   TEXT,                     -- exclusive; NULL = in force now
    since      TEXT,                     -- redaction where this text first appeared (timeline rule 6)
    version_id TEXT NOT NULL,            -- {act_id}/{eid}@{valid_from}
    kind       TEXT NOT NULL,
    number     TEXT,
    heading    TEXT,
    text       TEXT NOT NULL,
    parent     TEXT,
    ancestors  TEXT NOT NULL,            -- JSON list of headings
    position   INTEGER NOT NULL,
    text_hash  TEXT NOT NULL,
    UNIQUE (lang, version_id)
);
CREATE INDEX provisions_eid ON provisions (act_id, eid, valid_from);
CREATE INDEX provisions_valid_to ON provisions (valid_to);
CREATE INDEX provisions_order ON provisions (lang, act_id, position, valid_from);
CREATE INDEX provisions_parent ON provisions (act_id, parent);

-- natural_key = sha256(act_id, eid, verb, amending number, amending date, source_kind [, source hash when
-- the amending act is unknown]): the same amendment read twice (re-parsed, or from an older page whose
-- footnote was shorter) is one row; see corpus.store.amendment_key
CREATE TABLE amendments (
    id               INTEGER PRIMARY KEY,
    natural_key      TEXT NOT NULL UNIQUE,
    act_id           TEXT NOT NULL REFERENCES acts(id) ON DELETE CASCADE,
    eid              TEXT,
    verb             TEXT NOT NULL,
    amending_number  TEXT,
    amending_date    TEXT,
    amending_id      TEXT,
    amending_kind    TEXT,
    effective_text   TEXT,
    effective_date   TEXT,
    source           TEXT NOT NULL,
    source_kind      TEXT NOT NULL,
    source_hash      TEXT NOT NULL
);
CREATE INDEX amendments_act_eid ON amendments (act_id, eid);

-- what nlp/ derived from one provision version; dropped with the version
CREATE TABLE annotations (
    provision_id     INTEGER PRIMARY KEY REFERENCES provisions(id) ON DELETE CASCADE,
    pipeline_version TEXT NOT NULL,
    data             TEXT NOT NULL       -- JSON of corpus.models.Annotation
);
CREATE INDEX annotations_pipeline ON annotations (pipeline_version);

-- Annotation.citations, flattened for citations_to lookups
CREATE TABLE citations (
    id             INTEGER PRIMARY KEY,
    provision_id   INTEGER NOT NULL REFERENCES provisions(id) ON DELETE CASCADE,
    target_act_id  TEXT,
    target_eid     TEXT,
    data           TEXT NOT NULL         -- JSON of corpus.models.Citation
);
CREATE INDEX citations_target ON citations (target_act_id, target_eid);
CREATE INDEX citations_from ON citations (provision_id);
"""

# children(): the parent lookup also needs the language and document order, or SQLite walks the whole act
MIGRATION_2 = """
DROP INDEX provisions_parent;
CREATE INDEX provisions_parent ON provisions (act_id, lang, parent, position);
"""

# Amendment.new_words: the words an act-wide replacement put in (JSON list; read from the note by ingest);
# Provision.repealed: the text is only an "исключен" note (read by ingest)
MIGRATION_3 = """
ALTER TABLE amendments ADD COLUMN new_words TEXT NOT NULL DEFAULT '[]';
ALTER TABLE provisions ADD COLUMN repealed INTEGER NOT NULL DEFAULT 0;
"""

# Redaction.caused_by: the amending act that made the wording (JSON of corpus.models.CausedBy; NULL =
# unknown); Redaction.scope: the eids an excerpt speaks for (JSON list; NULL = the whole act)
MIGRATION_4 = """
ALTER TABLE redactions ADD COLUMN caused_by TEXT;
ALTER TABLE redactions ADD COLUMN scope TEXT;
"""

# Law in time (docs/design.md §7): when a wording entered into force and what is known of it.
# provisions: through = date of the last redaction holding the text (with since: which redactions it is
# in); valid_from_exact / valid_from_rule = is the start exact, and how it was found; unknown_from = the
# wording is unknown from then up to valid_from. redactions.date_source = "version" | "amendments".
# acts: published (first official publication), in_force_from / in_force_exact / in_force_rule (JSON of
# corpus.models.EffectiveRule) / in_force_exceptions (JSON eid → date). amendments.effective_rule (JSON).
# coverage: per act and language, how many provisions have a known / unknown wording from on_date on
# (a step function, each row holding until the next; rebuilt with the act's versions).
MIGRATION_5 = """
ALTER TABLE provisions ADD COLUMN through TEXT;
ALTER TABLE provisions ADD COLUMN valid_from_exact INTEGER NOT NULL DEFAULT 1;
ALTER TABLE provisions ADD COLUMN valid_from_rule TEXT;
ALTER TABLE provisions ADD COLUMN unknown_from TEXT;
ALTER TABLE redactions ADD COLUMN date_source TEXT;
ALTER TABLE acts ADD COLUMN published TEXT;
ALTER TABLE acts ADD COLUMN in_force_from TEXT;
ALTER TABLE acts ADD COLUMN in_force_exact INTEGER NOT NULL DEFAULT 0;
ALTER TABLE acts ADD COLUMN in_force_rule TEXT;
ALTER TABLE acts ADD COLUMN in_force_exceptions TEXT NOT NULL DEFAULT '{}';
ALTER TABLE amendments ADD COLUMN effective_rule TEXT;
CREATE TABLE coverage (
    act_id   TEXT NOT NULL REFERENCES acts(id) ON DELETE CASCADE,
    lang     TEXT NOT NULL,
    on_date  TEXT NOT NULL,             -- '0001-01-01' for undated versions
    known    INTEGER NOT NULL,
    unknown  INTEGER NOT NULL,
    PRIMARY KEY (act_id, lang, on_date)
);
"""

# Provision.anchor: adilet's element id of the provision's heading (``z446``), read from an adilet page
MIGRATION_6 = """
ALTER TABLE provisions ADD COLUMN anchor TEXT;
"""

#: (version, DDL) in order; the store's schema version is the last number applied.
MIGRATIONS: tuple[tuple[int, str], ...] = (
    (1, MIGRATION_1), (2, MIGRATION_2), (3, MIGRATION_3), (4, MIGRATION_4), (5, MIGRATION_5),
    (6, MIGRATION_6),
)

SCHEMA_VERSION: int = MIGRATIONS[-1][0]


def statements(ddl: str) -> list[str]:
    """The DDL split into statements (no statement of ours holds a ';' inside a literal)."""
    lines = [line.split("--", 1)[0] for line in ddl.splitlines()]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
