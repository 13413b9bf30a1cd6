"""Writers for everything hung off customers: relations, orders with lines, invoices,
payments and interactions.

These files are orders of magnitude smaller than customer lists, so rows are saved with the
ORM one by one inside the batch transaction: the audit signals then record every created
and changed record with its before/after, exactly as a form would. Look-ups (customers,
existing records, products) are still one query per batch.

Natural keys (what makes a re-import change nothing):
- relations: (from customer, to customer, kind) — unique in the data model;
- orders: the order number; the lines are compared as a whole and replaced when different;
- invoices: the invoice number;
- payments: the external id, else (invoice, date, amount) — two payments of the same amount
  on the same day to one invoice therefore need external ids;
- interactions: the external id, else (customer, time, subject).
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from kehu.core import permissions
from kehu.core.validators import clean_email, clean_phone
from kehu.customers.models import Customer, Interaction, Relation
from kehu.imports.bulk import Outcome
from kehu.imports.rows import Context
from kehu.sales.models import Campaign, Invoice, Order, OrderLine, Payment, Product
from kehu.sales.services import line_cost, payment_upsert

ZERO = Decimal("0")


# What a row is told about a record it may not use. The words are the same whether the
# record is missing or hidden from the importer: an import must not become a way to learn
# that a customer you cannot see holds a phone, or that an order number is someone's.
def NO_CUSTOMER() -> str:  # noqa: N802 — a message, read like a constant
    return _("No customer you can see has this external id, phone or e-mail.")


def NO_INVOICE() -> str:  # noqa: N802
    return _("No invoice you can see has this number.")


def TAKEN_NUMBER() -> str:  # noqa: N802
    return _("This number is already in use; choose another.")


def TAKEN_ID() -> str:  # noqa: N802
    return _("This external id is already in use; choose another.")


def MIXED_LINES() -> str:  # noqa: N802
    return _("Every line of an order with products needs a product.")


class CustomerRefs:
    """Turns what a row calls a customer (external id, phone or e-mail) into an id, or the
    reason it can't: unknown, ambiguous, archived, or not visible to the importing user."""

    def __init__(self, user: Any):
        self.visibility = permissions.visibility_filter(user)

    def resolve(self, refs: Iterable[str]) -> dict[str, int | str]:
        refs = {r for r in refs if r}
        phones, emails = {}, {}
        for ref in refs:
            try:
                if phone := clean_phone(ref):
                    phones[ref] = phone
            except ValidationError:
                pass
            if "@" in ref:
                with contextlib.suppress(ValidationError):
                    emails[ref] = clean_email(ref)
        rows = (
            list(
                Customer.objects.filter(
                    Q(external_id__in=refs)
                    | Q(phone__in=set(phones.values()))
                    | Q(email__in=set(emails.values())),
                    merged_into__isnull=True,
                ).values("id", "external_id", "phone", "email", "is_archived")
            )
            if refs
            else []
        )
        by: dict[str, list[Any]] = defaultdict(list)
        for row in rows:
            for prefix, value in (
                ("x", row["external_id"]),
                ("t", row["phone"]),
                ("e", row["email"]),
            ):
                if value:
                    by[f"{prefix}:{value}"].append(row)
        visible = self._visible([r["id"] for r in rows])
        result: dict[str, int | str] = {}
        for ref in refs:
            # Only customers the importer can see count, for the answer and for ambiguity.
            candidates = [
                row
                for row in (
                    by.get("x:" + ref)
                    or by.get("t:" + phones.get(ref, ""))
                    or by.get("e:" + emails.get(ref, ""))
                    or []
                )
                if row["id"] in visible
            ]
            if not candidates:
                result[ref] = NO_CUSTOMER()
            elif len(candidates) > 1:
                result[ref] = _("%(n)d customers match; use the external id.") % {
                    "n": len(candidates)
                }
            elif candidates[0]["is_archived"]:
                result[ref] = _("This customer is archived.")
            else:
                result[ref] = candidates[0]["id"]
        return result

    def visible_ids(self, ids: Iterable[int]) -> set[int]:
        return self._visible(list(ids))

    def _visible(self, ids: list[int]) -> set[int]:
        if self.visibility is None or not ids:
            return set()
        if not self.visibility:
            return set(ids)
        return set(
            Customer.objects.filter(self.visibility, pk__in=ids).values_list("pk", flat=True)
        )


