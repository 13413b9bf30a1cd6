"""Portal access in a personal-data export and erasure (registered in apps.py): the contact's
e-mail and name are personal data; erasing the customer revokes their portal access for
good (the sign-in user is deactivated, its links deleted)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from kehu.core.personal_data import ERASED, SUMMARY, Source, model_rows, register
from kehu.portal.models import PortalAccess, PortalToken


def _rows(customer_ids: Sequence[int]) -> list[dict[str, Any]]:
    return model_rows(PortalAccess.objects.filter(customer_id__in=customer_ids))


def _identifiers(customer_ids: Sequence[int]) -> Iterable[str]:
    for email, name in PortalAccess.objects.filter(customer_id__in=customer_ids).values_list(
        "email", "name"
    ):
        yield email
        if name:
            yield name


def _erase(*, customer_ids: Sequence[int], identifiers: Any, by: Any) -> int:
    accesses = list(PortalAccess.objects.filter(customer_id__in=customer_ids))
    PortalToken.objects.filter(access__in=accesses).delete()
    users = get_user_model()
    for access in accesses:
        # The e-mail is unique: each erased access keeps a distinct placeholder.
        access.email = f"erased-{access.pk}@invalid"
        access.name = ERASED if access.name else ""
        access.is_active = False
        access.save()
        users.objects.filter(pk=access.user_id).update(
            is_active=False, email="", first_name="", last_name="",
            username=f"portal-erased-{access.pk}",
        )  # fmt: skip
    return len(accesses)


def register_sources() -> None:
    register(
        Source(
            key="portal.access",
            label=_("Customer portal access"),
            rows=_rows,
            erase=_erase,
            identifiers=_identifiers,
            audit_fields={"portal.portalaccess": {"email", "name", SUMMARY}},
        )
    )
