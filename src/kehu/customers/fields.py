"""The customer's fields, once: what each is called, how its value is checked, how a masked
role sees it, and who reads or writes it. The entry form, the API (input, output and the
``customer_update`` allow-list), the merge and the search ask this registry instead of keeping
their own lists; a new column on Customer must be classified here (a test checks that every
model field is).

A field's flags:
- ``editable``: people may change it (form or API) through ``customer_update``; derived and
  bookkeeping columns, and the owner (``customer_reassign``), are not;
- ``on_form``: the entry form shows it as a plain model field;
- ``mask``: personal data, shown masked (``kehu.core.masking``) to roles without
  ``see_personal_data``;
- ``search``: ``"name"`` feeds the name keys anyone may search, ``"personal"`` the phone and
  e-mail keys only roles with ``search_personal_data`` may search;
- ``importable``: a column the importer maps;
- ``matched``: compared by the duplicate matcher (and the warning while a record is typed);
- ``mergeable``: a merge copies it from the removed record into the kept one's gaps (or
  keeps the differing value); identity, bookkeeping and derived values are never copied;
- ``exported``: part of the customer as the API and exports write it out;
- ``visible_to``: an action the reader needs to see the value at all (cost figures).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from kehu.core import validators
from kehu.core.masking import Mask, mask_value
from kehu.core.permissions import Action, can
from kehu.customers import divisions
from kehu.customers.models import ContactPoint, Customer


@dataclass(frozen=True)
class CustomerField:
    name: str
    editable: bool = False
    on_form: bool = False
    mask: Mask | None = None
    search: Literal["name", "personal", None] = None
    importable: bool = False
    matched: bool = False
    mergeable: bool = True
    exported: bool = True
    visible_to: Action | None = None
    cleaner: Callable[[Any], Any] | None = None

    @property
    def model_field(self) -> models.Field:
        return Customer._meta.get_field(self.name)  # type: ignore[return-value]

    @property
    def attname(self) -> str:
        return getattr(self.model_field, "attname", self.name)

    @property
    def label(self) -> Any:
        """The translatable label, the model's verbose name."""
        return self.model_field.verbose_name

    @property
    def personal(self) -> bool:
        return self.mask is not None

    def clean(self, value: Any) -> Any:
        """The shared validator of the field (the same for form, API and import)."""
        if self.cleaner is not None:
            return self.cleaner(value)
        if self.model_field.choices:
            return validators.clean_choice(value, self.model_field.choices)
        if isinstance(self.model_field, models.CharField | models.TextField):
            return (value or "").strip()
        return value


def _external_id(value: Any) -> str | None:
    # Unique but optional: blank must be NULL or two blank ids would collide.
    return (value or "").strip() or None


def _aliases(value: Any) -> list[str]:
    return [a.strip() for a in value or [] if a.strip()]


F = CustomerField
# Derived values (grade … completeness) are not merged: the analytics run recomputes them,
# and a stale copy would be worse than none.

