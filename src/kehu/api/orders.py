"""Orders with their lines (A5): per customer, one by id, and creating one."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, Status

from kehu.api.common import (
    ApiRequest,
    paginate,
    ref,
    require,
    user_ref,
    visible_customer,
    visible_customer_ids,
)
from kehu.api.errors import Conflict
from kehu.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    OrderIn,
    OrderOut,
    OrderPage,
    PageQuery,
)
from kehu.core import permissions, validators
from kehu.core.permissions import Action
from kehu.customers.models import Channel
from kehu.sales.models import Campaign, Order, OrderLine, Product
from kehu.sales.services import LineSpec, order_create

router = Router(tags=["orders"])

MAX_QUANTITY = Decimal("99999999.99")
MAX_PRICE = Decimal("9999999999.99")


def _with_lines(qs: QuerySet) -> QuerySet:
    lines = OrderLine.objects.select_related("product").order_by("id")
    return qs.select_related("campaign", "partner", "sales_rep").prefetch_related(
        Prefetch("lines", queryset=lines)
    )


def hides_cost(user: Any) -> bool:
    """Cost of goods and margin are the company's own numbers, not the dealer's business."""
    return not permissions.can(user, permissions.Action.SEE_COST)


def order_out(order: Order, *, hide_cost: bool) -> dict[str, Any]:
    return {
        "id": order.pk,
        "customer_id": order.customer_id,
        "number": order.number,
        "ordered_on": order.ordered_on,
        "channel": order.channel,
        "status": order.status,
        "campaign": ref(order.campaign),
        "partner": ref(order.partner),
        "sales_rep": user_ref(order.sales_rep),
        "amount": order.amount,
        "cost": None if hide_cost else order.cost,
        "margin": None if hide_cost else order.margin,
        "lines": [
            {
                "id": line.pk,
                "product": {
                    "id": line.product.pk,
                    "sku": line.product.sku,
                    "name": line.product.name,
                },
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "amount": line.amount,
                "cost": None if hide_cost else line.cost,
            }
            for line in order.lines.all()
        ],
        "created_at": order.created_at,
    }


@router.get("/customers/{customer_id}/orders", response={200: OrderPage, **READ_ERRORS})
def list_orders(request: ApiRequest, customer_id: int, page: Query[PageQuery]) -> dict[str, Any]:
    """The customer's orders with their lines, newest first."""
    customer = visible_customer(request.auth, customer_id)
    qs = _with_lines(Order.objects.filter(customer=customer)).order_by("-ordered_on", "-id")
    hide = hides_cost(request.auth)
    return paginate(
        qs, limit=page.limit, offset=page.offset, render=lambda o: order_out(o, hide_cost=hide)
    )


@router.get("/orders/{order_id}", response={200: OrderOut, **READ_ERRORS})
def get_order(request: ApiRequest, order_id: int) -> dict[str, Any]:
    order = (
        _with_lines(Order.objects.filter(customer__in=visible_customer_ids(request.auth)))
        .filter(pk=order_id)
        .first()
    )
    if order is None:
        raise Http404
    return order_out(order, hide_cost=hides_cost(request.auth))


def _product(line: Any) -> Product:
    if line.product_id is not None:
        product = Product.objects.filter(pk=line.product_id, is_active=True).first()
    elif line.sku:
        product = Product.objects.filter(sku=line.sku.strip(), is_active=True).first()
    else:
        raise ValidationError("Give product_id or sku.", code="required")
    if product is None:
        raise ValidationError("No such active product.", code="product")
    return product


def clean_order(payload: OrderIn) -> dict[str, Any]:
    """Shared validators for dates, choices and amounts; errors name the line they are on
    (``lines.2.quantity``)."""
    errors: dict[str, list[ValidationError]] = {}
    fields: dict[str, Any] = {"number": payload.number.strip()}

    def check(key: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ValidationError as exc:
            errors[key] = exc.error_list
            return None

    fields["ordered_on"] = (
        check("ordered_on", validators.clean_business_date, payload.ordered_on)
        or timezone.localdate()
    )
    fields["channel"] = check("channel", validators.clean_choice, payload.channel, Channel.choices)
    fields["status"] = (
        check("status", validators.clean_choice, payload.status, Order.Status.choices)
        or Order.Status.COMPLETED
    )
    if payload.campaign_id is not None:
        fields["campaign"] = Campaign.objects.filter(pk=payload.campaign_id).first()
        if fields["campaign"] is None:
            errors["campaign_id"] = [ValidationError("No such campaign.", code="campaign")]
    specs: list[LineSpec] = []
    for i, line in enumerate(payload.lines):
        product = check(f"lines.{i}.product_id", _product, line)
        quantity = check(
            f"lines.{i}.quantity",
            validators.clean_decimal,
            line.quantity,
            minimum=Decimal("0.01"),
            maximum=MAX_QUANTITY,
        )
        price = check(
            f"lines.{i}.unit_price",
            validators.clean_decimal,
            line.unit_price,
            minimum=Decimal("0"),
            maximum=MAX_PRICE,
        )
        if quantity is None and f"lines.{i}.quantity" not in errors:
            errors[f"lines.{i}.quantity"] = [ValidationError("A quantity is required.")]
        if product is not None and quantity is not None:
            specs.append(LineSpec(product=product, quantity=quantity, unit_price=price))
    if errors:
        raise ValidationError(errors)
    fields["lines"] = specs
    return fields


@router.post("/customers/{customer_id}/orders", response={201: OrderOut, **WRITE_ERRORS})
def create_order(request: ApiRequest, customer_id: int, payload: OrderIn) -> Status:
    """An order with lines; amounts and costs are computed from quantities, prices (list
    price unless ``unit_price`` is given) and the products' unit costs."""
    user = request.auth
    require(permissions.can(user, Action.CHANGE))
    with transaction.atomic():
        customer = visible_customer(user, customer_id)
        if customer.is_archived:
            raise Conflict("The customer is archived; restore it first.")
        fields = clean_order(payload)
        order = order_create(customer=customer, by=user, **fields)
        order = _with_lines(Order.objects.filter(pk=order.pk)).get()
    return Status(201, order_out(order, hide_cost=hides_cost(user)))
