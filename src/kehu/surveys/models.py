"""Surveys (E1, E2, E11): what is asked (``Survey`` with its ``Question`` texts in both
languages), who was asked (``Invitation``, one per customer and ticket or order, with the hash
of a one-time token), and what they answered (``Response``, per customer).

The score of a CSAT survey is 1-5 and of an NPS survey 0-10; 5 ("completely satisfied") is
kept apart from 4 ("satisfied") everywhere: only the completely satisfied are loyal. A
response keeps the team, agent, category and tier it was given under, so results by month are
not rewritten when a ticket is reassigned or a customer changes tier.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kehu.core.audit import Audited
from kehu.core.models import Team, TimeStamped
from kehu.customers.models import Customer
from kehu.sales.models import Order
from kehu.service.models import Ticket


def _in_language(en: str, zh: str) -> str:
    lang = (get_language() or "en").lower()
    if lang.startswith("zh"):
        return zh or en
    return en or zh


class Survey(Audited, TimeStamped):
    class Kind(models.TextChoices):
        CSAT_TICKET = "csat_ticket", _("CSAT after a resolved ticket")
        CSAT_ORDER = "csat_order", _("CSAT after a purchase")
        NPS = "nps", _("NPS (recommend, 0-10)")
        RESEARCH = "research", _("Loyalty research")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    intro_zh = models.TextField(_("introduction (Chinese)"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # How long an invitation's link stays valid.
    valid_days = models.PositiveSmallIntegerField(_("link valid (days)"), default=14)
    # NPS: how often a customer is asked (a quarter by default).
    every_days = models.PositiveSmallIntegerField(_("ask every (days)"), default=91)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("survey")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self.name_en, self.name_zh)

    @property
    def intro(self) -> str:
        return _in_language(self.intro_en, self.intro_zh)

    @property
    def score_range(self) -> tuple[int, int] | None:
        if self.kind in (self.Kind.CSAT_TICKET, self.Kind.CSAT_ORDER):
            return (1, 5)
        if self.kind == self.Kind.NPS:
            return (0, 10)
        return None


class Question(models.Model):
    """A question of a research survey (CSAT and NPS ask their one score question)."""

    class Kind(models.TextChoices):
        RATING = "rating", _("Rating 1-5")
        CHOICE = "choice", _("Choice")
        TEXT = "text", _("Text")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    text_en = models.CharField(_("question (English)"), max_length=300)
    text_zh = models.CharField(_("question (Chinese)"), max_length=300)
    # Choice questions: [{"en": "...", "zh": "..."}, ...]; the answer stores the index.
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        ordering = ["survey", "position", "id"]
        verbose_name = _("question")

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return _in_language(self.text_en, self.text_zh)

    def choice_labels(self) -> list[str]:
        return [_in_language(c.get("en", ""), c.get("zh", "")) for c in self.choices or []]


class Invitation(Audited, TimeStamped):
    """One customer asked one survey (about one ticket or order where relevant). The link's
    token is shown once, when the invitation is made; only its SHA-256 is stored."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="invitations")
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="survey_invitations"
    )
    ticket = models.ForeignKey(
        Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("expires"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_by_email = models.BooleanField(default=False)
    used_at = models.DateTimeField(_("answered"), null=True, blank=True)
    # When the NPS schedule asked (its "now"), for the next quarter's check.
    asked_on = models.DateField(_("asked on"))
    audit_exclude = ("updated_at", "token_hash")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("survey invitation")
        indexes = [
            models.Index(fields=["customer", "survey", "-asked_on"]),
            models.Index(fields=["survey", "-asked_on"]),
        ]
        constraints = [
            # One CSAT invitation per resolved ticket and per order.
            models.UniqueConstraint(
                fields=["survey", "ticket"], condition=Q(ticket__isnull=False),
                name="survey_invitation_one_per_ticket",
            ),
            models.UniqueConstraint(
                fields=["survey", "order"], condition=Q(order__isnull=False),
                name="survey_invitation_one_per_order",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.survey} → {self.customer_id}"


class Response(Audited, TimeStamped):
    class Source(models.TextChoices):
        LINK = "link", _("Survey link")
        PORTAL = "portal", _("Customer portal")
        STAFF = "staff", _("Entered by staff")
        DEMO = "demo", _("Demo data")

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    kind = models.CharField(_("kind"), max_length=12, choices=Survey.Kind.choices)
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="response"
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="survey_responses"
    )
    ticket = models.ForeignKey(
        Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    score = models.SmallIntegerField(_("score"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    # Research surveys: {question id: value} (rating 1-5, choice index, text).
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    answered_at = models.DateTimeField(_("answered"))
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    # What the answer is reported under, as it was when given.
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    category = models.CharField(_("category"), max_length=100, blank=True)
    tier = models.CharField(_("tier"), max_length=10, blank=True)

    class Meta:
        ordering = ["-answered_at", "-id"]
        verbose_name = _("survey response")
        indexes = [
            models.Index(fields=["kind", "answered_at"]),
            models.Index(fields=["customer", "-answered_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "ticket"], condition=Q(ticket__isnull=False),
                name="survey_response_one_per_ticket",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.score}"

    @property
    def completely_satisfied(self) -> bool:
        return self.kind in (Survey.Kind.CSAT_TICKET, Survey.Kind.CSAT_ORDER) and self.score == 5