REGISTRY: tuple[CustomerField, ...] = (
    F("kind", matched=True, editable=True, on_form=True, importable=True),
    F("name", matched=True, editable=True, on_form=True, search="name", importable=True),
    F("name_en", matched=True, editable=True, on_form=True, search="name", importable=True),
    F("aliases", editable=True, search="name", cleaner=_aliases),
    F("external_id", editable=True, importable=True, mergeable=False, cleaner=_external_id),
    F(
        "phone",
        matched=True,
        editable=True,
        on_form=True,
        mask=Mask.PHONE,
        search="personal",
        importable=True,
        cleaner=validators.clean_phone,
    ),
    F(
        "email",
        matched=True,
        editable=True,
        on_form=True,
        mask=Mask.EMAIL,
        search="personal",
        importable=True,
        cleaner=validators.clean_email,
    ),
    F("province", matched=True, editable=True, on_form=True, importable=True),
    F("city", matched=True, editable=True, on_form=True, importable=True),
    F("district", matched=True, editable=True, on_form=True, importable=True),
    # Chosen with the picker (the form's own fields) or sent by the API; names follow it.
    F("division_code", editable=True, cleaner=divisions.clean_code),
    F("address", matched=True, editable=True, on_form=True, mask=Mask.WHOLE, importable=True),
    F("postcode", matched=True, editable=True, on_form=True, importable=True),
    F("trade_area", editable=True, on_form=True),
    F("distance_km", exported=False),
    F(
        "birthday",
        matched=True,
        editable=True,
        on_form=True,
        mask=Mask.DATE,
        importable=True,
        cleaner=validators.clean_birthday,
    ),
    F("gender", editable=True, on_form=True, importable=True),
    F("age_band", editable=True, on_form=True),
    F("income_band", editable=True, on_form=True),
    F("household_size", editable=True, on_form=True),
    F("id_number", matched=True, editable=True, on_form=True, mask=Mask.WHOLE, importable=True),
    F("industry", editable=True, on_form=True, importable=True),
    F("employees", editable=True, on_form=True),
    F("tags", editable=True, importable=True),
    F("source", editable=True, on_form=True, importable=True),
    F(
        "acquired_on",
        editable=True,
        on_form=True,
        importable=True,
        cleaner=validators.clean_business_date,
    ),
    # Changed by reassignment (customer_reassign), which keeps the ownership history.
    F("owner", importable=True),
    F("team"),
    F("region", exported=False),
    F("partner", editable=True, on_form=True),
    F("shared_with", exported=False, mergeable=False),
    F("attributes", exported=False),
    F("notes", editable=True, on_form=True, importable=True),
    F("grade", mergeable=False),
    F("tier", mergeable=False),
    F("lifecycle_status", mergeable=False),
    F("loyalty_stage", mergeable=False),
    F("churn_type", mergeable=False),
    F("is_core", mergeable=False),
    F("profit", visible_to=Action.SEE_COST, mergeable=False),
    F("clv", visible_to=Action.SEE_COST, mergeable=False),
    F("p_alive", exported=False, mergeable=False),
    F("churn_probability", mergeable=False),
    F("churn_band", mergeable=False),
    F("value_at_risk", visible_to=Action.SEE_COST, mergeable=False),
    F("scored_at", exported=False, mergeable=False),
    F("completeness", mergeable=False),
    F("is_qualified", exported=False, mergeable=False),
    F("is_archived", mergeable=False),
    F("archived_at", mergeable=False, exported=False),
    F("merged_into", mergeable=False, exported=False),
    F("created_by", mergeable=False, exported=False),
    # Optimistic concurrency (kehu.customers.concurrency): raised by every write.
    F("version", mergeable=False, exported=False),
    F("id", mergeable=False),
    F("created_at", mergeable=False),
    F("updated_at", mergeable=False),
)
BY_NAME: dict[str, CustomerField] = {f.name: f for f in REGISTRY}


def field(name: str) -> CustomerField:
    return BY_NAME[name]


def names(**flags: Any) -> tuple[str, ...]:
    """Field names whose flags all equal ``flags``, in registry order:
    ``names(on_form=True)``, ``names(search="personal")``."""
    return tuple(f.name for f in REGISTRY if all(getattr(f, k) == v for k, v in flags.items()))


FORM_FIELDS = names(on_form=True)
EDITABLE = names(editable=True)
# What ``customer_update`` accepts: editable columns by name and, for foreign keys, attname
# (tags, a many-to-many, have their own argument).
UPDATABLE = frozenset(
    name
    for n in EDITABLE
    if not field(n).model_field.many_to_many
    for name in (n, field(n).attname)
)
MASKED = {f.name: f.mask for f in REGISTRY if f.mask is not None}
# Merge works on column attnames (``merged_into_id``).
NOT_MERGED = frozenset(f.attname for f in REGISTRY if not f.mergeable)
IMPORTABLE = names(importable=True)
MATCHED = names(matched=True)


def check_updatable(keys: Iterable[str]) -> None:
    """Refuse a field ``customer_update`` may not write (HackSoft's ``fields=`` allow-list)."""
    refused = sorted(set(keys) - UPDATABLE)
    if refused:
        raise ValueError(
            f"customer_update cannot change {', '.join(refused)} "
            "(owner and team: customer_reassign; the rest is derived or bookkeeping)"
        )


