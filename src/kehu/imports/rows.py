"""Per-kind row validation: raw cells in, cleaned values out, or every problem of the row.

All checks go through the shared validators (kehu.core.validators) so an import accepts
exactly what a form or the API accepts. Choice columns also take the Chinese words people
type in spreadsheets (男/女, 公司, 电话…), whatever the UI language is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from kehu.core import permissions
from kehu.core.models import Role
from kehu.core.validators import (
    EARLIEST_BUSINESS_DATE,
    clean_birthday,
    clean_business_date,
    clean_choice,
    clean_date,
    clean_datetime,
    clean_decimal,
    clean_email,
    clean_no_nul,
    clean_phone,
)
from kehu.customers.models import Channel, Customer, Department, Interaction, Relation
from kehu.development import services_import as lead_import
from kehu.development.models import Answer, Grade, Lead
from kehu.sales.models import Order
from kehu.sales.services import check_line_amount, line_amount

ZERO = Decimal("0")
TAG_SPLIT = re.compile(r"[,，;；、|/]+")

# Spreadsheet words for choices, beyond the stored values and the labels.
EXTRA_CHOICES: dict[str, dict[str, str]] = {
    "gender": {"男": "M", "女": "F", "male": "M", "female": "F", "先生": "M", "女士": "F"},
    "kind": {"个人": "person", "公司": "company", "企业": "company", "单位": "company"},
    "source": {
        "门店": "walk_in",
        "到店": "walk_in",
        "推荐": "referral",
        "转介绍": "referral",
        "网站": "web",
        "官网": "web",
        "电话": "phone",
        "活动": "event",
        "展会": "event",
        "渠道": "partner",
        "经销商": "partner",
        "导入": "import",
        "其他": "other",
    },
    "channel": {
        "门店": "store",
        "电话": "phone",
        "邮件": "email",
        "网站": "web",
        "网上": "web",
        "在线": "chat",
        "微信": "chat",
        "传真": "fax",
        "信件": "mail",
        "渠道": "partner",
        "上门": "field",
        "拜访": "field",
    },
    "direction": {"呼入": "in", "来电": "in", "呼出": "out", "去电": "out"},
    "status": {
        "进行中": "open",
        "完成": "completed",
        "已完成": "completed",
        "取消": "cancelled",
        "已取消": "cancelled",
        "退货": "returned",
    },
    # Leads (issue #14): the sources' other spreadsheet words; their labels (统计资料,
    # 名录, 报刊, 转介绍, 活动, 邮寄, 网页表单, 渠道伙伴) are accepted as labels.
    "lead_source": {
        "统计": "statistics",
        "黄页": "directory",
        "目录": "directory",
        "媒体": "press",
        "报纸": "press",
        "推荐": "referral",
        "介绍": "referral",
        "展会": "event",
        "会议": "event",
        "直邮": "mailing",
        "邮件": "mailing",
        "网站": "web_form",
        "官网": "web_form",
        "表单": "web_form",
        "网页": "web_form",
        "web": "web_form",
        "合作伙伴": "partner",
        "伙伴": "partner",
        "渠道": "partner",
        "经销商": "partner",
    },
    "lead_kind": {"个人": "person", "公司": "company", "企业": "company", "单位": "company"},
    "grade": {"甲": "A", "乙": "B", "丙": "C", "a类": "A", "b类": "B", "c类": "C"},
    "answer": {
        "是": "yes",
        "有": "yes",
        "y": "yes",
        "true": "yes",
        "1": "yes",
        "否": "no",
        "无": "no",
        "没有": "no",
        "n": "no",
        "false": "no",
        "0": "no",
        "不确定": "unknown",
        "不详": "unknown",
        "?": "unknown",
    },
    "relation": {
        "母公司": "parent_of",
        "集团成员": "member_of",
        "联系人": "contact_at",
        "推荐人": "referred_by",
        "介绍人": "referred_by",
        "认识": "knows",
    },
}


class RowInvalid(Exception):
    """Every problem found in one row: [(field, reason), ...]."""

    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__(problems)
        self.problems = problems


def _message(exc: ValidationError) -> str:
    return "; ".join(str(m) for m in exc.messages)


def _choices(choices, extra: dict[str, str]) -> list[tuple[str, str]]:
    """Stored values with their labels in both languages and the extra words."""
    # The lazy label first: an error lists each value once with this label, in the language
    # active when the error is worded.
    choices = list(choices)
    result = list(choices)
    for stored, label in choices:
        for language in ("en", "zh-hans"):
            with override(language):
                result.append((stored, str(label)))
    result.extend((stored, word) for word, stored in extra.items())
    return result


@dataclass
class Context:
    """What a validator needs besides the row: the importing user, resolved usernames."""

    user: Any
    now: dt.datetime = field(default_factory=timezone.now)
    _users: dict[str, Any] = field(default_factory=dict)
    _choice_cache: dict[str, list] = field(default_factory=dict)
    _campaigns: dict[str, int | None] = field(default_factory=dict)

    def campaign_id(self, code: str) -> int | None:
        """The campaign with this code (leads' campaign column), asked once per code."""
        if code not in self._campaigns:
            from kehu.sales.models import Campaign

            self._campaigns[code] = (
                Campaign.objects.filter(code=code).values_list("pk", flat=True).first()
            )
        return self._campaigns[code]

    @property
    def may_assign_others(self) -> bool:
        """Customers' owners and orders' reps other than the importer: the reassign right."""
        return permissions.can(self.user, permissions.Action.REASSIGN)

    @property
    def may_sign_for_others(self) -> bool:
        """An interaction is signed by whoever logs it; only an administrator may import
        other users' history (a migration from another system)."""
        return permissions.role_of(self.user) == Role.ADMIN

    def user_named(self, username: str) -> Any:
        if username not in self._users:
            self._users[username] = (
                get_user_model()
                .objects.filter(username=username, is_active=True)
                .select_related("profile")
                .first()
            )
        return self._users[username]

    def choice_index(self, name: str, allowed: list[tuple[str, str]]) -> dict[str, str]:
        key = "index:" + name
        if key not in self._choice_cache:
            index: dict[str, str] = {}
            for stored, label in allowed:
                index.setdefault(str(stored).lower(), stored)
                index.setdefault(str(label).lower(), stored)
            self._choice_cache[key] = index  # type: ignore[assignment]
        return self._choice_cache[key]  # type: ignore[return-value]

    def choice(self, name: str, choices: Callable[[], Any]) -> list[tuple[str, str]]:
        # ``choices`` is a callable: building a TextChoices' list costs more than the check.
        if name not in self._choice_cache:
            self._choice_cache[name] = _choices(choices(), EXTRA_CHOICES.get(name, {}))
        return self._choice_cache[name]


class Cleaner:
    """Collects problems while cleaning the fields of one row."""

    def __init__(self, raw: dict[str, str], ctx: Context):
        self.raw = raw
        self.ctx = ctx
        self.problems: list[tuple[str, str]] = []
        for name, value in raw.items():
            if "\x00" in value:
                self.run(name, clean_no_nul)

    def get(self, name: str) -> str:
        return self.raw.get(name, "")

    def run(self, name: str, fn: Callable[[str], Any]) -> Any:
        value = self.raw.get(name, "")
        if value == "":
            return None
        try:
            return fn(value)
        except ValidationError as exc:
            self.problems.append((name, _message(exc)))
        except (ValueError, ArithmeticError) as exc:
            self.problems.append((name, str(exc)))
        return None

    def text(self, name: str, max_length: int) -> str:
        value = self.raw.get(name, "")
        if len(value) > max_length:
            self.problems.append(
                (
                    name,
                    _("At most %(n)d characters (this has %(m)d).")
                    % {"n": max_length, "m": len(value)},
                )
            )
        return value

    def require(self, name: str, value: Any) -> None:
        # A value refused already is not also "missing".
        if value in (None, "") and all(n != name for n, _r in self.problems):
            self.problems.append((name, _("This field is required.")))

    def choice(self, name: str, choices: Callable[[], Any], key: str | None = None) -> str:
        value = self.raw.get(name, "")
        if not value:
            return ""
        allowed = self.ctx.choice(key or name, choices)
        # A dict of the accepted spellings answers the common case; misses go through the
        # shared validator, which words the error.
        fast = self.ctx.choice_index(key or name, allowed)
        hit = fast.get(value.strip().lower())
        return hit if hit is not None else self.run(name, lambda v: clean_choice(v, allowed))

    def username(self, name: str) -> Any:
        value = self.raw.get(name, "")
        if not value:
            return None
        user = self.ctx.user_named(value)
        if user is None:
            self.problems.append((name, _("No active user “%(u)s”.") % {"u": value}))
        return user

    def done(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        if self.problems:
            raise RowInvalid(self.problems)
        return cleaned


@cache
def _max(model, name: str) -> int:
    return model._meta.get_field(name).max_length


CUSTOMER_TEXT = (
    "name_en",
    "province",
    "city",
    "district",
    "address",
    "postcode",
    "id_number",
    "industry",
)


def clean_customer(raw: dict[str, str], ctx: Context) -> dict[str, Any]:
    """A customer row. Only columns with a value appear in the result: a blank cell never
    erases what Kehu already knows (imports fill in and correct, they don't delete)."""
    c = Cleaner(raw, ctx)
    out: dict[str, Any] = {}
    name = c.text("name", _max(Customer, "name"))
    company = c.text("company", 200)
    kind = c.choice("kind", lambda: Customer.Kind.choices)
    if not name and company:
        # A row naming only a company is the company itself.
        name, kind, company = company, kind or Customer.Kind.COMPANY, ""
    c.require("name", name)
    out["name"] = name
    if kind:
        out["kind"] = kind
    if company:
        out["company"] = company
    for text_field in CUSTOMER_TEXT:
        value = c.text(text_field, _max(Customer, text_field))
        if value:
            out[text_field] = value
    external_id = c.text("external_id", _max(Customer, "external_id"))
    if external_id:
        out["external_id"] = external_id
    if notes := c.get("notes"):
        out["notes"] = notes
    for key, value in (
        ("phone", c.run("phone", clean_phone)),
        ("email", c.run("email", clean_email)),
        ("birthday", c.run("birthday", clean_birthday)),
        ("acquired_on", c.run("acquired_on", clean_business_date)),
        ("gender", c.choice("gender", lambda: Customer._meta.get_field("gender").choices)),
        ("source", c.choice("source", lambda: Customer.Source.choices)),
    ):
        if value:
            out[key] = value
    owner = c.username("owner")
    if owner is not None:
        if owner.pk != ctx.user.pk and not ctx.may_assign_others:
            c.problems.append(("owner", _("Only managers may assign customers to others.")))
        out["owner"] = owner
    if tags := c.get("tags"):
        names = sorted({t.strip()[:60] for t in TAG_SPLIT.split(tags) if t.strip()})
        if names:
            out["tags"] = names
    return c.done(out)


def _ref(c: Cleaner, name: str) -> str:
    value = c.get(name)
    c.require(name, value)
    return value


def clean_relation(raw: dict[str, str], ctx: Context) -> dict[str, Any]:
    c = Cleaner(raw, ctx)
    out = {
        "from_customer": _ref(c, "from_customer"),
        "to_customer": _ref(c, "to_customer"),
        "kind": c.choice("kind", lambda: Relation.Kind.choices, "relation"),
        "role": c.text("role", _max(Relation, "role")),
        "since": c.run("since", clean_date),
        "note": c.text("note", _max(Relation, "note")),
    }
    c.require("kind", out["kind"])
    return c.done(out)


def _amount(c: Cleaner, name: str, *, minimum: Decimal | None = ZERO) -> Decimal | None:
    value = c.run(name, lambda v: clean_decimal(v, minimum=minimum))
    return value.quantize(Decimal("0.01")) if value is not None else None


def clean_order_line(raw: dict[str, str], ctx: Context) -> dict[str, Any]:
    """One line of an order; the order-level columns are read from every line and must
    agree (checked when the lines are grouped)."""
    c = Cleaner(raw, ctx)
    out: dict[str, Any] = {
        "order_number": c.text("order_number", _max(Order, "number")),
        "customer": _ref(c, "customer"),
        "date": c.run("date", clean_business_date),
        "channel": c.choice("channel", lambda: Channel.choices) or Channel.STORE,
        "status": c.choice("status", lambda: Order.Status.choices) or Order.Status.COMPLETED,
        "campaign": c.get("campaign"),
        "product": c.text("product", 50),
        "product_name": c.text("product_name", 200),
        "quantity": c.run("quantity", lambda v: clean_decimal(v, minimum=ZERO)),
        "unit_price": _amount(c, "unit_price", minimum=None),
        "amount": _amount(c, "amount", minimum=None),
        "cost": _amount(c, "cost"),
        "sales_rep": c.username("sales_rep"),
    }
    c.require("order_number", out["order_number"])
    c.require("date", out["date"])
    rep = out["sales_rep"]
    if rep is not None and rep.pk != ctx.user.pk and not ctx.may_assign_others:
        c.problems.append(("sales_rep", _("Only managers may assign orders to others.")))
    if out["product"]:
        qty = out["quantity"] if out["quantity"] is not None else Decimal("1")
        out["quantity"] = qty
        if out["unit_price"] is None and out["amount"] is None:
            c.problems.append(("unit_price", _("A line needs a unit price or an amount.")))
        elif out["unit_price"] is None:
            out["unit_price"] = (out["amount"] / qty).quantize(Decimal("0.01")) if qty else ZERO
        elif out["amount"] is None:
            out["amount"] = line_amount(qty, out["unit_price"])
        else:
            out["amount"] = c.run(
                "amount",
                lambda _v: check_line_amount(
                    quantity=qty, unit_price=out["unit_price"], amount=out["amount"]
                ),
            )
    elif out["amount"] is None:
        c.problems.append(("product", _("A row needs a product or an order amount.")))
    return c.done(out)


def clean_invoice(raw: dict[str, str], ctx: Context) -> dict[str, Any]:
    c = Cleaner(raw, ctx)
    out = {
        "invoice_number": c.text("invoice_number", 50),
        "customer": _ref(c, "customer"),
        "order_number": c.get("order_number"),
        "issued_on": c.run("issued_on", clean_business_date),
        # Due dates lie ahead; only the lower bound applies.
        "due_on": c.run("due_on", lambda v: clean_date(v, earliest=EARLIEST_BUSINESS_DATE)),
        "amount": _amount(c, "amount"),
        "written_off": _amount(c, "written_off") or ZERO,
    }
    for name in ("invoice_number", "issued_on", "due_on", "amount"):
        c.require(name, out[name])
    if out["issued_on"] and out["due_on"] and out["due_on"] < out["issued_on"]:
        c.problems.append(("due_on", _("The due date is before the issue date.")))
    return c.done(out)


def clean_payment(raw: dict[str, str], ctx: Context) -> dict[str, Any]:
    c = Cleaner(raw, ctx)
    out = {
        "invoice_number": c.get("invoice_number"),
        "date": c.run("date", clean_business_date),
        "amount": _amount(c, "amount"),
        "method": c.text("method", 30),
        "external_id": c.text("external_id", 100) or None,
    }
    for name in ("invoice_number", "date", "amount"):
        c.require(name, out[name])
    return c.done(out)


def _datetime(value: str) -> dt.datetime:
    """Also the slash spellings spreadsheets write; the shared validator checks the year
    range before any time zone conversion (year 0001 would overflow it)."""
    text = value.strip().replace("T", " ")
    for fmt in ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M"):
        try:
            text = dt.datetime.strptime(text, fmt).isoformat(sep=" ")
            break
        except ValueError:
            continue
    parsed = clean_datetime(text)
    if parsed is None:
        raise ValidationError(_("A date and time is required."))
    return parsed


def clean_interaction(raw: dict[str, str], ctx: Context) -> dict[str, Any]:
    c = Cleaner(raw, ctx)
    out = {
        "customer": _ref(c, "customer"),
        "occurred_at": c.run("occurred_at", _datetime),
        "channel": c.choice("channel", lambda: Channel.choices),
        "subject": c.text("subject", _max(Interaction, "subject")),
        "notes": c.get("notes"),
        "direction": c.choice("direction", lambda: Interaction.Direction.choices)
        or Interaction.Direction.OUTBOUND,
        "department": c.choice("department", lambda: Department.choices) or Department.SALES,
        "outcome": c.choice("outcome", lambda: Interaction.Outcome.choices) or "",
        "duration_minutes": c.run(
            "duration_minutes",
            lambda v: int(clean_decimal(v, minimum=ZERO, maximum=Decimal(24 * 60)) or 0),
        ),
        "user": c.username("user"),
        "external_id": c.text("external_id", 100) or None,
    }
    for name in ("occurred_at", "channel", "subject"):
        c.require(name, out[name])
    author = out["user"]
    if author is not None and author.pk != ctx.user.pk and not ctx.may_sign_for_others:
        c.problems.append(
            ("user", _("Only administrators may import interactions logged by other users."))
        )
    return c.done(out)


def clean_lead(raw: dict[str, str], ctx: Context) -> dict[str, Any]:
    """A lead row: spreadsheet words turned into the stored choices here, then the rules of
    lead creation (kehu.development.services_import.lead_import_check) and of who may own it.
    Blank cells are left out, as for customers."""
    c = Cleaner(raw, ctx)
    fields: dict[str, Any] = {
        name: c.get(name).strip() for name in LEAD_TEXT if c.get(name).strip()
    }
    for name, key, choices in LEAD_CHOICES:
        value = c.choice(name, choices, key)
        if value:
            fields[name] = value
    if not fields.get("name") and fields.get("company"):
        # A row naming only a company is the company itself.
        fields["name"] = fields.pop("company")
        fields.setdefault("kind", Lead.Kind.COMPANY)
    if code := c.get("campaign").strip():
        campaign = ctx.campaign_id(code)
        if campaign is None:
            c.problems.append(("campaign", _("No campaign has the code “%(c)s”.") % {"c": code}))
        else:
            fields["campaign"] = campaign
    owner = c.username("owner")
    if owner is not None:
        refusal = lead_import.lead_owner_refusal(by=ctx.user, owner=owner)
        if refusal:
            c.problems.append(("owner", refusal))
    refused = {name for name, _r in c.problems}
    try:
        out = lead_import.lead_import_check({k: v for k, v in fields.items() if k not in refused})
    except ValidationError as exc:
        c.problems.extend(
            (name, "; ".join(messages))
            for name, messages in exc.message_dict.items()
            if name not in refused
        )
        out = {}
    if owner is not None:
        out["owner"] = owner
    return c.done(out)


LEAD_TEXT = (
    "name",
    "company",
    "phone",
    "email",
    "city",
    "notes",
    "money_note",
    "authority_note",
    "need_note",
)
LEAD_CHOICES: tuple[tuple[str, str, Callable[[], Any]], ...] = (
    ("kind", "lead_kind", lambda: Lead.Kind.choices),
    ("source", "lead_source", lambda: Lead.Source.choices),
    ("grade", "grade", lambda: Grade.choices),
    ("money", "answer", lambda: Answer.choices),
    ("authority", "answer", lambda: Answer.choices),
    ("need", "answer", lambda: Answer.choices),
)

CLEANERS: dict[str, Callable[[dict[str, str], Context], dict[str, Any]]] = {
    "customers": clean_customer,
    "relations": clean_relation,
    "orders": clean_order_line,
    "invoices": clean_invoice,
    "payments": clean_payment,
    "interactions": clean_interaction,
    "leads": clean_lead,
}
