"""New-customer development (issue #14): leads with their source and MAN qualification,
numbered cards graded A/B/C by potential with their grade history, and the cadences that
say when a card is next reviewed and contacted.

A card belongs to a lead and, once the lead is converted, to the customer it became (the
same card, so its number, grade history and contact dates stay); a customer that never was
a lead gets a card when someone grades it (``services.card_for_customer``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kehu.core.audit import Audited
from kehu.core.models import Partner, Team, TimeStamped
from kehu.customers import fields as customer_fields
from kehu.customers.models import Customer
from kehu.sales.models import Campaign


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")


class Grade(models.TextChoices):
    """Potential, not value: A the most promising. Separate from Customer.grade (value)."""

    A = "A", "A"
    B = "B", "B"
    C = "C", "C"


def contact_field(name: str, *, blank: bool = True) -> models.Field:
    """A lead's contact column as the customer's own, read from the customers' field
    registry (kehu.customers.fields): the same type, length and label, so a lead is
    described and checked (``services.clean_contact``: the registry's cleaners) exactly
    like the customer it may become, and a change there reaches leads too."""
    source = customer_fields.field(name).model_field
    options: dict = {"blank": blank}
    if isinstance(source, models.CharField):
        options["max_length"] = source.max_length
    if source.null:
        options["null"] = True
    return type(source)(source.verbose_name, **options)


class Lead(Audited, TimeStamped):
    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        COMPANY = "company", _("Company")

    class Source(models.TextChoices):
        STATISTICS = "statistics", _("Statistics")
        DIRECTORY = "directory", _("Directory")
        PRESS = "press", _("Press")
        REFERRAL = "referral", _("Referral")
        EVENT = "event", _("Event")
        MAILING = "mailing", _("Mailing")
        WEB_FORM = "web_form", _("Web form")
        PARTNER = "partner", _("Channel partner")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        QUALIFIED = "qualified", _("Qualified")
        CONVERTED = "converted", _("Converted")
        DISQUALIFIED = "disqualified", _("Disqualified")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PERSON)
    name = contact_field("name", blank=False)
    company = models.CharField(_("company"), max_length=200, blank=True)
    phone = contact_field("phone")
    email = contact_field("email")
    city = contact_field("city")
    notes = contact_field("notes")
    # Greetings (kehu.development.greetings) are generated from the birthday; mailings skip
    # a lead that asked not to receive them.
    birthday = contact_field("birthday")
    no_mailings = models.BooleanField(_("no mailings"), default=False)

    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    referred_by = models.ForeignKey(
        Customer,
        verbose_name=_("referred by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referred_leads",
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
    )
    # The channel partner that brought the lead or works it: its users see it.
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("channel partner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_leads",
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
    )

    money = models.CharField(
        _("money"), max_length=8, choices=Answer.choices, default=Answer.UNKNOWN
    )
    money_note = models.CharField(_("money note"), max_length=255, blank=True)
    authority = models.CharField(
        _("authority"), max_length=8, choices=Answer.choices, default=Answer.UNKNOWN
    )
    authority_note = models.CharField(_("authority note"), max_length=255, blank=True)
    need = models.CharField(_("need"), max_length=8, choices=Answer.choices, default=Answer.UNKNOWN)
    need_note = models.CharField(_("need note"), max_length=255, blank=True)

    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    status_reason = models.CharField(_("reason"), max_length=255, blank=True)
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="from_leads",
    )
    converted_at = models.DateTimeField(_("converted"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["owner", "status", "id"]),
            models.Index(fields=["team", "status", "id"]),
            models.Index(fields=["source", "id"]),
            models.Index(fields=["phone"], name="lead_phone"),
            models.Index(fields=["email"], name="lead_email"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def qualified(self) -> bool:
        """MAN: money, authority and need all hold."""
        return self.money == self.authority == self.need == Answer.YES

    def audit_customer_id(self) -> int | None:
        return self.customer_id


class LeadTouch(TimeStamped):
    """A contact with a lead (call, visit, mail…); on conversion it is copied to the new
    customer's interactions, so the customer's timeline starts with the lead's history."""

    class Kind(models.TextChoices):
        CALL = "call", _("Call")
        VISIT = "visit", _("Visit")
        EMAIL = "email", _("Email")
        MAIL = "mail", _("Letter / brochure")
        NOTE = "note", _("Note")

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="touches")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    subject = models.CharField(_("subject"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return self.subject


class CardSequence(models.Model):
    """The last card number handed out in a year; incremented under the row's lock."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Card(Audited, TimeStamped):
    """A development card: its number, potential grade, and review and contact dates."""

    class Priority(models.TextChoices):
        TOP = "top", _("Top")
        MIDDLE = "middle", _("Middle")
        LOW = "low", _("Low")

    number = models.CharField(_("card number"), max_length=24, unique=True)
    lead = models.OneToOneField(
        Lead, null=True, blank=True, on_delete=models.CASCADE, related_name="card"
    )
    customer = models.OneToOneField(
        Customer, null=True, blank=True, on_delete=models.CASCADE, related_name="development_card"
    )
    grade = models.CharField(_("potential grade"), max_length=1, choices=Grade.choices)
    # A copy of the holder's owner and team, so due lists filter one indexed table.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="development_cards",
        db_index=False,
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    is_active = models.BooleanField(_("active"), default=True)
    last_reviewed_on = models.DateField(_("last reviewed"), null=True, blank=True)
    next_review_on = models.DateField(_("next review"))
    last_call_on = models.DateField(_("last call"), null=True, blank=True)
    next_call_on = models.DateField(_("next call"))
    last_visit_on = models.DateField(_("last visit"), null=True, blank=True)
    next_visit_on = models.DateField(_("next visit"))

    class Meta:
        verbose_name = _("card")
        ordering = ["number"]
        # The id ends each due index so that a page of the due list is read in (due, id)
        # order straight from it: where thousands of cards fall due the same day (an import,
        # a regrade), the database would otherwise sort them all for the first 25.
        indexes = [
            models.Index(fields=["owner", "is_active", "next_review_on", "id"]),
            models.Index(fields=["owner", "is_active", "next_call_on", "id"]),
            models.Index(fields=["owner", "is_active", "next_visit_on", "id"]),
            models.Index(fields=["team", "is_active", "next_review_on", "id"]),
            models.Index(fields=["team", "is_active", "next_call_on", "id"]),
            models.Index(fields=["team", "is_active", "next_visit_on", "id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lead__isnull=False) | models.Q(customer__isnull=False),
                name="card_has_holder",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def holder_name(self) -> str:
        holder = self.customer if self.customer_id else self.lead
        return holder.name if holder is not None else ""

    def audit_customer_id(self) -> int | None:
        return self.customer_id


class GradeChange(models.Model):
    """A promotion or demotion of a card, with its reason. Written, never edited."""

    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="grade_changes")
    from_grade = models.CharField(_("from"), max_length=1, choices=Grade.choices, blank=True)
    to_grade = models.CharField(_("to"), max_length=1, choices=Grade.choices)
    reason = models.CharField(_("reason"), max_length=255)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.card_id}: {self.from_grade or '-'} → {self.to_grade}"


class WebFormSubmission(models.Model):
    """One sending of the public form from an address: the rate limit counts these."""

    address = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now)
    spam = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["address", "at"])]

    def __str__(self) -> str:
        return f"{self.address} {self.at:%Y-%m-%d %H:%M}"


class Opportunity(Audited, TimeStamped):
    """A deal in the pipeline: a converted lead's first one is opened by the conversion."""

    class Stage(models.TextChoices):
        QUALIFICATION = "qualification", _("Qualification")
        NEEDS = "needs", _("Needs analysis")
        PROPOSAL = "proposal", _("Proposal")
        NEGOTIATION = "negotiation", _("Negotiation")
        WON = "won", _("Won")
        LOST = "lost", _("Lost")

    # The forecast weighs each open deal by its stage's chance of closing.
    PROBABILITY = {
        "qualification": 0.1,
        "needs": 0.25,
        "proposal": 0.5,
        "negotiation": 0.75,
        "won": 1.0,
        "lost": 0.0,
    }

    name = models.CharField(_("name"), max_length=200)
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="opportunities",
    )
    lead = models.ForeignKey(
        Lead, null=True, blank=True, on_delete=models.SET_NULL, related_name="opportunities"
    )
    stage = models.CharField(
        _("stage"), max_length=16, choices=Stage.choices, default=Stage.QUALIFICATION
    )
    amount = models.DecimalField(
        _("expected value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    close_on = models.DateField(_("expected close"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opportunities",
        db_index=False,
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    stage_reason = models.CharField(_("reason"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        indexes = [
            models.Index(fields=["owner", "stage", "close_on"]),
            models.Index(fields=["team", "stage", "close_on"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def probability(self) -> float:
        return self.PROBABILITY.get(self.stage, 0.0)


# --- touches (F5) ----------------------------------------------------------------------------


class Holder(models.Model):
    """A touch or a chosen date belongs to a customer or to a lead (exactly one)."""

    customer = models.ForeignKey(
        Customer, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    lead = models.ForeignKey(
        Lead, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def holder(self) -> Customer | Lead | None:
        return self.customer if self.customer_id else self.lead

    @property
    def holder_name(self) -> str:
        holder = self.holder
        return holder.name if holder is not None else ""

    def audit_customer_id(self) -> int | None:
        return self.customer_id


class SpecialDate(Holder):
    """A date chosen for a customer or lead to be greeted on, every year: a solar date, a
    lunar date (a lunar birthday), or one of the festivals of kehu.core.specialdays."""

    class Calendar(models.TextChoices):
        SOLAR = "solar", _("Solar (Gregorian)")
        LUNAR = "lunar", _("Lunar")
        FESTIVAL = "festival", _("Festival")

    label = models.CharField(_("occasion"), max_length=100)
    calendar = models.CharField(
        _("calendar"), max_length=10, choices=Calendar.choices, default=Calendar.SOLAR
    )
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    day = models.PositiveSmallIntegerField(_("day"), null=True, blank=True)
    festival = models.CharField(_("festival"), max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("special date")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lead__isnull=False) | models.Q(customer__isnull=False),
                name="specialdate_has_holder",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class TouchTask(Audited, Holder, TimeStamped):
    """A visit, an invitation or a greeting to do: on the owner's due list until done; when
    done it is logged on the holder's timeline (an interaction, or the lead's touches)."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("Visit")
        INVITATION = "invitation", _("Invitation")
        GREETING = "greeting", _("Greeting")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    title = models.CharField(_("title"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    due_on = models.DateField(_("due"))
    # A greeting's occasion: "birthday", "lunar_birthday", a festival key or "date:<id>".
    occasion = models.CharField(_("occasion"), max_length=60, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("touch")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["owner", "status", "due_on"]),
            models.Index(fields=["team", "status", "due_on"]),
            models.Index(fields=["done_by", "done_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lead__isnull=False) | models.Q(customer__isnull=False),
                name="touchtask_has_holder",
            ),
            # Generating greetings twice for a day must not greet twice.
            models.UniqueConstraint(
                fields=["customer", "occasion", "due_on"],
                condition=models.Q(kind="greeting", customer__isnull=False),
                name="greeting_once_customer",
            ),
            models.UniqueConstraint(
                fields=["lead", "occasion", "due_on"],
                condition=models.Q(kind="greeting", lead__isnull=False),
                name="greeting_once_lead",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Mailing(TimeStamped):
    """One e-mail mailing, or one printed letter or brochure run: what went to how many."""

    class Kind(models.TextChoices):
        EMAIL = "email", _("E-mail")
        LETTER = "letter", _("Letter")
        BROCHURE = "brochure", _("Brochure")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    sent = models.PositiveIntegerField(_("sent"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("mailing")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.subject