def shown_value(name: str, value: Any, *, user: Any) -> Any:
    """``value`` of field ``name`` as ``user`` may see it: masked personal data, None for a
    figure their role may not see. Pages, API and exports all call this."""
    spec = BY_NAME[name]
    if spec.visible_to is not None and not can(user, spec.visible_to):
        return None
    if spec.mask is not None and not can(user, Action.SEE_PERSONAL_DATA):
        return mask_value(spec.mask, value)
    return value


PLACE_NAMES = ("province", "city", "district")


def resolve_place(values: dict[str, Any], *, changed: Iterable[str]) -> dict[str, Any]:
    """The place fields after a change of ``changed`` (create: every field given): a
    division code sets the three names; names typed without a code (an address abroad, an
    older client) are kept as typed, and the code becomes the most precise level they name
    in the division list ('' for a place abroad), so code and names never disagree."""
    changed = set(changed)
    code = values.get("division_code") or ""
    if "division_code" in changed and code:
        return {"division_code": code, **divisions.names(code)}
    if changed & set(PLACE_NAMES) or "division_code" in changed:
        names = {n: values.get(n) or "" for n in PLACE_NAMES}
        return {"division_code": divisions.find(**names), **names}
    return {}


# --- further contact points (ContactPoint rows: phones, e-mails, WeChat IDs) ----------------

# A WeChat ID: 6–20 characters, a letter first, then letters, digits, "_" or "-" (WeChat's
# own rule); a phone number used as the ID is accepted too.
WECHAT_ID = re.compile(r"^(?:[A-Za-z][A-Za-z0-9_-]{5,19}|\+?[0-9]{6,15})$")
CONTACT_MASKS: dict[str, Mask] = {
    ContactPoint.Kind.PHONE: Mask.PHONE,
    ContactPoint.Kind.FAX: Mask.PHONE,
    ContactPoint.Kind.EMAIL: Mask.EMAIL,
}


def clean_contact_value(kind: str, value: Any) -> str:
    """One further contact's value, checked by its kind (form and API alike)."""
    value = str(value or "").strip()
    if kind in (ContactPoint.Kind.PHONE, ContactPoint.Kind.FAX):
        return validators.clean_phone(value)
    if kind == ContactPoint.Kind.EMAIL:
        return validators.clean_email(value)
    if kind == ContactPoint.Kind.WECHAT and not WECHAT_ID.match(value):
        raise ValidationError(
            _("A WeChat ID has 6–20 letters, digits, _ or -, and starts with a letter."),
            code="wechat",
        )
    return value


def clean_contact_points(points: Iterable[dict[str, Any]]) -> list[dict[str, str]]:
    """The whole set of further contacts (each {kind, value, label}); errors name the row."""
    cleaned, errors = [], []
    for i, point in enumerate(points, start=1):
        try:
            kind = validators.clean_choice(point.get("kind"), ContactPoint.Kind.choices)
            if not kind:
                raise ValidationError(_("Choose what kind of contact this is."), code="kind")
            value = clean_contact_value(kind, point.get("value"))
            if not value:
                raise ValidationError(_("A contact needs a value."), code="required")
        except ValidationError as exc:
            errors.append(
                ValidationError(
                    _("Contact %(row)s: %(error)s"),
                    code="contact",
                    params={"row": i, "error": " ".join(exc.messages)},
                )
            )
            continue
        cleaned.append({"kind": kind, "value": value, "label": (point.get("label") or "").strip()})
    if errors:
        raise ValidationError(errors)
    return cleaned


def shown_contact_point(point: ContactPoint, *, user: Any) -> dict[str, str]:
    """A further contact as ``user`` may see it (masked like the primary phone and e-mail)."""
    value = point.value
    if not can(user, Action.SEE_PERSONAL_DATA):
        value = mask_value(CONTACT_MASKS.get(point.kind, Mask.WHOLE), value)
    return {"kind": point.kind, "value": value, "label": point.label}
