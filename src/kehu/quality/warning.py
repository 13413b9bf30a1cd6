"""The creation-time duplicate warning: "this looks like 张伟, who is already a customer".

Candidates come from indexed look-ups only (search keys: E.164 phone ``t:``, e-mail ``e:``,
the simplified and pinyin forms of the name ``n:``; plus the ID number), restricted to the
customers the user may see, then scored by the matcher's single-record scorer. A common name
alone can match thousands of records, so name look-ups are capped and phone/e-mail/ID
matches are fetched first: a real duplicate almost always shares one of those.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from kehu.core import permissions
from kehu.core.text import compact, has_han, phone_e164, pinyin_forms, simplify
from kehu.customers.fields import MATCHED
from kehu.customers.models import SearchKey
from kehu.quality import matcher

# What the form posts for the check while a record is typed: the fields the matcher compares.
WARNING_FIELDS = MATCHED
STRONG_LIMIT = 50  # customers sharing a phone or e-mail with the new record
NAME_LIMIT = 100  # customers sharing its name: enough for any family, not for "张伟" nationwide
SHOWN = 5
DEFAULT_THRESHOLD = 0.5


@dataclass(frozen=True)
class Candidate:
    customer_id: int
    name: str
    probability: float
    evidence: list[dict[str, Any]] = field(default_factory=list)
    city: str = ""

    @property
    def percent(self) -> int:
        return round(100 * self.probability)

    def as_dict(self) -> dict[str, Any]:
        """For the API: ``{"customer_id", "name", "city", "probability", "evidence"}``."""
        return {
            "customer_id": self.customer_id,
            "name": self.name,
            "city": self.city,
            "probability": round(self.probability, 4),
            "evidence": self.evidence,
        }


def warn_threshold() -> float:
    return float(getattr(settings, "KEHU_DUPLICATE_WARN_THRESHOLD", DEFAULT_THRESHOLD))


def lookup_keys(fields: Mapping[str, Any]) -> tuple[list[str], list[str], list[str]]:
    """(strong keys, name keys, ID-number forms) for the typed fields."""
    region = getattr(settings, "KEHU_DEFAULT_PHONE_REGION", "CN")
    strong: list[str] = []
    phone = phone_e164(str(fields.get("phone") or ""), region)
    if phone:
        strong.append("t:" + phone.lstrip("+"))
    email = str(fields.get("email") or "").strip().lower()
    if "@" in email:
        strong.append("e:" + email)
    names: list[str] = []
    for raw in (fields.get("name"), fields.get("name_en")):
        text = str(raw or "")
        base = compact(text)
        if not base:
            continue
        names.append("n:" + base)
        full, _initials = pinyin_forms(text)
        if full:
            names.append("n:" + full)  # initials ("zw") would match half the database
        tokens = [t for t in simplify(text).split() if t and not has_han(t)]
        if len(tokens) > 1:
            names.append("n:" + "".join(reversed(tokens)))
    raw_id = re.sub(r"\s", "", str(fields.get("id_number") or ""))
    ids = sorted({raw_id, raw_id.upper()}) if len(raw_id) >= 6 else []
    return strong, sorted(set(names)), ids


def candidate_ids(fields: Mapping[str, Any], *, exclude_id: int | None = None) -> list[int]:
    strong, names, id_forms = lookup_keys(fields)
    found: list[int] = []
    if strong:
        found += SearchKey.objects.filter(key__in=strong).values_list("customer_id", flat=True)[
            :STRONG_LIMIT
        ]
    if names:
        found += SearchKey.objects.filter(key__in=names).values_list("customer_id", flat=True)[
            :NAME_LIMIT
        ]
    ids = list(dict.fromkeys(found))
    if exclude_id is not None:
        ids = [pk for pk in ids if pk != exclude_id]
    return ids


def duplicate_warning(
    *,
    user: Any,
    fields: Mapping[str, Any],
    exclude_id: int | None = None,
    threshold: float | None = None,
) -> list[Candidate]:
    """Existing customers, visible to ``user``, that look like the record in ``fields``;
    best first, at most five. ``exclude_id``: the record being edited."""
    ids = candidate_ids(fields, exclude_id=exclude_id)
    _strong, _names, id_forms = lookup_keys(fields)
    visible = permissions.visible_customers(user)
    rows: list[dict[str, Any]] = []
    if ids:
        rows += visible.filter(pk__in=ids).values(*matcher.DB_FIELDS)
    if id_forms:
        # Not a search key: an equality look-up on the column (see the report on indexing).
        extra = visible.filter(id_number__in=id_forms).exclude(pk__in=ids)
        if exclude_id is not None:
            extra = extra.exclude(pk=exclude_id)
        rows += extra.values(*matcher.DB_FIELDS)[:STRONG_LIMIT]
    if not rows:
        return []
    # The edited record's own id lets the scorer leave out pairs a reviewer rejected.
    record = matcher.matcher_record({**fields, "id": exclude_id})
    by_id = {row["id"]: row for row in rows}
    matches = matcher.current_scorer()(record, [matcher.matcher_record(r) for r in rows])
    limit = warn_threshold() if threshold is None else threshold
    out = [
        Candidate(
            customer_id=m.customer_id,
            name=by_id[m.customer_id]["name"],
            probability=m.probability,
            evidence=m.evidence,
            city=by_id[m.customer_id]["city"] or "",
        )
        for m in matches
        if m.customer_id in by_id and m.probability >= limit
    ]
    out.sort(key=lambda c: (-c.probability, c.customer_id))
    return out[:SHOWN]
