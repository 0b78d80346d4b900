"""When a wording entered into force (введение в действие): rules resolved to dates, exact or bounded.

Pure functions; the store gathers what it knows (publication dates of acts, the reference bank's
version dates) into a :class:`DatingContext` and the timeline asks it. ``ingest.effective_rules``
reads the rules from the text; nothing here reads text.

An amendment's in-force date, in this order:

1. the note's fixed date ("вводится в действие с 01.01.2015"): exact;
2. the version date of a reference-bank redaction of the amended act made by the amending act (its
   ``caused_by``), when that date is not just the amending act's adoption date: exact (the bank's own
   statement; a note's own fixed date still wins, it is specific to its provision);
3. a rule relative to publication ("по истечении десяти календарных дней после дня его первого
   официального опубликования") with the amending act's publication date known to the store: exact,
   publication + delay (+ 1 day when counted from the day after publication);
4. the same rule without a publication date: *not before* adoption + delay (+ 1): a publication is
   never before adoption, so this is the earliest possible start (``exact`` False);
5. a reference to the amending act's own final provisions, another event, or no rule: not before the
   adoption date (``exact`` False).

An act's own entry into force (``Act.in_force_from``, set by ingest from its final provisions) bounds
every provision of it; an act whose text does not state it is bounded by its adoption date (``exact``
False).
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from corpus.models import Act, AmendingAct, Amendment, CausedBy, EffectiveRule
from legal.dates import format_ru


@dataclass(frozen=True)
class InForce:
    """An entry into force: the date (exact, or the earliest possible when ``exact`` is False) and how it
    was found, in words a scholar can check."""

    on: date | None
    exact: bool
    rule: str


def act_key(number: str | None, adopted: date | None) -> str | None:
    """The key an act is known by across sources: its number and adoption date ("82-VIII|2024-05-16")."""
    if not number or adopted is None:
        return None
    return f"{number}|{adopted.isoformat()}"


def add_months(d: date, months: int) -> date:
    """``d`` plus whole calendar months (31.08 + 6 months → 28.02/29.02)."""
    month0 = d.month - 1 + months
    year, month = d.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def after_publication(rule: EffectiveRule, published: date) -> date:
    """The date a publication-relative rule gives for a known publication date."""
    return add_months(published, rule.months) + timedelta(days=rule.days + (1 if rule.day_after else 0))


def _delay_words(rule: EffectiveRule) -> str:
    parts = [f"{rule.months} months"] if rule.months else []
    if rule.days or not parts:
        parts.append(f"{rule.days} days")
    return " + ".join(parts) + (" + 1 day (counted from the day after)" if rule.day_after else "")


def _quote(rule: EffectiveRule) -> str:
    text = rule.text.strip().strip("()")
    return f"«{text}»" if text else ""


def resolve(rule: EffectiveRule | None, adopted: date | None, published: date | None, what: str) -> InForce:
    """The entry into force a rule gives (see the module doc); ``what`` names the act in the explanation."""
    quoted = _quote(rule) if rule is not None else ""
    if rule is not None and rule.kind == "date" and rule.date is not None:
        return InForce(rule.date, True, f"{format_ru(rule.date)}: {quoted} ({what})")
    if rule is not None and rule.kind == "publication":
        if published is not None:
            on = after_publication(rule, published)
            return InForce(
                on, True, f"{format_ru(on)} = first official publication {format_ru(published)} + "
                f"{_delay_words(rule)}: {quoted} ({what})"
            )
        if adopted is not None:
            on = after_publication(rule, adopted)
            return InForce(
                on, False, f"not before {format_ru(on)} = adoption {format_ru(adopted)} + {_delay_words(rule)}: "
                f"{quoted} ({what}); the date of its first official publication is not known"
            )
    if adopted is None:
        return InForce(None, False, f"no date known ({what})")
    if rule is None:
        why = "the source states no entry into force"
    elif rule.kind == "reference":
        why = f"{quoted}: the amending act's final provisions are not in the corpus"
    else:
        why = f"{quoted}: no date can be computed"
    return InForce(adopted, False, f"not before its adoption {format_ru(adopted)} ({what}); {why}")


def act_label(act: AmendingAct | CausedBy | Act) -> str:
    """"Закон от 16.05.2024 № 82-VIII" (as far as known)."""
    kind = (act.kind or "акт").capitalize()
    when = getattr(act, "date", None) or getattr(act, "adopted", None)
    parts = [kind]
    if when is not None:
        parts.append(f"от {format_ru(when)}")
    if act.number:
        parts.append(f"№ {act.number}")
    return " ".join(parts)


@dataclass
class DatingContext:
    """What the store knows beyond the notes: publication dates of acts (by :func:`act_key` and by id)
    and the reference bank's version dates of the amending acts that caused a redaction of an act."""

    published: Mapping[str, date] = field(default_factory=dict)
    #: (amended act id, act_key of the redaction's caused_by) → the redaction's version date
    bank_versions: Mapping[tuple[str, str], date] = field(default_factory=dict)
    _cache: dict[tuple[object, ...], InForce] = field(default_factory=dict, repr=False)

    def publication_of(self, act: AmendingAct) -> date | None:
        key = act_key(act.number, act.date)
        found = self.published.get(key) if key else None
        if found is None and act.id:
            found = self.published.get(act.id)
        return found

    def amendment(self, a: Amendment) -> InForce:
        """When amendment ``a`` entered into force (see the module doc)."""
        m = a.amending_act
        # by value: many records share an amending act and rule (and ids of dead objects are reused)
        cache_key = (a.act_id, m.number, m.date, m.id, a.effective_date, a.effective_rule)
        cached = self._cache.get(cache_key)
        if cached is not None:
            return cached
        what = act_label(m)
        if a.effective_date is not None:
            rule = a.effective_rule if a.effective_rule and a.effective_rule.kind == "date" else None
            quoted = f": {_quote(rule)}" if rule else ""
            found = InForce(a.effective_date, True, f"{format_ru(a.effective_date)}{quoted} ({what})")
        else:
            key = act_key(m.number, m.date)
            bank = self.bank_versions.get((a.act_id, key)) if key else None
            if bank is not None and bank != m.date:
                found = InForce(bank, True, f"{format_ru(bank)}: the reference bank's version made by {what}")
            else:
                found = resolve(a.effective_rule, m.date, self.publication_of(m), what)
        self._cache[cache_key] = found
        return found


def act_in_force(act: Act | None, adopted: date | None = None) -> InForce:
    """The act's own entry into force as ingest recorded it; else not before its adoption."""
    if act is not None and act.in_force_from is not None:
        what = "the act's own entry into force"
        rule = act.in_force_rule
        quoted = f": {_quote(rule)}" if rule is not None and rule.text else ""
        prefix = format_ru(act.in_force_from) if act.in_force_exact else f"not before {format_ru(act.in_force_from)}"
        return InForce(act.in_force_from, act.in_force_exact, f"{prefix} ({what}{quoted})")
    when = act.adopted if act is not None and act.adopted is not None else adopted
    if when is None:
        return InForce(None, False, "the act's entry into force and adoption are not known")
    return InForce(when, False, f"not before the act's adoption {format_ru(when)}; its entry into force is not stated")
