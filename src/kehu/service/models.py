"""Service work on a customer (E3-E7): tickets (questions, requests, complaints, faults) with
their thread of replies and internal notes, their deadlines (SLA, in business hours on a
working calendar) and their effort, so cost to serve (B1) and the service history (E5) come
from one place. Writes go through ``kehu.service.services``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kehu.core.audit import Audited
from kehu.core.models import Team, TimeStamped
from kehu.customers.models import Customer


class Ticket(Audited, TimeStamped):
    class Kind(models.TextChoices):
        QUESTION = "question", _("Question")
        REQUEST = "request", _("Service request")
        COMPLAINT = "complaint", _("Complaint")
        FAULT = "fault", _("Fault")

    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("Email")
        WEB = "web", _("Web form")
        PORTAL = "portal", _("Portal")
        CHAT = "chat", _("Chat")
        STORE = "store", _("Store visit")
        PARTNER = "partner", _("Channel partner")

    class Priority(models.TextChoices):
        URGENT = "urgent", _("Urgent")
        HIGH = "high", _("High")
        NORMAL = "normal", _("Normal")
        LOW = "low", _("Low")

    class Status(models.TextChoices):
        # Contexts: the shared catalogue has "New" (a new customer) and "Open" already.
        NEW = "new", pgettext_lazy("ticket status", "New")
        OPEN = "open", pgettext_lazy("ticket status", "Open")
        WAITING = "waiting", _("Waiting on customer")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")
        REOPENED = "reopened", _("Reopened")

    # Statuses whose deadlines run (waiting pauses them; resolved and closed stop them).
    RUNNING = (Status.NEW, Status.OPEN, Status.REOPENED)
    DONE = (Status.RESOLVED, Status.CLOSED)

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="tickets"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.REQUEST)
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=100, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, blank=True)
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NEW
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    # The resolution deadline (kept under its first name: the demo, the value analytics and
    # the due list read it).
    due_at = models.DateTimeField(_("resolution due"), null=True, blank=True)
    first_response_due_at = models.DateTimeField(_("first response due"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    # A key-tier customer's ticket, fixed when it is opened: the queue puts these first, and
    # an index on the ticket (not a join to the customer) keeps a million-ticket queue fast.
    vip = models.BooleanField(_("key customer"), default=False)
    # The product a fault is about, when known: a fault seen at several customers with the
    # same product is proposed to its other buyers (kehu.service.proactive).
    product = models.ForeignKey(
        "sales.Product",
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    minutes_spent = models.PositiveIntegerField(_("minutes spent"), default=0)
    nature = models.TextField(_("nature of the problem"), blank=True)
    root_cause = models.CharField(_("root cause"), max_length=200, blank=True)
    corrective_action = models.TextField(_("corrective action"), blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    # The SLA targets the deadlines were computed from (business hours), kept so a changed
    # policy does not move the deadlines of tickets already open.
    response_target_hours = models.DecimalField(
        _("first-response target (business hours)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
    )
    resolution_target_hours = models.DecimalField(
        _("resolution target (business hours)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
    )
    # Pause while waiting on the customer: since when, and the business hours paused so far
    # (both deadlines are pushed back by them).
    waiting_since = models.DateTimeField(_("waiting since"), null=True, blank=True)
    paused_hours = models.DecimalField(
        _("paused (business hours)"), max_digits=9, decimal_places=2, default=0
    )
    response_breached = models.BooleanField(_("first response late"), default=False)
    resolution_breached = models.BooleanField(_("resolution late"), default=False)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    reopened_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("ticket")
        indexes = [
            models.Index(fields=["customer", "-opened_at"]),
            models.Index(fields=["status", "due_at"]),
            # The VIP-first queue: open tickets, key customers first, then by deadline.
            models.Index(
                F("vip").desc(),
                "due_at",
                "id",
                name="ticket_queue",
                condition=Q(status__in=["new", "open", "waiting", "reopened"]),
            ),
            # The overdue checker: running tickets not yet escalated, by deadline.
            models.Index(
                fields=["due_at"],
                name="ticket_unescalated",
                condition=Q(status__in=["new", "open", "reopened"], escalated_at__isnull=True),
            ),
            models.Index(
                fields=["first_response_due_at"],
                name="ticket_unanswered",
                condition=Q(
                    status__in=["new", "open", "reopened"],
                    first_response_at__isnull=True,
                    response_breached=False,
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_open(self) -> bool:
        return self.status not in self.DONE

    @property
    def reference(self) -> str:
        """The token e-mail replies carry in their subject: ``[#T123]``."""
        return f"[#T{self.pk}]"


def attachment_path(instance: TicketAttachment, filename: str) -> str:
    return f"tickets/{instance.message.ticket_id}/{instance.message_id}/{filename}"


class TicketMessage(TimeStamped):
    """One entry of a ticket's thread: a public reply (to or from the customer) or an internal
    note (staff only, never shown to partner users or customers)."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("Reply")
        NOTE = "note", _("Internal note")
        INCOMING = "incoming", _("From the customer")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Who wrote it when no user did (an e-mail's sender).
    sender = models.CharField(_("from"), max_length=254, blank=True)
    body = models.TextField(_("text"))
    message_id = models.CharField(max_length=255, blank=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("ticket message")

    def __str__(self) -> str:
        return self.body[:80]

    @property
    def is_internal(self) -> bool:
        return self.kind == self.Kind.NOTE


class TicketAttachment(models.Model):
    message = models.ForeignKey(TicketMessage, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    def __str__(self) -> str:
        return self.name


class SlaPolicy(models.Model):
    """Targets per priority and customer tier, in business hours. A blank tier is the
    priority's default for every tier without its own row."""

    priority = models.CharField(_("priority"), max_length=10, choices=Ticket.Priority.choices)
    tier = models.CharField(_("tier"), max_length=10, choices=Customer.Tier.choices, blank=True)
    first_response_hours = models.DecimalField(
        _("first response (business hours)"), max_digits=7, decimal_places=2
    )
    resolution_hours = models.DecimalField(
        _("resolution (business hours)"), max_digits=7, decimal_places=2
    )

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        constraints = [
            models.UniqueConstraint(fields=["priority", "tier"], name="sla_priority_tier"),
        ]

    def __str__(self) -> str:
        return f"{self.get_priority_display()} / {self.get_tier_display() or '*'}"


class UnmatchedEmail(models.Model):
    """An incoming e-mail from an address no customer has: waits for an agent to attach it
    to a customer (then it becomes a ticket) or to discard it."""

    sender = models.CharField(_("from"), max_length=254)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    message_id = models.CharField(max_length=255, blank=True, db_index=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    ticket = models.ForeignKey(
        Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("unmatched e-mail")

    def __str__(self) -> str:
        return self.subject


class Call(models.Model):
    """A phone call reported by the telephone system (CTI): who called, which customer that
    is, which agent took it, how long it lasted. Ending it logs the interaction."""

    call_id = models.CharField(max_length=100, unique=True)
    caller = models.CharField(_("caller"), max_length=32)
    customer = models.ForeignKey(
        Customer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"), null=True, blank=True)
    # The screen-pop shows a call once per agent: dismissed when they open or close it.
    seen_at = models.DateTimeField(null=True, blank=True)
    interaction = models.ForeignKey(
        "customers.Interaction", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("call")
        indexes = [models.Index(fields=["ended_at", "-started_at"], name="call_ringing")]

    def __str__(self) -> str:
        return self.caller


# Registered with this app (its own module keeps this one short).
from kehu.service.models_proactive import ProactiveSuggestion  # noqa: E402, F401


class CalendarDay(models.Model):
    """A day of the working calendar the administrator keeps (China's official schedule): a
    holiday (``is_working_day`` false) or a make-up working weekend day (true).

    A year with any row here is read from this table alone, every other year from the
    ``chinesecalendar`` package (``kehu.service.holiday_table``, which the core calendar and
    so the SLA read). The first edit of a year copies the package's days for it (``source``
    package), so an edit overrides one day and never silently drops the year's other holidays.
    """

    class Source(models.TextChoices):
        PACKAGE = "package", _("Official schedule (package)")
        ADMIN = "admin", _("Administrator")

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"), default=False)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.ADMIN
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.date} {'work' if self.is_working_day else 'off'} {self.name_en}"


class TierTarget(models.Model):
    """The customer strategy's service targets for one customer tier, which the balanced
    report sets its monthly measures against (edited in the Django admin). Blank: no target."""

    tier = models.CharField(_("tier"), max_length=10, choices=Customer.Tier.choices, unique=True)
    csat_pct = models.DecimalField(
        _("satisfied customers (CSAT 4-5, %)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
    )
    nps = models.DecimalField(_("NPS"), max_digits=5, decimal_places=1, null=True, blank=True)
    retention_pct = models.DecimalField(
        _("retention rate (%)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    fcr_pct = models.DecimalField(
        _("first-contact resolution (%)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    handling_minutes = models.DecimalField(
        _("call handling time (minutes)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    sla_pct = models.DecimalField(
        _("SLA compliance (%)"), max_digits=5, decimal_places=1, null=True, blank=True
    )

    class Meta:
        ordering = ["tier"]
        verbose_name = _("tier target")
        verbose_name_plural = _("tier targets")

    def __str__(self) -> str:
        return str(self.get_tier_display())
