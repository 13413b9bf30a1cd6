"""What customers buy and owe: products, campaigns, orders with lines, invoices and payments
(A5; the inputs of profit, bad debt and CLV in B1/B6)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kehu.core.audit import Audited
from kehu.core.models import Partner, TimeStamped
from kehu.customers.models import Channel, Customer

ZERO = Decimal("0")


class Product(TimeStamped):
    sku = models.CharField(_("SKU"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=100, blank=True)
    price = models.DecimalField(
        _("list price"), max_digits=12, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    unit_cost = models.DecimalField(
        _("unit cost"),
        max_digits=12,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Days between services (a filter change, a yearly check): the proactive suggestions
    # (kehu.service.proactive) call a buyer when the last purchase reaches it. Empty: none.
    service_interval_days = models.PositiveIntegerField(
        _("service interval (days)"), null=True, blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("product")

    def __str__(self) -> str:
        return self.name


class Campaign(TimeStamped):
    code = models.CharField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, blank=True)
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("campaign")

    def __str__(self) -> str:
        return self.name


class Order(Audited, TimeStamped):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")
        RETURNED = "returned", _("Returned")

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="orders"
    )
    number = models.CharField(_("order number"), max_length=50, unique=True)
    ordered_on = models.DateField(_("order date"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), null=True, blank=True, on_delete=models.SET_NULL
    )
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("channel partner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.COMPLETED
    )
    # Denormalised sums of the lines: revenue and cost of goods on one row (B1).
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2, default=ZERO)
    cost = models.DecimalField(_("cost of goods"), max_digits=14, decimal_places=2, default=ZERO)
    sales_rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-ordered_on", "-id"]
        verbose_name = _("order")
        indexes = [models.Index(fields=["customer", "-ordered_on"])]

    def __str__(self) -> str:
        return self.number

    @property
    def margin(self) -> Decimal:
        return self.amount - self.cost


class OrderLine(Audited):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(
        _("quantity"), max_digits=10, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    unit_price = models.DecimalField(_("unit price"), max_digits=12, decimal_places=2)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    cost = models.DecimalField(_("cost of goods"), max_digits=14, decimal_places=2, default=ZERO)

    def __str__(self) -> str:
        return f"{self.product} × {self.quantity}"

    def audit_customer_id(self) -> int | None:
        return Order.objects.filter(pk=self.order_id).values_list("customer_id", flat=True).first()


class Invoice(Audited, TimeStamped):
    """A receivable. Overdue and written-off amounts feed bad debt in the profit (B1)."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="invoices"
    )
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.SET_NULL, related_name="invoices"
    )
    number = models.CharField(_("invoice number"), max_length=50, unique=True)
    issued_on = models.DateField(_("issued"))
    due_on = models.DateField(_("due"))
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    paid_amount = models.DecimalField(_("paid"), max_digits=14, decimal_places=2, default=ZERO)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    written_off = models.DecimalField(
        _("written off"),
        max_digits=14,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
    )

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("invoice")
        indexes = [models.Index(fields=["customer", "-issued_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("issued_on")),
                name="invoice_due_after_issue",
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def outstanding(self) -> Decimal:
        return max(self.amount - self.paid_amount - self.written_off, ZERO)

    def days_late(self, today) -> int:
        end = self.paid_on or today
        return max((end - self.due_on).days, 0)


class Payment(Audited, TimeStamped):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="payments")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="payments")
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    method = models.CharField(_("method"), max_length=30, blank=True)
    external_id = models.CharField(max_length=100, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["-paid_on", "-id"]
        indexes = [models.Index(fields=["customer", "-paid_on"])]

    def __str__(self) -> str:
        return f"{self.invoice} {self.amount}"


class PaymentFailure(Audited, TimeStamped):
    """A payment that did not go through (a declined card, a bounced direct debit). Kept
    apart from ``Payment`` so it never counts towards what an invoice has been paid; the
    proactive suggestions (kehu.service.proactive) propose a call about it."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+"
    )
    invoice = models.ForeignKey(
        Invoice, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    failed_on = models.DateField(_("failed on"))
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    method = models.CharField(_("method"), max_length=30, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["-failed_on", "-id"]
        verbose_name = _("failed payment")
        indexes = [models.Index(fields=["failed_on"], name="payment_failure_on")]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.amount} {self.failed_on}"
