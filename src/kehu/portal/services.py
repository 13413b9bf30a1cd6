"""Portal writes: inviting a customer's contact, sending and redeeming one-time sign-in links,
and what a signed-in customer does (open a ticket, reply, rate). Keyword-only, atomic,
audited, with the actor ``by``. Ticket writes go through kehu.service.services, so the
portal follows the same state rules (a reply reopens a resolved ticket) and deadlines.

Sign-in links: ``<random>:<timestamp>:<signature>`` (django.core.signing, salted). The
signature and its age are checked first (an altered or expired link is refused without a
database look-up); then the SHA-256 of the random part must match a stored, unused,
unexpired row, which is marked used in the same transaction (single use).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kehu.core import audit, permissions
from kehu.core.models import Profile, Role
from kehu.core.permissions import Action
from kehu.customers.models import Customer
from kehu.notifications.services import language_of
from kehu.portal.models import PortalAccess, PortalToken
from kehu.service import services as ticket_services
from kehu.service.models import Ticket, TicketMessage
from kehu.surveys import services as surveys

SALT = "kehu.portal.signin"
INVITE_DAYS = 7
LINK_MINUTES = 30
# Sign-in links one address may be sent within the window (on top of the per-address
# throttle of kehu.core.throttle, which counts every request).
LINKS_PER_EMAIL = 3
LINKS_WINDOW = dt.timedelta(minutes=15)


class LinkRefused(Exception):
    """A sign-in link that cannot be used; ``reason`` is one of expired, used, invalid."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def digest_of(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _minutes(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _issue(access: PortalAccess, purpose: str, *, address: str = "") -> str:
    """Store a new token's hash; return the signed link token (never stored)."""
    raw = secrets.token_urlsafe(32)
    if purpose == PortalToken.Purpose.INVITE:
        life = dt.timedelta(days=_minutes("KEHU_PORTAL_INVITE_DAYS", INVITE_DAYS))
    else:
        life = dt.timedelta(minutes=_minutes("KEHU_PORTAL_LINK_MINUTES", LINK_MINUTES))
    PortalToken.objects.create(
        access=access,
        purpose=purpose,
        digest=digest_of(raw),
        expires_at=timezone.now() + life,
        requested_from=address[:64],
    )
    return signing.TimestampSigner(salt=SALT).sign(raw)


def _link(token: str, base_url: str) -> str:
    path = reverse("portal:signin", args=[token])
    base = (getattr(settings, "KEHU_BASE_URL", "") or base_url).rstrip("/")
    return f"{base}{path}"


