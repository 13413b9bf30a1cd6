"""The customer self-service portal (E8): who may sign in for which customer, the one-time
sign-in links they are sent. Ratings of resolved tickets are kehu.surveys' CSAT responses."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kehu.core.models import TimeStamped
from kehu.customers.models import Customer


class PortalAccess(TimeStamped):
    """A portal user (role ``customer``) and the one customer whose records they see.

    Kept here rather than on core's Profile: core needs no migration, and
    ``visible_customers`` reaches it through the reverse relation ``portal_accesses``."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portal_access"
    )
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="portal_accesses",
    )
    email = models.EmailField(_("email"), unique=True)
    name = models.CharField(_("name"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_signed_in_at = models.DateTimeField(_("last signed in"), null=True, blank=True)

    class Meta:
        verbose_name = _("portal access")

    def __str__(self) -> str:
        return self.email


class PortalToken(models.Model):
    """A one-time sign-in link. Only the SHA-256 of the random part is stored; the link also
    carries a timestamped signature, so an expired or altered link is refused before the
    database is asked."""

    class Purpose(models.TextChoices):
        INVITE = "invite", _("Invitation")
        LOGIN = "login", _("Sign-in link")

    access = models.ForeignKey(PortalAccess, on_delete=models.CASCADE, related_name="tokens")
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    requested_from = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("portal sign-in link")

    def __str__(self) -> str:
        return f"{self.access} {self.purpose}"
