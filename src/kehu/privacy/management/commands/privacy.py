"""``kehu privacy export ID --format json|xlsx --output FILE --user NAME`` and
``kehu privacy erase ID --reason TEXT --user NAME --confirm ID``.

The command acts as a named user, with that user's rights, so the audit trail says who.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from kehu.core.audit import acting_as
from kehu.customers.models import Customer
from kehu.privacy import services


class Command(BaseCommand):
    help = "Export or erase everything Kehu holds about one person (PIPL / GDPR)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="write the person's data to a file")
        export.add_argument("customer_id", type=int)
        export.add_argument("--format", choices=services.FORMATS, default="json")
        export.add_argument("--output", required=True, help="file to write")
        export.add_argument("--user", required=True, help="acting user (an administrator)")
        erase = sub.add_parser("erase", help="anonymise the person, irreversibly")
        erase.add_argument("customer_id", type=int)
        erase.add_argument("--reason", required=True, help="reason or ticket of the request")
        erase.add_argument("--user", required=True, help="acting user (an administrator)")
        erase.add_argument(
            "--confirm", type=int, required=True, help="the customer id again, to confirm"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        user = get_user_model().objects.filter(username=opts["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {opts['user']!r}")
        customer = Customer._base_manager.filter(pk=opts["customer_id"]).first()
        try:
            if customer is None:
                raise Http404
            with acting_as(user, "cli"):
                if opts["action"] == "export":
                    self._export(customer, user, opts)
                else:
                    self._erase(customer, user, opts)
        except PermissionDenied as exc:
            raise CommandError(f"{user.username} may not do this") from exc
        except Http404 as exc:
            raise CommandError(f"no customer #{opts['customer_id']} for {user.username}") from exc
        except services.PrivacyError as exc:
            raise CommandError(str(exc)) from exc

    def _export(self, customer: Customer, user: Any, opts: dict[str, Any]) -> None:
        content, _type, _name = services.personal_data_export(
            customer=customer, by=user, fmt=opts["format"]
        )
        path = Path(opts["output"])
        path.write_bytes(content)
        self.stdout.write(f"exported customer #{customer.pk} ({len(content)} bytes) to {path}")

    def _erase(self, customer: Customer, user: Any, opts: dict[str, Any]) -> None:
        if opts["confirm"] != customer.pk:
            raise CommandError("--confirm must repeat the customer id")
        erasure = services.customer_erase(customer=customer, by=user, reason=opts["reason"])
        total = sum(erasure.counts.values())
        self.stdout.write(
            f"erased customer #{customer.pk} (and {len(erasure.merged_ids)} merged records): "
            f"{total} rows and audit events anonymised"
        )
