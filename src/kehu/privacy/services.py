"""Personal-data rights: export everything held about a person, erase a person.

The data comes from the registry every app fills (``kehu.core.personal_data``), so an app
added later is exported and erased without a change here. A "person" is a customer record
together with every record merged into it: a merge is how two records of one person
became one, and the merged-away rows still hold that person's data.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from kehu.core import audit
from kehu.core.exports import spreadsheet_safe
from kehu.core.personal_data import scrub_audit, scrub_text, sources
from kehu.customers.models import Customer
from kehu.privacy import rules
from kehu.privacy.models import Erasure

FORMATS = ("json", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PrivacyError(Exception):
    """An export or erasure that cannot be done; the message is meant for the user."""


def person_ids(customer: Customer) -> list[int]:
    """The customer and every record merged into it, directly or through others."""
    ids = [customer.pk]
    frontier = [customer.pk]
    while frontier:
        frontier = list(
            Customer._base_manager.filter(merged_into_id__in=frontier)
            .exclude(pk__in=ids)
            .values_list("pk", flat=True)
        )
        ids.extend(frontier)
    return ids


def _check(allowed_for_role: bool, allowed_here: bool) -> None:
    # 403: the role may never do this; 404: not to this customer (its existence stays hidden).
    if not allowed_for_role:
        raise PermissionDenied
    if not allowed_here:
        raise Http404


def collect(*, customer_ids: Sequence[int]) -> list[dict[str, Any]]:
    """Every registered source's rows about these customers, in registry order."""
    return [
        {"key": s.key, "label": str(s.label), "rows": list(s.rows(list(customer_ids)))}
        for s in sources()
    ]


def export_json(*, customer: Customer, sections: list[dict[str, Any]], by: Any) -> bytes:
    document = {
        "customer_id": customer.pk,
        "exported_at": timezone.now().isoformat(),
        "exported_by": getattr(by, "username", None),
        "sections": {s["key"]: {"label": s["label"], "rows": s["rows"]} for s in sections},
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def _sheet_title(label: str, used: set[str]) -> str:
    # Excel: at most 31 characters, none of []:*?/\ , unique in the workbook.
    title = "".join(c for c in label if c not in "[]:*?/\\")[:28] or "sheet"
    candidate, n = title, 2
    while candidate.lower() in used:
        candidate, n = f"{title[:26]} {n}", n + 1
    used.add(candidate.lower())
    return candidate


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    # The value report's formula-injection escape: text is shown, never evaluated.
    return spreadsheet_safe(value)


def export_xlsx(*, customer: Customer, sections: list[dict[str, Any]], by: Any) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    used: set[str] = set()
    for section in sections:
        sheet = workbook.create_sheet(_sheet_title(section["label"], used))
        headers: list[str] = []
        for row in section["rows"]:
            headers.extend(k for k in row if k not in headers)
        sheet.append(headers or [_("No records.")])
        for row in section["rows"]:
            sheet.append([_xlsx_value(row.get(h)) for h in headers])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def personal_data_export(*, customer: Customer, by: Any, fmt: str) -> tuple[bytes, str, str]:
    """The file (content, content type, file name) of everything held about ``customer``'s
    person, for ``by``; the export itself is audited."""
    _check(rules.may_export(by), rules.may_export(by, customer))
    if fmt not in FORMATS:
        raise PrivacyError(_("Unknown format %(format)s: use json or xlsx.") % {"format": fmt})
    sections = collect(customer_ids=person_ids(customer))
    builder = export_json if fmt == "json" else export_xlsx
    content = builder(customer=customer, sections=sections, by=by)
    audit.record(
        action="export",
        model="customers.customer",
        object_id=customer.pk,
        customer_id=customer.pk,
        changes={"format": fmt, "sections": len(sections)},
        summary="personal data export",
        user=by,
    )
    stamp = dt.date.today().isoformat()
    content_type = "application/json" if fmt == "json" else XLSX_TYPE
    return content, content_type, f"kehu-personal-data-{customer.pk}-{stamp}.{fmt}"


def is_erased(customer: Customer) -> bool:
    return Erasure.objects.filter(customer_id=customer.pk).exists()


@transaction.atomic
def customer_erase(*, customer: Customer, by: Any, reason: str) -> Erasure:
    """Anonymise ``customer`` and every record merged into it, irreversibly: personal
    fields blanked by each registered source, orders and statistics kept, the audit trail's
    values of the erased fields scrubbed. One audit event records who, when and why."""
    _check(rules.may_erase(by), rules.may_erase(by, customer))
    reason = (reason or "").strip()
    if not reason:
        raise PrivacyError(_("Give the reason or the ticket of the request."))
    customer = Customer._base_manager.select_for_update().get(pk=customer.pk)
    if customer.merged_into_id:
        raise PrivacyError(
            _("This record was merged into customer #%(id)s: erase that one.")
            % {"id": customer.merged_into_id}
        )
    if is_erased(customer):
        raise PrivacyError(_("This customer has been erased already."))
    ids = person_ids(customer)
    list(Customer._base_manager.select_for_update().filter(pk__in=ids).values_list("pk"))
    identifiers: set[str] = set()
    for source in sources():
        if source.identifiers is not None:
            identifiers.update(source.identifiers(ids))
    _user, channel = audit.current_actor()
    counts: dict[str, int] = {}
    with audit.acting_as(by, channel):
        for source in sources():
            if source.erase is not None:
                counts[source.key] = source.erase(customer_ids=ids, identifiers=identifiers, by=by)
        counts["core.audit"] = scrub_audit(customer_ids=ids, identifiers=identifiers)
        # The reason is typed by hand: it must not carry what it erased.
        reason = scrub_text(reason, identifiers)[:300]
        erasure = Erasure.objects.create(
            customer_id=customer.pk,
            merged_ids=ids[1:],
            erased_by=by if getattr(by, "pk", None) else None,
            reason=reason,
            counts=counts,
        )
        audit.record(
            action="erase",
            model="customers.customer",
            object_id=customer.pk,
            customer_id=customer.pk,
            changes={"reason": reason, "erasure_id": erasure.pk, "merged_ids": ids[1:]},
            summary="personal data erased",
            user=by,
        )
    return erasure
