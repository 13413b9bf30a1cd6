"""The central customer record (A1) and what hangs off it: names, contact points, addresses,
relations (A4), interactions on every channel (A3, A6), owner history (A2) and partner
sharing (A7).

Single-row derived values (search keys, completeness, the latest value/lifecycle scores) are
kept on the row so lists filter and sort on indexed columns at a million customers.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kehu.core.audit import Audited
from kehu.core.models import Partner, Region, Team, TimeStamped


class Tag(models.Model):
    class Category(models.TextChoices):
        GENERAL = "general", _("General")
        INTEREST = "interest", _("Interest")
        LIFESTYLE = "lifestyle", _("Lifestyle")
        SEGMENT = "segment", _("Segment")

    name = models.CharField(_("name"), max_length=60, unique=True)
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.GENERAL
    )

    class Meta:
        ordering = ["category", "name"]
        verbose_name = _("tag")

    def __str__(self) -> str:
        return self.name


class Customer(Audited, TimeStamped):
    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        COMPANY = "company", _("Company")

    class Grade(models.TextChoices):
        A = "A", "A"
        B = "B", "B"
        C = "C", "C"

    class Tier(models.TextChoices):
        KEY = "key", _("Key")
        MAJOR = "major", _("Major")
        ORDINARY = "ordinary", _("Ordinary")
        SMALL = "small", _("Small")

    class Lifecycle(models.TextChoices):
        NEW = "new", _("New")
        ACTIVE = "active", _("Active")
        AT_RISK = "at_risk", _("At risk")
        LAPSED = "lapsed", _("Lapsed")
        LOST = "lost", _("Lost")
        WON_BACK = "won_back", _("Won back")

    class Loyalty(models.TextChoices):
        SUSPECT = "suspect", _("Suspect")
        PROSPECT = "prospect", _("Prospect")
        FIRST_TIME = "first_time", _("First-time customer")
        REPEAT = "repeat", _("Repeat customer")
        CLIENT = "client", _("Client")
        ADVOCATE = "advocate", _("Advocate")

    class ChurnType(models.TextChoices):
        NONE = "none", _("No churn")
        PARTIAL = "partial", _("Partial churn")
        COMPLETE = "complete", _("Complete churn")

    class RiskBand(models.TextChoices):
        # Cut-offs on the churn probability live in AnalyticsConfig (churn_band_*).
        LOW = "low", _("Low risk")
        MEDIUM = "medium", _("Medium risk")
        HIGH = "high", _("High risk")

    class Source(models.TextChoices):
        WALK_IN = "walk_in", _("Store walk-in")
        REFERRAL = "referral", _("Referral")
        WEB = "web", _("Website")
        PHONE = "phone", _("Phone / call centre")
        EVENT = "event", _("Event / exhibition")
        PARTNER = "partner", _("Channel partner")
        CAMPAIGN = "campaign", _("Campaign / mailing")
        DIRECTORY = "directory", _("Directory / statistics")
        PRESS = "press", _("Press / advertising")
        IMPORT = "import", _("Import")
        OTHER = "other", _("Other")
        # A converted lead keeps its source (kehu.development.Lead.Source): these three
        # had no customer equivalent of their own.
        STATISTICS = "statistics", _("Statistics")
        MAILING = "mailing", _("Mailing")
        WEB_FORM = "web_form", _("Web form")

    class AgeBand(models.TextChoices):
        UNDER_25 = "<25", _("Under 25")
        B25_34 = "25-34", "25–34"
        B35_44 = "35-44", "35–44"
        B45_54 = "45-54", "45–54"
        B55_64 = "55-64", "55–64"
        OVER_65 = "65+", _("65 and over")

    class IncomeBand(models.TextChoices):
        LOW = "low", _("Low")
        LOWER_MIDDLE = "lower_middle", _("Lower middle")
        MIDDLE = "middle", _("Middle")
        UPPER_MIDDLE = "upper_middle", _("Upper middle")
        HIGH = "high", _("High")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PERSON)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    # Alternative names: other script, pinyin, former names, and values kept from merges.
    aliases = models.JSONField(_("alternative names"), default=list, blank=True)
    # Unique through Meta.constraints: ``unique=True`` would add a LIKE copy of the index too.
    external_id = models.CharField(_("external id"), max_length=100, null=True, blank=True)

    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    province = models.CharField(_("province"), max_length=50, blank=True)
    city = models.CharField(_("city"), max_length=50, blank=True)
    district = models.CharField(_("district"), max_length=50, blank=True)
    # The national division code (kehu.customers.divisions) of the most precise of the three
    # levels picked; blank for addresses abroad or typed as free text.
    division_code = models.CharField(_("division code"), max_length=6, blank=True)
    address = models.CharField(_("street address"), max_length=255, blank=True)
    postcode = models.CharField(_("postcode"), max_length=12, blank=True)
    trade_area = models.CharField(_("trade area"), max_length=100, blank=True)
    distance_km = models.DecimalField(
        _("distance to store (km)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )

    birthday = models.DateField(_("birthday"), null=True, blank=True)
    gender = models.CharField(
        _("gender"), max_length=1, blank=True, choices=[("F", _("Female")), ("M", _("Male"))]
    )
    age_band = models.CharField(_("age band"), max_length=10, blank=True, choices=AgeBand.choices)
    income_band = models.CharField(
        _("income band"), max_length=20, blank=True, choices=IncomeBand.choices
    )
    household_size = models.PositiveSmallIntegerField(
        _("household size"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    id_number = models.CharField(_("ID card / tax number"), max_length=32, blank=True)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="customers")

    source = models.CharField(
        _("acquisition source"), max_length=20, choices=Source.choices, blank=True
    )
    acquired_on = models.DateField(_("customer since"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_customers",
        db_index=False,  # the (owner, is_archived, id) index serves look-ups by owner
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="customers",
        db_index=False,  # the (team, is_archived, id) index serves look-ups by team
        # A copy of the owner's team (services and imports take it from the owner's
        # profile, whose column is constrained), kept here for fast visibility filters;
        # Django's collector clears it when a team is deleted. The database's check cost
        # every new customer a query and a lock on the team row (see OwnerHistory).
        db_constraint=False,
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,  # partial index in Meta
    )
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("channel partner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="served_customers",
        db_index=False,  # partial index in Meta
    )
    shared_with = models.ManyToManyField(
        Partner,
        through="CustomerShare",
        blank=True,
        related_name="shared_customers",
        verbose_name=_("shared with partners"),
    )
    # Custom attributes (contract type, plan, …) that the analytics can use as features.
    attributes = models.JSONField(_("custom attributes"), default=dict, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    # Filled by the analytics run (kehu.insights); single-row derived values.
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices, blank=True)
    tier = models.CharField(_("tier"), max_length=10, choices=Tier.choices, blank=True)
    lifecycle_status = models.CharField(
        _("lifecycle status"), max_length=10, choices=Lifecycle.choices, blank=True
    )
    loyalty_stage = models.CharField(
        _("loyalty stage"), max_length=12, choices=Loyalty.choices, blank=True
    )
    churn_type = models.CharField(
        _("churn type"), max_length=10, choices=ChurnType.choices, blank=True
    )
    is_core = models.BooleanField(_("core customer"), default=False)
    profit = models.DecimalField(
        _("profit contribution"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    clv = models.DecimalField(
        _("predicted lifetime value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    p_alive = models.FloatField(_("probability active"), null=True, blank=True)
    # The latest churn scoring (kehu.insights.churn): P(leaving), its band, and probability ×
    # lifetime value (or yearly profit), the at-risk page's sort key.
    churn_probability = models.FloatField(_("churn risk"), null=True, blank=True)
    churn_band = models.CharField(
        _("risk band"), max_length=6, choices=RiskBand.choices, blank=True
    )
    value_at_risk = models.DecimalField(
        _("value at risk"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    scored_at = models.DateTimeField(_("scored"), null=True, blank=True)
    completeness = models.PositiveSmallIntegerField(_("completeness %"), default=0)
    is_qualified = models.BooleanField(_("qualified prospect"), default=False)

    is_archived = models.BooleanField(_("archived"), default=False)
    archived_at = models.DateTimeField(null=True, blank=True)
    # Optimistic concurrency: every write path (edit, reassign, archive/restore, merge,
    # import) raises it by one, so an edit form or API client that loaded version n can be
    # refused when the record has moved on. Analytics scores don't raise it: they are not
    # what a person edits. The database default lets COPY paths that leave it out insert 1.
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_from",
        db_index=False,  # partial index in Meta
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # never filtered on; users are deactivated, not deleted
        # Who typed the row in, not a relation anything follows: Django's collector still
        # clears it when a user is deleted. The database's check of it ran once per new
        # customer (a query and a lock on the same user row); see OwnerHistory.
        db_constraint=False,
    )

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        # Every index costs each import and merge a write: plain B-trees for exact look-ups
        # (no LIKE copies), composites that also serve the foreign keys.
        indexes = [
            models.Index(fields=["phone"], name="customer_phone"),
            models.Index(fields=["email"], name="customer_email"),
            models.Index(fields=["city", "id"], name="customer_city"),
            models.Index(fields=["id_number"], name="customer_id_number"),
            models.Index(fields=["owner", "is_archived", "id"]),
            models.Index(fields=["team", "is_archived", "id"]),
            # A user's customers outside their teams (search_index.key_scope) from the
            # index alone: a rep owning 96,000 customers, all in the team, cost a 300 ms
            # scan of the table to learn there are none.
            models.Index(fields=["owner", "team", "id"], name="customer_owner_team"),
            models.Index(fields=["grade", "id"]),
            models.Index(fields=["lifecycle_status", "id"]),
            models.Index(fields=["name", "id"]),
            models.Index(fields=["-profit", "id"]),
            models.Index(fields=["-clv", "id"]),
            models.Index(fields=["-value_at_risk", "id"]),
            # Foreign keys that most customers leave empty: a partial index holds only the
            # rows that have one, so inserting a customer without one costs nothing, and
            # the planner can't mistake "merged_into IS NULL" (nearly every row) for a
            # selective condition when its statistics are stale.
            models.Index(
                fields=["merged_into"],
                name="customer_merged_into",
                condition=models.Q(merged_into__isnull=False),
            ),
            models.Index(
                fields=["partner"],
                name="customer_partner",
                condition=models.Q(partner__isnull=False),
            ),
            models.Index(
                fields=["region"],
                name="customer_region",
                condition=models.Q(region__isnull=False),
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["external_id"], name="customer_external_id_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def audit_customer_id(self) -> int | None:
        return self.pk


class ContactPoint(Audited, TimeStamped):
    """Further phones, e-mails and messaging handles beyond the primary ones on Customer."""

    class Kind(models.TextChoices):
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("Email")
        WECHAT = "wechat", _("WeChat")
        FAX = "fax", _("Fax")
        OTHER = "other", _("Other")

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    value = models.CharField(_("value"), max_length=200)
    label = models.CharField(_("label"), max_length=50, blank=True)

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class Address(Audited, TimeStamped):
    class Kind(models.TextChoices):
        HOME = "home", _("Home")
        WORK = "work", _("Work")
        BILLING = "billing", _("Billing")
        SHIPPING = "shipping", _("Shipping")

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="addresses")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.HOME)
    province = models.CharField(_("province"), max_length=50, blank=True)
    city = models.CharField(_("city"), max_length=50, blank=True)
    district = models.CharField(_("district"), max_length=50, blank=True)
    street = models.CharField(_("street address"), max_length=255, blank=True)
    postcode = models.CharField(_("postcode"), max_length=12, blank=True)

    def __str__(self) -> str:
        return " ".join(p for p in [self.province, self.city, self.district, self.street] if p)


class CustomerShare(Audited):
    """A customer shared with a channel partner (A7): its users see and serve this customer."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="shares")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="shares")
    shared_at = models.DateTimeField(default=timezone.now)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["customer", "partner"], name="share_unique")]
        indexes = [models.Index(fields=["partner", "customer"])]

    def __str__(self) -> str:
        return f"{self.customer} → {self.partner}"