def _apply(obj, values: dict[str, Any]) -> bool:
    """Set the values that differ; True when anything changed."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


class _Writer:
    def __init__(self, *, ctx: Context, job_id: int | None):
        self.ctx = ctx
        self.job_id = job_id
        self.refs = CustomerRefs(ctx.user)

    def remember(self, row_number: int, data: dict[str, Any]) -> None:
        """Nothing to rebuild on resume: these kinds are matched against the database."""

    def _customers(self, batch, *names: str) -> dict[str, int | str]:
        return self.refs.resolve(d[n] for _r, d in batch for n in names)


class RelationWriter(_Writer):
    def write(self, batch: list[tuple[int, dict[str, Any]]]) -> Outcome:
        out = Outcome()
        ids = self._customers(batch, "from_customer", "to_customer")
        for index, (_row, d) in enumerate(batch):
            a, b = ids[d["from_customer"]], ids[d["to_customer"]]
            problems = [
                (n, v) for n, v in (("from_customer", a), ("to_customer", b)) if isinstance(v, str)
            ]
            if not problems and a == b:
                problems = [("to_customer", _("A customer can't be related to itself."))]
            if problems or isinstance(a, str) or isinstance(b, str):
                out.failures.append((index, problems))
                continue
            values = {"role": d["role"], "since": d["since"], "note": d["note"]}
            relation = Relation.objects.filter(
                from_customer_id=a, to_customer_id=b, kind=d["kind"]
            ).first()
            if relation is None:
                Relation.objects.create(
                    from_customer_id=a, to_customer_id=b, kind=d["kind"], **values
                )
                out.created += 1
            elif _apply(relation, {k: v for k, v in values.items() if v not in ("", None)}):
                relation.save()
                out.updated += 1
            else:
                out.unchanged += 1
        return out


class OrderWriter(_Writer):
    """``data`` is {"order": first line's cleaned values, "lines": [cleaned lines]}."""

    def write(self, batch: list[tuple[int, dict[str, Any]]]) -> Outcome:
        out = Outcome()
        customers = self.refs.resolve(d["order"]["customer"] for _r, d in batch)
        numbers = [d["order"]["order_number"] for _r, d in batch]
        existing = {
            o.number: o
            for o in Order.objects.filter(number__in=numbers).prefetch_related("lines__product")
        }
        visible = self.refs.visible_ids(o.customer_id for o in existing.values())
        products = self._products(batch)
        codes = {d["order"]["campaign"] for _r, d in batch if d["order"]["campaign"]}
        campaigns = dict(Campaign.objects.filter(code__in=codes).values_list("code", "id"))
        for index, (_row, d) in enumerate(batch):
            head = d["order"]
            customer = customers[head["customer"]]
            if isinstance(customer, str):
                out.failures.append((index, [("customer", customer)]))
                continue
            current = existing.get(head["order_number"])
            if current is not None and current.customer_id not in visible:
                out.failures.append((index, [("order_number", TAKEN_NUMBER())]))
                continue
            if head["campaign"] and head["campaign"] not in campaigns:
                out.failures.append((index, [("campaign", _("No campaign with this code."))]))
                continue
            lines = [self._line(line, products) for line in d["lines"] if line["product"]]
            if lines and len(lines) != len(d["lines"]):
                # A row without a product would add nothing to an order priced by its lines.
                out.failures.append((index, [("product", MIXED_LINES())]))
                continue
            # The order's totals are its lines' sums (each line checked against quantity ×
            # unit price when it was cleaned); an order without product lines is the sum
            # of its rows' amounts.
            if lines:
                amount = sum((x["amount"] for x in lines), ZERO)
                cost = sum((x["cost"] for x in lines), ZERO)
            else:
                amount = sum((x["amount"] or ZERO for x in d["lines"]), ZERO)
                cost = sum((x["cost"] or ZERO for x in d["lines"]), ZERO)
            rep = head["sales_rep"]
            values = {
                "customer_id": customer,
                "ordered_on": head["date"],
                "channel": head["channel"],
                "status": head["status"],
                "campaign_id": campaigns.get(head["campaign"]),
                "amount": amount,
                "cost": cost,
                # A new order without a rep column is the importer's, as in order_create; a
                # blank cell never takes the rep off a stored order.
                "sales_rep_id": rep.pk
                if rep
                else (current.sales_rep_id if current is not None else self.ctx.user.pk),
            }
            if current is None:
                order = Order.objects.create(number=head["order_number"], **values)
                self._save_lines(order, lines)
                out.created += 1
                continue
            same_lines = _line_keys(lines) == _line_keys(
                [
                    {
                        "product_id": x.product_id,
                        "quantity": x.quantity,
                        "unit_price": x.unit_price,
                        "amount": x.amount,
                        "cost": x.cost,
                    }
                    for x in current.lines.all()
                ]
            )
            changed = _apply(current, values)
            if changed:
                current.save()
            if not same_lines:
                for old in current.lines.all():
                    old.delete()
                self._save_lines(current, lines)
            if changed or not same_lines:
                out.updated += 1
            else:
                out.unchanged += 1
        return out

    def _products(self, batch) -> dict[str, Product]:
        """Products by SKU; SKUs Kehu doesn't know yet are created from the row (name and
        price), so an order history can be imported before the catalogue is complete."""
        wanted: dict[str, dict[str, Any]] = {}
        for _r, d in batch:
            for line in d["lines"]:
                if line["product"]:
                    wanted.setdefault(line["product"], line)
        products = {p.sku: p for p in Product.objects.filter(sku__in=wanted)}
        for sku, line in wanted.items():
            if sku not in products:
                products[sku] = Product.objects.create(
                    sku=sku,
                    name=line["product_name"] or sku,
                    price=max(line["unit_price"] or ZERO, ZERO),
                )
        return products

    @staticmethod
    def _line(line: dict[str, Any], products: dict[str, Product]) -> dict[str, Any]:
        product = products[line["product"]]
        cost = line["cost"]
        if cost is None:
            cost = line_cost(line["quantity"], product)
        return {
            "product_id": product.pk,
            "quantity": line["quantity"],
            "unit_price": line["unit_price"],
            "amount": line["amount"],
            "cost": cost,
        }

    @staticmethod
    def _save_lines(order: Order, lines: list[dict[str, Any]]) -> None:
        for line in lines:
            OrderLine.objects.create(order=order, **line)


def _line_keys(lines: list[dict[str, Any]]) -> list[tuple]:
    return sorted(
        (
            x["product_id"],
            Decimal(x["quantity"]).normalize(),
            Decimal(x["unit_price"]),
            Decimal(x["amount"]),
            Decimal(x["cost"]),
        )
        for x in lines
    )


class InvoiceWriter(_Writer):
    def write(self, batch: list[tuple[int, dict[str, Any]]]) -> Outcome:
        out = Outcome()
        customers = self._customers(batch, "customer")
        existing = {
            i.number: i
            for i in Invoice.objects.filter(number__in=[d["invoice_number"] for _r, d in batch])
        }
        visible = self.refs.visible_ids(i.customer_id for i in existing.values())
        orders = {
            number: (pk, customer_id)
            for number, pk, customer_id in Order.objects.filter(
                number__in=[d["order_number"] for _r, d in batch if d["order_number"]]
            ).values_list("number", "id", "customer_id")
        }
        for index, (_row, d) in enumerate(batch):
            customer = customers[d["customer"]]
            current = existing.get(d["invoice_number"])
            problem = None
            if isinstance(customer, str):
                problem = ("customer", customer)
            elif current is not None and current.customer_id not in visible:
                problem = ("invoice_number", TAKEN_NUMBER())
            elif d["order_number"] and orders.get(d["order_number"], (0, 0))[1] != customer:
                # Only the invoice's own customer's orders; the same words when the number
                # is unknown or another customer's.
                problem = ("order_number", _("This customer has no order with this number."))
            if problem:
                out.failures.append((index, [problem]))
                continue
            values = {
                "customer_id": customer,
                "order_id": orders[d["order_number"]][0] if d["order_number"] else None,
                "issued_on": d["issued_on"],
                "due_on": d["due_on"],
                "amount": d["amount"],
                "written_off": d["written_off"],
            }
            if current is None:
                Invoice.objects.create(number=d["invoice_number"], **values)
                out.created += 1
            elif _apply(current, values):
                current.save()
                out.updated += 1
            else:
                out.unchanged += 1
        return out


class PaymentWriter(_Writer):
    """Payments against invoices, each through ``kehu.sales.services.payment_upsert``: the
    invoice is locked and settled by the same rule as a payment recorded in the web or the
    API, and a payment the rule refuses (over-payment, archived customer) fails its row."""

    def write(self, batch: list[tuple[int, dict[str, Any]]]) -> Outcome:
        out = Outcome()
        invoices = {
            i.number: i
            for i in Invoice.objects.filter(number__in=[d["invoice_number"] for _r, d in batch])
        }
        visible = self.refs.visible_ids(i.customer_id for i in invoices.values())
        by_ext = {
            p.external_id: p
            for p in Payment.objects.filter(
                external_id__in=[d["external_id"] for _r, d in batch if d["external_id"]]
            )
        }
        for index, (_row, d) in enumerate(batch):
            invoice = invoices.get(d["invoice_number"])
            if invoice is None or invoice.customer_id not in visible:
                # The same words whether the invoice is missing or hidden from the importer.
                out.failures.append((index, [("invoice_number", NO_INVOICE())]))
                continue
            current = (
                by_ext.get(d["external_id"])
                if d["external_id"]
                else (
                    Payment.objects.filter(
                        invoice=invoice, paid_on=d["date"], amount=d["amount"]
                    ).first()
                )
            )
            if current is not None and current.customer_id not in self.refs.visible_ids(
                [current.customer_id]
            ):
                out.failures.append((index, [("external_id", TAKEN_ID())]))
                continue
            try:
                result = payment_upsert(
                    invoice=invoice,
                    by=self.ctx.user,
                    amount=d["amount"],
                    paid_on=d["date"],
                    method=d["method"],
                    external_id=d["external_id"],
                    current=current,
                )
            except ValidationError as exc:
                out.failures.append((index, _problems(exc, {"invoice": "invoice_number"})))
                continue
            if result == "created":
                out.created += 1
            elif result == "updated":
                out.updated += 1
            else:
                out.unchanged += 1
        return out


def _problems(exc: ValidationError, rename: dict[str, str]) -> list[tuple[str, str]]:
    """A service's ValidationError as the import's [(field, reason)]."""
    if hasattr(exc, "error_dict"):
        return [
            (rename.get(name, name), "; ".join(ValidationError(errors).messages))
            for name, errors in exc.error_dict.items()
        ]
    return [("", "; ".join(exc.messages))]


class InteractionWriter(_Writer):
    def write(self, batch: list[tuple[int, dict[str, Any]]]) -> Outcome:
        out = Outcome()
        customers = self._customers(batch, "customer")
        by_ext = {
            i.external_id: i
            for i in Interaction.objects.filter(
                external_id__in=[d["external_id"] for _r, d in batch if d["external_id"]]
            )
        }
        for index, (_row, d) in enumerate(batch):
            customer = customers[d["customer"]]
            if isinstance(customer, str):
                out.failures.append((index, [("customer", customer)]))
                continue
            user = d["user"] or self.ctx.user
            values = {
                "customer_id": customer,
                "occurred_at": d["occurred_at"],
                "channel": d["channel"],
                "subject": d["subject"],
                "notes": d["notes"],
                "direction": d["direction"],
                "department": d["department"],
                "outcome": d["outcome"],
                "duration_minutes": d["duration_minutes"],
                "user_id": user.pk,
            }
            current = (
                by_ext.get(d["external_id"])
                if d["external_id"]
                else (
                    Interaction.objects.filter(
                        customer_id=customer, occurred_at=d["occurred_at"], subject=d["subject"]
                    ).first()
                )
            )
            if current is not None and current.customer_id != customer:
                out.failures.append((index, [("external_id", TAKEN_ID())]))
            elif current is None:
                Interaction.objects.create(external_id=d["external_id"], **values)
                out.created += 1
            elif _apply(
                current, {k: v for k, v in values.items() if v not in ("", None) and k != "user_id"}
            ):
                current.save()
                out.updated += 1
            else:
                out.unchanged += 1
        return out


WRITERS = {
    "relations": RelationWriter,
    "orders": OrderWriter,
    "invoices": InvoiceWriter,
    "payments": PaymentWriter,
    "interactions": InteractionWriter,
}
