"""What the review queue shows for a pair: both records field by field, how much hangs off
each, and the matcher's evidence in words. Three queries for a page of pairs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

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


def evidence_rows(evidence: dict[str, Any]) -> list[EvidenceRow]:
    """The stored evidence (``{"fields": [{"field", "level", "weight"}, …]}``) in words."""
    rows = []
    for item in evidence.get("fields", []) if isinstance(evidence, dict) else []:
        name = str(item.get("field", ""))
        weight = item.get("weight")
        rows.append(
            EvidenceRow(
                field=name,
                label=str(EVIDENCE_LABELS.get(name, name)),
                level=str(item.get("level", "")),
                weight=float(weight) if isinstance(weight, int | float) else None,
            )
        )
    rows.sort(key=lambda r: -(r.weight if r.weight is not None else -99))
    return rows


def _row(name: str, left: Customer, right: Customer, *, user: Any) -> FieldRow:
    a, b = _display(left, name), _display(right, name)
    same = bool(a) and a == b
    if name in fields.MASKED:
        # A role that sees personal data masked sees it masked here too (one mask).
        a = fields.shown_value(name, a, user=user)
        b = fields.shown_value(name, b, user=user)
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
                evidence=evidence_rows(pair.evidence),
            )
        )
    return cards