class Relation(Audited, TimeStamped):
    """A directed relation between two customers (A4); shown from both ends."""

    class Kind(models.TextChoices):
        PARENT_OF = "parent_of", _("Parent company of")
        MEMBER_OF = "member_of", _("Member of group")
        CONTACT_AT = "contact_at", _("Contact person at")
        REFERRED_BY = "referred_by", _("Referred by")
        KNOWS = "knows", _("Knows")

    INVERSE = {
        "parent_of": _("Subsidiary of"),
        "member_of": _("Group containing"),
        "contact_at": _("Has contact person"),
        "referred_by": _("Referred"),
        "knows": _("Knows"),
    }

    from_customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="relations_out"
    )
    to_customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="relations_in")
    kind = models.CharField(_("relation"), max_length=20, choices=Kind.choices)
    role = models.CharField(_("role"), max_length=100, blank=True)
    since = models.DateField(_("since"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["from_customer", "to_customer", "kind"], name="relation_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(from_customer=models.F("to_customer")),
                name="relation_not_self",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_customer} {self.get_kind_display()} {self.to_customer}"

    def audit_customer_id(self) -> int | None:
        return self.from_customer_id

    def label_from(self, customer_id: int) -> str:
        """The relation as read from ``customer_id``'s side."""
        if customer_id == self.from_customer_id:
            return str(self.get_kind_display())
        return str(self.INVERSE[self.kind])


class Channel(models.TextChoices):
    STORE = "store", _("Store visit")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    WEB = "web", _("Web")
    CHAT = "chat", _("Chat")
    FAX = "fax", _("Fax")
    MAIL = "mail", _("Mail")
    PARTNER = "partner", _("Channel partner")
    FIELD = "field", _("Field visit")


class Department(models.TextChoices):
    SALES = "sales", _("Sales")
    SERVICE = "service", _("Service")
    BILLING = "billing", _("Billing")
    MARKETING = "marketing", _("Marketing")
    PARTNER = "partner", _("Channel partner")


class Interaction(Audited, TimeStamped):
    """One contact with a customer on any channel, by any department (A3, A6)."""

    class Direction(models.TextChoices):
        INBOUND = "in", _("Inbound")
        OUTBOUND = "out", _("Outbound")

    class Outcome(models.TextChoices):
        DONE = "done", _("Done")
        NO_ANSWER = "no_answer", _("No answer")
        FOLLOW_UP = "follow_up", _("Follow-up needed")
        RESOLVED = "resolved", _("Resolved")
        COMPLAINT = "complaint", _("Complaint raised")
        SALE = "sale", _("Sale")

    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="interactions",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    direction = models.CharField(
        _("direction"), max_length=3, choices=Direction.choices, default=Direction.OUTBOUND
    )
    department = models.CharField(
        _("department"), max_length=10, choices=Department.choices, default=Department.SALES
    )
    subject = models.CharField(_("subject"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interactions",
    )
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("channel partner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"), null=True, blank=True, validators=[MaxValueValidator(24 * 60)]
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    external_id = models.CharField(max_length=100, null=True, blank=True, unique=True)
    # The follow-up this contact asks for: it stands until a later contact is logged, and
    # meanwhile it is on the owner's due list (kehu.core.duelist) from that day on.
    next_contact_on = models.DateField(_("next contact on"), null=True, blank=True)
    next_contact_purpose = models.CharField(
        _("purpose of the next contact"), max_length=200, blank=True
    )

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["customer", "-occurred_at"])]

    def __str__(self) -> str:
        return self.subject


# Models kept in modules of their own (size), registered with the app by this import; the
# rest of the code may import them from here as before.
from kehu.customers.models_owner import OwnerHistory  # noqa: E402
from kehu.customers.models_search import SearchKey  # noqa: E402

__all__ = [
    "Address",
    "Channel",
    "ContactPoint",
    "Customer",
    "CustomerShare",
    "Department",
    "Interaction",
    "OwnerHistory",
    "Relation",
    "SearchKey",
    "Tag",
]
