"""Request and response shapes of the API (they are also the OpenAPI schema).

Input schemas check types and sizes only; the meaning of a value (is this a phone number,
a date, one of the choices?) is decided by the shared validators in kehu.core.validators,
exactly as for the entry forms and the importer, so the three never disagree. That is why
phones, dates, choices and amounts arrive as strings here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict, field_validator

from kehu.core import validators
from kehu.customers.models import (
    Channel,
    ContactPoint,
    Customer,
    Department,
    Interaction,
    Relation,
)
from kehu.sales.models import Order

# Ids and counts are bounded so that an absurd number is a 422, not an overflow deep in the
# database driver (SQLite raises OverflowError past 2**63).
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
SmallInt = Annotated[int, Field(ge=0, le=2**31 - 1)]
# Amounts: a JSON number or a string such as "1,280.50" or "¥99"; clean_decimal decides.
Amount = Annotated[
    Annotated[str, Field(max_length=40)] | int | float,
    Field(description="A number, or a string like '1,280.50'"),
]
# Money out: a decimal string with two places ("1280.50"), never a binary float.
Money = Annotated[str, Field(description="Amount in CNY, a decimal string with 2 places")]
DateText = Annotated[str, Field(max_length=40, description="YYYY-MM-DD (also 2024/1/31 etc.)")]


def _plausible_datetime(value: dt.datetime) -> dt.datetime:
    # Year 1 or 9999 overflow when converted to UTC for the query: a 422 here, not a 500.
    try:
        return validators.clean_datetime(value)  # type: ignore[return-value]
    except DjangoValidationError as exc:
        raise ValueError(" ".join(exc.messages)) from None


# A date-time in the years 1900-2999; naive values are read in the server's time zone.
DateTime = Annotated[
    dt.datetime,
    AfterValidator(_plausible_datetime),
    Field(description="ISO 8601, years 1900-2999; without an offset: the server's time zone"),
]
ChoiceText = Annotated[str, Field(max_length=40, description="The stored value or its label")]


def _choice(choices: Any) -> Any:
    """A choice field: the schema lists the stored values (from the model's choices) as an
    enum; the server also accepts their labels in either language (clean_choice)."""
    return Field(
        max_length=40,
        description="One of the listed values (their labels are accepted too)",
        json_schema_extra={"enum": [str(value) for value, _label in choices]},
    )


KindChoice = Annotated[str, _choice(Customer.Kind.choices)]
GenderChoice = Annotated[str, _choice(Customer._meta.get_field("gender").choices)]
AgeBandChoice = Annotated[str, _choice(Customer.AgeBand.choices)]
IncomeBandChoice = Annotated[str, _choice(Customer.IncomeBand.choices)]
SourceChoice = Annotated[str, _choice(Customer.Source.choices)]
RelationKindChoice = Annotated[str, _choice(Relation.Kind.choices)]
ChannelChoice = Annotated[str, _choice(Channel.choices)]
DirectionChoice = Annotated[str, _choice(Interaction.Direction.choices)]
DepartmentChoice = Annotated[str, _choice(Department.choices)]
OutcomeChoice = Annotated[str, _choice(Interaction.Outcome.choices)]
OrderStatusChoice = Annotated[str, _choice(Order.Status.choices)]


class NoNulCharacters(Schema):
    """Refuse NUL characters in any text, as Django's form fields do: PostgreSQL cannot store
    them (SQLite can), so without this the same request would pass on one database and fail
    on the other."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(t, str) and "\x00" in t for t in texts):
            raise ValueError("Null characters are not allowed.")
        return value


class Input(NoNulCharacters):
    """Request bodies refuse unknown fields: a misspelt or unsupported field (``owner_id`` on
    PATCH, say) is a 422, not a silent no-op the client believes worked."""

    model_config = ConfigDict(extra="forbid")


def text(max_length: int, description: str = "") -> Any:
    return Field(None, max_length=max_length, description=description or None)


# --- errors -----------------------------------------------------------------------------------


class Error(Schema):
    detail: str


class FieldError(Schema):
    loc: list[str | int]
    msg: str
    type: str | None = None


class ValidationErrorOut(Schema):
    detail: list[FieldError]


class DuplicateCandidateOut(Schema):
    customer_id: int
    name: str
    city: str | None = None
    probability: float
    evidence: Any = None


class DuplicateConflict(Schema):
    """409 on create: the record probably exists already."""

    detail: list[FieldError]
    duplicates: list[DuplicateCandidateOut]


class FieldChangeOut(Schema):
    field: str
    label: str = Field(description="The field's name as the user knows it (translated)")
    then: str = Field(description="Its value in the version your If-Match named")
    now: str = Field(description="Its value now")


class PreconditionFailed(Schema):
    """412 on a write with a stale ``If-Match``: nothing was saved."""

    detail: str
    current_version: int = Field(description="Send this (as the ETag) after reviewing")
    changes: list[FieldChangeOut] = Field(description="What changed since your version")


READ_ERRORS: dict[int, type[Schema]] = {
    400: Error,
    401: Error,
    404: Error,
    422: ValidationErrorOut,
}
WRITE_ERRORS: dict[int, type[Schema]] = {
    400: Error,
    401: Error,
    403: Error,
    404: Error,
    409: Error,
    422: ValidationErrorOut,
}


# --- shared references ------------------------------------------------------------------------


class Ref(Schema):
    id: int
    name: str


class UserRef(Schema):
    id: int
    username: str
    name: str


class Me(Schema):
    id: int
    username: str
    name: str
    role: str | None
    team: Ref | None
    partner: Ref | None
    can_edit: bool
    can_log_interaction: bool
    masked: bool


# --- customers --------------------------------------------------------------------------------

CustomerOrdering = Literal[
    "name", "-name", "created", "-created", "-profit", "-clv", "grade", "id", "-id", "updated",
    "-updated",
]  # fmt: skip


class CustomerQuery(NoNulCharacters):
    q: str = Field(
        "",
        max_length=100,
        description="Quick search: name, pinyin, phone, e-mail (name only for roles that see "
        "personal data masked: a phone or e-mail is a 422)",
    )
    grade: str = Field("", max_length=1)
    tier: str = Field("", max_length=10)
    owner: Id | None = None
    team: Id | None = None
    status: str = Field("", max_length=10, description="Lifecycle status")
    loyalty: str = Field("", max_length=12)
    churn: str = Field("", max_length=10)
    city: str = Field("", max_length=50)
    tag: list[Annotated[str, Field(max_length=60)]] = Field(
        default_factory=list, max_length=10, description="Repeat for customers with all tags"
    )
    core: bool | None = None
    archived: bool = Field(False, description="List archived customers instead")
    updated_since: DateTime | None = None
    ordering: CustomerOrdering = "-id"
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


class ContactPointIn(Input):
    kind: str = Field(
        max_length=40,
        description="phone, email, wechat, fax or other (labels accepted too)",
        json_schema_extra={"enum": [str(v) for v, _label in ContactPoint.Kind.choices]},
    )
    value: str = Field(min_length=1, max_length=200)
    label: str = Field("", max_length=50, description="e.g. office, home")


class ContactPointOut(Schema):
    kind: str
    value: str = Field(description="Masked like the primary phone and e-mail for your role")
    label: str


class CustomerPatch(Input):
    """Fields to change; those left out stay as they are, null empties a field."""

    kind: KindChoice | None = None
    name: str | None = Field(None, min_length=1, max_length=200)
    name_en: str | None = text(200)
    aliases: list[Annotated[str, Field(max_length=200)]] | None = Field(None, max_length=20)
    external_id: str | None = text(100, "Your system's id; unique")
    phone: str | None = text(64, "Any common format; stored as E.164")
    email: str | None = text(254)
    province: str | None = text(50)
    city: str | None = text(50)
    district: str | None = text(50)
    division_code: str | None = text(
        6,
        "National division code (e.g. 440305): sets province, city and district; "
        "empty for a place abroad, typed in province/city/district",
    )
    address: str | None = text(255)
    postcode: str | None = text(12)
    trade_area: str | None = text(100)
    birthday: DateText | None = None
    gender: GenderChoice | None = None
    age_band: AgeBandChoice | None = None
    income_band: IncomeBandChoice | None = None
    household_size: SmallInt | None = None
    id_number: str | None = text(32)
    industry: str | None = text(100)
    employees: SmallInt | None = None
    source: SourceChoice | None = None
    acquired_on: DateText | None = None
    partner_id: Id | None = None
    tags: list[Annotated[str, Field(min_length=1, max_length=60)]] | None = Field(
        None, max_length=50
    )
    notes: str | None = text(10_000)
    contact_points: list[ContactPointIn] | None = Field(
        None, max_length=20, description="Further phones, e-mails, WeChat IDs: replaces the set"
    )


class CustomerIn(CustomerPatch):
    name: str = Field(min_length=1, max_length=200)
    owner_id: Id | None = Field(
        None, description="Defaults to you; another owner needs a manager or administrator"
    )


class CustomerOut(Schema):
    id: int
    kind: str
    name: str
    name_en: str
    aliases: list[str]
    external_id: str | None
    phone: str
    email: str
    province: str
    city: str
    district: str
    division_code: str = Field(description="National division code; empty for a place abroad")
    address: str
    postcode: str
    trade_area: str
    birthday: str | None = Field(description="YYYY-MM-DD, or masked")
    gender: str
    age_band: str
    income_band: str
    household_size: int | None
    id_number: str
    industry: str
    employees: int | None
    source: str
    acquired_on: dt.date | None
    owner: UserRef | None
    team: Ref | None
    partner: Ref | None
    tags: list[str]
    notes: str
    grade: str
    tier: str
    lifecycle_status: str
    loyalty_stage: str
    churn_type: str
    is_core: bool
    contact_points: list[ContactPointOut] = Field(
        description="Further phones, e-mails and WeChat IDs"
    )
    profit: Money | None = Field(description="Hidden (null) from channel partners")
    clv: Money | None = Field(description="Hidden (null) from channel partners")
    churn_probability: float | None = Field(
        description="P(leaving), 0–1 to four places, from the latest churn scoring; "
        "reasons at /customers/{id}/risk"
    )
    churn_band: str = Field(description="low, medium or high; empty until scored")
    value_at_risk: Money | None = Field(
        description="Churn probability × lifetime value; hidden (null) from channel partners"
    )
    completeness: int
    is_archived: bool
    created_at: dt.datetime
    updated_at: dt.datetime
    masked: bool = Field(description="Personal data is masked for your role")
    version: int = Field(
        description="Raised by every change; also the ETag. Send it back in If-Match on PATCH"
    )


class PageQuery(NoNulCharacters):
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


class Page(Schema):
    count: int = Field(description="Matching rows, counted up to a cap")
    count_is_capped: bool
    limit: int
    offset: int
    next_offset: int | None


class CustomerPage(Page):
    items: list[CustomerOut]


# --- relations --------------------------------------------------------------------------------


class RelationIn(Input):
    kind: RelationKindChoice
    other_id: Id
    role: str | None = text(100)
    since: DateText | None = None
    note: str | None = text(255)


class RelationOut(Schema):
    id: int
    kind: str
    label: str = Field(description="The relation read from this customer's side")
    direction: Literal["out", "in"]
    other: Ref
    role: str
    since: dt.date | None
    note: str
    created_at: dt.datetime


# --- interactions -----------------------------------------------------------------------------


class InteractionQuery(NoNulCharacters):
    customer: Id | None = None
    channel: str = Field("", max_length=10)
    department: str = Field("", max_length=10)
    direction: str = Field("", max_length=3)
    outcome: str = Field("", max_length=12)
    user: Id | None = None
    since: DateTime | None = None
    until: DateTime | None = None
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


class InteractionIn(Input):
    channel: ChannelChoice
    direction: DirectionChoice | None = None
    department: DepartmentChoice | None = Field(None, description="Defaults from your role")
    subject: str = Field(min_length=1, max_length=200)
    notes: str | None = text(20_000)
    occurred_at: DateTime | None = Field(None, description="Defaults to now")
    duration_minutes: int | None = Field(None, ge=0, le=24 * 60)
    outcome: OutcomeChoice | None = None


class InteractionOut(Schema):
    id: int
    customer: Ref
    channel: str
    direction: str
    department: str
    subject: str
    notes: str
    user: UserRef | None
    partner: Ref | None
    occurred_at: dt.datetime
    duration_minutes: int | None
    outcome: str
    created_at: dt.datetime


class InteractionPage(Page):
    items: list[InteractionOut]


# --- orders -----------------------------------------------------------------------------------


class OrderLineIn(Input):
    product_id: Id | None = Field(None, description="The product, by id …")
    sku: str | None = Field(None, max_length=50, description="… or by SKU")
    quantity: Amount
    unit_price: Amount | None = Field(None, description="Defaults to the list price")


class OrderIn(Input):
    number: str = Field(min_length=1, max_length=50)
    ordered_on: DateText | None = Field(None, description="Defaults to today")
    channel: ChannelChoice
    status: OrderStatusChoice | None = Field(None, description="Defaults to completed")
    campaign_id: Id | None = None
    lines: list[OrderLineIn] = Field(min_length=1, max_length=500)


class ProductRef(Schema):
    id: int
    sku: str
    name: str


class OrderLineOut(Schema):
    id: int
    product: ProductRef
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    cost: Decimal | None = Field(description="Hidden from channel partners")


class OrderOut(Schema):
    id: int
    customer_id: int
    number: str
    ordered_on: dt.date
    channel: str
    status: str
    campaign: Ref | None
    partner: Ref | None
    sales_rep: UserRef | None
    amount: Decimal
    cost: Decimal | None = Field(description="Hidden from channel partners")
    margin: Decimal | None = Field(description="Hidden from channel partners")
    lines: list[OrderLineOut]
    created_at: dt.datetime


class OrderPage(Page):
    items: list[OrderOut]


# --- invoices and payments --------------------------------------------------------------------


class InvoiceQuery(PageQuery):
    open: bool | None = Field(None, description="true: not yet paid; false: paid")


class PaymentIn(Input):
    amount: Amount
    paid_on: DateText | None = Field(None, description="Defaults to today")
    method: str | None = text(30, "cash, transfer, card, …")
    external_id: str | None = text(100, "Your system's id; unique")


class PaymentOut(Schema):
    id: int
    invoice_id: int
    customer_id: int
    paid_on: dt.date
    amount: Decimal
    method: str
    external_id: str | None
    created_at: dt.datetime


class InvoiceOut(Schema):
    id: int
    customer_id: int
    order_id: int | None
    number: str
    issued_on: dt.date
    due_on: dt.date
    amount: Decimal
    paid_amount: Decimal
    written_off: Decimal
    outstanding: Decimal
    paid_on: dt.date | None
    is_overdue: bool


class InvoiceDetailOut(InvoiceOut):
    payments: list[PaymentOut]


class InvoicePage(Page):
    items: list[InvoiceOut]


class PaymentPage(Page):
    items: list[PaymentOut]


class PaymentResult(Schema):
    payment: PaymentOut
    invoice: InvoiceOut