def _send(access: PortalAccess, *, purpose: str, link: str, customer: Customer) -> None:
    language = language_of(access.user)
    with translation.override(language):
        context = {"access": access, "link": link, "customer": customer, "purpose": purpose,
                   "site_name": settings.SITE_NAME}  # fmt: skip
        if purpose == PortalToken.Purpose.INVITE:
            subject = _("You are invited to the %(site)s customer portal") % {
                "site": settings.SITE_NAME
            }
        else:
            subject = _("Your sign-in link for the %(site)s customer portal") % {
                "site": settings.SITE_NAME
            }
        body = render_to_string("portal/email_link.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [access.email])


def _clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
    return email


@transaction.atomic
@audit.with_actor
def invite(
    *, customer: Customer, by: Any, email: str, name: str = "", base_url: str = ""
) -> PortalAccess:
    """Give a customer's contact portal access (a new portal user) and e-mail them a
    one-time sign-in link. Re-inviting the same address for the same customer sends a new
    link (and re-activates a revoked access); an address already used for another customer
    is refused (a portal user belongs to exactly one customer)."""
    permissions.require(by, Action.CHANGE, customer)
    if customer.is_archived:
        raise ValidationError({"customer": _("An archived customer cannot be invited.")})
    email = _clean_email(email)
    name = (name or "").strip()[:100]
    access = PortalAccess.objects.select_related("user").filter(email=email).first()
    if access is not None and access.customer_id != customer.pk:
        raise ValidationError(
            {"email": _("%(email)s already has portal access for another customer.")
             % {"email": email}}
        )  # fmt: skip
    users = get_user_model()
    if access is None:
        if users.objects.filter(username=f"portal:{email}"[:150]).exists():
            raise ValidationError({"email": _("%(email)s cannot be invited.") % {"email": email}})
        user = users.objects.create_user(username=f"portal:{email}"[:150], email=email)
        user.set_unusable_password()
        if name:
            user.first_name = name[:150]
        user.save()
        Profile.objects.create(user=user, role=Role.CUSTOMER)
        access = PortalAccess.objects.create(
            user=user, customer=customer, email=email, name=name, invited_by=by
        )
    else:
        access.is_active = True
        access.name = name or access.name
        access.invited_by = by
        access.save()
        if not access.user.is_active:
            access.user.is_active = True
            access.user.save(update_fields=["is_active"])
    token = _issue(access, PortalToken.Purpose.INVITE)
    audit.record(
        action="create",
        instance=access,
        customer_id=customer.pk,
        changes={"email": [None, email], "purpose": [None, "invite"]},
        summary=f"portal invitation {email}",
    )
    # Sent last: a failing mail server rolls the invitation back rather than leaving an
    # access nobody was told about.
    _send(
        access, purpose=PortalToken.Purpose.INVITE, link=_link(token, base_url), customer=customer
    )
    return access


@transaction.atomic
def request_link(*, email: str, address: str = "", base_url: str = "") -> bool:
    """ "E-mail me a sign-in link": sent when the address has active portal access and has
    not had too many links lately. Returns whether one was sent; the page says the same
    either way, so it does not reveal which addresses have access."""
    email = _clean_email(email)
    access = (
        PortalAccess.objects.select_related("user", "user__profile", "customer")
        .filter(email=email, is_active=True, user__is_active=True)
        .first()
    )
    if access is None:
        return False
    since = timezone.now() - LINKS_WINDOW
    recent = access.tokens.filter(purpose=PortalToken.Purpose.LOGIN, created_at__gte=since)
    if recent.count() >= int(getattr(settings, "KEHU_PORTAL_LINKS_PER_EMAIL", LINKS_PER_EMAIL)):
        return False
    token = _issue(access, PortalToken.Purpose.LOGIN, address=address)
    with audit.acting_as(access.user, "portal"):
        audit.record(
            action="create",
            instance=access,
            customer_id=access.customer_id,
            changes={"purpose": [None, "login"], "from": [None, address]},
            summary=f"portal sign-in link {email}",
        )
    _send(access, purpose=PortalToken.Purpose.LOGIN, link=_link(token, base_url),
          customer=access.customer)  # fmt: skip
    return True


def _unsign(token: str) -> str:
    max_age = dt.timedelta(days=_minutes("KEHU_PORTAL_INVITE_DAYS", INVITE_DAYS))
    try:
        return signing.TimestampSigner(salt=SALT).unsign(token, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkRefused("expired") from None
    except signing.BadSignature:
        raise LinkRefused("invalid") from None


def check_link(token: str) -> PortalToken:
    """The stored token a link stands for, without using it (the confirmation page)."""
    raw = _unsign(token)
    row = PortalToken.objects.select_related("access").filter(digest=digest_of(raw)).first()
    if row is None or not row.access.is_active:
        raise LinkRefused("invalid")
    if row.used_at is not None:
        raise LinkRefused("used")
    if row.expires_at <= timezone.now():
        raise LinkRefused("expired")
    return row


@transaction.atomic
def redeem(*, token: str) -> PortalAccess:
    """Use a sign-in link once: the caller then signs the access's user in."""
    row = check_link(token)
    # Locked and re-checked: two clicks at once use it once.
    row = PortalToken.objects.select_for_update().select_related("access__user").get(pk=row.pk)
    if row.used_at is not None:
        raise LinkRefused("used")
    now = timezone.now()
    row.used_at = now
    row.save(update_fields=["used_at"])
    access = row.access
    access.last_signed_in_at = now
    access.save(update_fields=["last_signed_in_at", "updated_at"])
    with audit.acting_as(access.user, "portal"):
        audit.record(
            action="update",
            instance=access,
            customer_id=access.customer_id,
            changes={"signed_in": [None, now.isoformat()], "purpose": [None, row.purpose]},
            summary=f"portal sign-in {access.email}",
        )
    return access


# --- what a signed-in customer does -----------------------------------------------------------


def access_of(user: Any) -> PortalAccess:
    """The portal user's active access, or 403 (staff, revoked, signed out)."""
    if permissions.role_of(user) != Role.CUSTOMER:
        raise PermissionDenied
    access = (
        PortalAccess.objects.select_related("customer").filter(user=user, is_active=True).first()
    )
    if access is None:
        raise PermissionDenied
    return access


@transaction.atomic
def open_ticket(
    *, by: Any, subject: str, description: str, kind: str = Ticket.Kind.QUESTION
) -> Ticket:
    access = access_of(by)
    subject = (subject or "").strip()
    description = (description or "").strip()
    if not subject:
        raise ValidationError({"subject": _("Please enter a subject.")})
    if len(subject) > 200:
        raise ValidationError({"subject": _("The subject is at most 200 characters.")})
    if not description:
        raise ValidationError({"description": _("Please describe your question or problem.")})
    if kind not in Ticket.Kind.values:
        raise ValidationError({"kind": _("Unknown kind %(k)r.") % {"k": kind}})
    return ticket_services.ticket_create(
        customer=access.customer, by=by, subject=subject, kind=kind,
        channel=Ticket.Channel.PORTAL, description=description,
    )  # fmt: skip


@transaction.atomic
def reply(*, by: Any, ticket: Ticket, body: str) -> TicketMessage:
    """The customer's message on their ticket (a resolved or closed one is reopened, a
    waiting one resumes: kehu.service.services.ticket_incoming)."""
    access = access_of(by)
    if ticket.customer_id != access.customer_id:
        raise PermissionDenied
    return ticket_services.ticket_incoming(ticket=ticket, by=by, body=body, sender=access.email)


@transaction.atomic
@audit.with_actor
def rate(*, by: Any, ticket: Ticket, score: Any, comment: str = "") -> Any:
    """The customer's rating of the answer to their resolved (or closed) ticket: stored as
    the ticket's CSAT response by kehu.surveys (one per ticket; rating again changes it), so
    the portal's ratings count in the satisfaction reports with the e-mailed surveys'."""
    access = access_of(by)
    if ticket.customer_id != access.customer_id:
        raise PermissionDenied
    if ticket.status not in Ticket.DONE:
        raise ValidationError({"score": _("Only a resolved ticket can be rated.")})
    return surveys.record_ticket_csat(
        ticket=ticket, score=score, comment=comment, by=by, source="portal"
    )
