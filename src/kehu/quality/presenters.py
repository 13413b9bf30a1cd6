"""What the review queue shows for a pair: both records field by field, how much hangs off
each, and the matcher's evidence in words. Three queries for a page of pairs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from kehu.core.text import phone_display, simplify
from kehu.customers import fields
from kehu.customers.models import Customer
from kehu.quality import selectors
from kehu.quality.models import DuplicatePair

# Customer columns shown side by side, in this order.
SHOWN = (
    "name",
    "name_en",
    "aliases",
    "kind",
    "phone",
    "email",
    "id_number",
    "birthday",
    "gender",
    "province",
    "city",
    "district",
    "address",
    "postcode",
    "industry",
    "owner",
    "team",
    "source",
    "external_id",
    "created_at",
    "completeness",
)
# Names of the matcher's comparisons as a reviewer reads them.
EVIDENCE_LABELS = {
    "name": _("Name"),
    "name_parts": _("Name"),
    "family_name": _("Family name"),
    "given_name": _("Given name"),
    "phone": _("Phone"),
    "email": _("Email"),
    "birthday": _("Birthday"),
    "postcode": _("Postcode"),
    "city": _("City"),
    "address": _("Address"),
    "id_number": _("ID number"),
    "company": _("Company name"),
}
# The matcher's levels (analytics/quality/spec.py) as a reviewer says them; a level not listed
# reads "<field>: <level>".
REASONS = {
    ("name", "exact (normalised)"): _("same name"),
    ("name", "same pinyin"): _("name in pinyin"),
    ("name", "same pinyin, other order"): _("name in pinyin, in another order"),
    ("name", "pinyin Jaro-Winkler >= 0.92"): _("name sounds almost the same"),
    ("name", "pinyin Jaro-Winkler >= 0.80"): _("name sounds similar"),
    ("name", "other name, both in characters"): _("another name"),
    ("name", "other name, one in characters"): _("another name"),
    ("family_name", "exact"): _("same family name"),
    ("given_name", "exact"): _("same given name"),
    ("phone", "exact"): _("same phone"),
    ("phone", "one digit off"): _("phone one digit off"),
    ("email", "exact"): _("same e-mail"),
    ("email", "same local part"): _("same e-mail name at another domain"),
    ("birthday", "exact"): _("same birthday"),
    ("birthday", "day and month swapped"): _("birthday with day and month swapped"),
    ("birthday", "one digit off"): _("birthday one digit off"),
    ("postcode", "exact"): _("same postcode"),
    ("postcode", "same area"): _("postcode in the same area"),
    ("city", "exact"): _("same city"),
    ("address", "bigram Jaccard >= 0.9"): _("same address"),
    ("address", "bigram Jaccard >= 0.7"): _("almost the same address"),
    ("address", "bigram Jaccard >= 0.5"): _("similar address"),
    ("address", "bigram Jaccard >= 0.3"): _("somewhat similar address"),
    ("address", "similar, other house number"): _("similar address, other house number"),
    ("address", "other address, same company"): _("same company, other address"),
    ("id_number", "exact"): _("same ID number"),
    ("id_number", "one character off"): _("ID number one character off"),
    ("company", "exact"): _("same company"),
}
TRADITIONAL_ADDRESS = _("same address in traditional characters")
STRONG, WEAK = 3.0, 0.0  # match weights (log2 Bayes factors) for "strong" and "weak"


@dataclass
class FieldRow:
    label: str
    left: Any
    right: Any
    # Judged on the values before masking: two masked values can look alike and differ.
    same: bool = False


@dataclass
class EvidenceRow:
    field: str
    label: str
    level: str
    weight: float | None
    reason: str = ""

    @property
    def strength(self) -> str:
        if self.weight is None:
            return "none"
        if self.weight >= STRONG:
            return "strong"
        if self.weight > WEAK:
            return "weak"
        return "against"


@dataclass
class PairCard:
    pair: DuplicatePair
    left: Customer
    right: Customer
    rows: list[FieldRow] = field(default_factory=list)
    counts: dict[int, dict[str, int]] = field(default_factory=dict)
    evidence: list[EvidenceRow] = field(default_factory=list)

    @property
    def left_counts(self) -> dict[str, int]:
        return self.counts.get(self.left.pk, {})

    @property
    def right_counts(self) -> dict[str, int]:
        return self.counts.get(self.right.pk, {})


def _display(customer: Customer, name: str) -> Any:
    if name == "aliases":
        return ", ".join(str(a) for a in customer.aliases if a) if customer.aliases else ""
    if name in ("owner", "team"):
        related = getattr(customer, name)
        if related is None:
            return ""
        return getattr(related, "get_full_name", lambda: "")() or str(related)
    display = getattr(customer, f"get_{name}_display", None)
    if display is not None:
        return display()
    value = getattr(customer, name)
    return "" if value is None else value


def _reason(name: str, level: str, label: str, left: Any, right: Any) -> str:
    if name == "address" and level == "bigram Jaccard >= 0.9" and left is not None:
        a, b = left.address or "", right.address or ""
        # One written in traditional characters, the same once simplified.
        if a and b and a != b and simplify(a) == simplify(b):
            return str(TRADITIONAL_ADDRESS)
    reason = REASONS.get((name, level))
    if reason is not None:
        return str(reason)
    return f"{label}: {level}" if level else label


def evidence_rows(
    evidence: dict[str, Any], left: Customer | None = None, right: Customer | None = None
) -> list[EvidenceRow]:
    """The stored evidence (``{"fields": [{"field", "level", "weight"}, …]}``) in words."""
    rows = []
    for item in evidence.get("fields", []) if isinstance(evidence, dict) else []:
        name = str(item.get("field", ""))
        weight = item.get("weight")
        level = str(item.get("level", ""))
        label = str(EVIDENCE_LABELS.get(name, name))
        rows.append(
            EvidenceRow(
                field=name,
                label=label,
                level=level,
                weight=float(weight) if isinstance(weight, int | float) else None,
                reason=_reason(name, level, label, left, right),
            )
        )
    rows.sort(key=lambda r: -(r.weight if r.weight is not None else -99))
    return rows


def _row(name: str, left: Customer, right: Customer, *, user: Any) -> FieldRow:
    a, b = _display(left, name), _display(right, name)
    same = bool(a) and a == b
    if name in fields.MASKED:
        # A role that sees personal data masked sees it masked here too (one mask).
        raw_a, raw_b = a, b
        a = fields.shown_value(name, a, user=user)
        b = fields.shown_value(name, b, user=user)
        if name == "phone":
            # The local format ("139 6783 0305") only where the number is shown unmasked.
            a = phone_display(a) if a and a == raw_a else a
            b = phone_display(b) if b and b == raw_b else b
    label = capfirst(str(getattr(Customer._meta.get_field(name), "verbose_name", name)))
    return FieldRow(label=label, left=a, right=b, same=same)


def pair_cards(pairs: list[DuplicatePair], *, user: Any) -> list[PairCard]:
    ids = {pk for p in pairs for pk in (p.customer_a_id, p.customer_b_id)}
    customers = selectors.customers_by_id(ids)
    counts = selectors.link_counts(ids)
    cards = []
    for pair in pairs:
        left, right = customers.get(pair.customer_a_id), customers.get(pair.customer_b_id)
        if left is None or right is None:
            continue
        rows = [_row(name, left, right, user=user) for name in SHOWN]
        cards.append(
            PairCard(
                pair=pair,
                left=left,
                right=right,
                rows=[r for r in rows if r.left not in ("", None) or r.right not in ("", None)],
                counts=counts,
                evidence=evidence_rows(pair.evidence, left, right),
            )
        )
    return cards
