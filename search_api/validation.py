"""The checks every search request passes before any backend sees it, the same for the API and the CLI
(issue 11): a filter naming an id or a value that does not exist is an error naming the parameter,
never a silent empty result.

Every id filter (act, tag, right, status, kind, chapter, group when the query has it) goes through ONE
function, :func:`check_ids`; the period and the page window are checked here too. A failed check raises
:class:`ParameterError`: the API answers 400 with ``"<param>: <message>"``, the CLI prints the same.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING

from corpus.timeline import VERSION_STATUSES
from legal.act_kinds import KINDS
from search_api.models import QueryError, SearchQuery
from search_api.query import check_window

if TYPE_CHECKING:
    from corpus.store import Store

#: The values of ``group`` (results grouped by article, docs/design.md §7) when the query has it.
GROUPS: tuple[str, ...] = ("article", "none")


class ParameterError(QueryError):
    """A request parameter with a value that names nothing known; ``str()`` starts with the parameter."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(f"{param}: {message}")
        self.param = param


def check_ids(param: str, values: Iterable[str | None], known: Collection[str] | None, hint: str) -> None:
    """Every value of ``param`` must be non-empty and, when ``known`` is given, one of it."""
    given = [v or "" for v in values]
    if any(not v.strip() for v in given):
        raise ParameterError(param, f"empty value; {hint}")
    if known is None:
        return
    unknown = list(dict.fromkeys(v for v in given if v not in known))
    if unknown:
        raise ParameterError(param, f"unknown {'value' if len(unknown) == 1 else 'values'} "
                                    f"{', '.join(unknown)}; {hint}")


def check_query(query: SearchQuery, store: Store | None) -> None:
    """Check every filter of ``query`` (ids against the taxonomy, the version statuses, the act kinds
    and, when ``store`` is given, the acts and chapters it holds), the period and the page window.
    Raises :class:`ParameterError` naming the first bad parameter."""
    from nlp.taxonomy import load_rights, load_topics

    check_ids("tag", query.tag, load_topics().tags, "see /taxonomy")
    check_ids("right", query.right, load_rights().rights, "see /taxonomy")
    check_ids("status", query.status, VERSION_STATUSES, f"one of {', '.join(VERSION_STATUSES)}")
    check_ids("kind", query.kind, KINDS, f"one of {', '.join(KINDS)}")
    group = getattr(query, "group", None)
    if group is not None:
        check_ids("group", [group], GROUPS, f"one of {', '.join(GROUPS)}")
    if query.act:
        check_ids("act", query.act, store.act_ids() if store is not None else None, "see /acts")
    if query.chapter is not None:
        check_ids("chapter", [query.chapter], None, "a chapter eid such as chp_5")
        if store is not None and not store.has_provision(query.chapter, kind="chapter", act_ids=query.act):
            where = f" in {', '.join(query.act)}" if query.act else ""
            raise ParameterError(
                "chapter", f"unknown chapter {query.chapter}{where}; see an act's table of contents, /acts/{{act_id}}"
            )
    if query.amended_from and query.amended_to and query.amended_from > query.amended_to:
        raise ParameterError("amended_from", f"{query.amended_from} is after amended_to {query.amended_to}")
    try:
        check_window(query.page, query.size)
    except QueryError as exc:
        raise ParameterError("page", str(exc)) from exc
