"""Survey writes: the standard surveys, invitations (with their one-time token), answers by
link, portal or staff, and the e-mail that carries the link. Keyword-only, atomic, with an
explicit actor ``by``; invitations and responses are audited through their models.

Answering by link: the token's invitation is locked, refused when unknown, answered or
expired (``TokenRefused``, nothing written), and the answer is validated whole before
anything is saved (``ValidationError`` naming the field).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kehu.core import audit
from kehu.customers.models import Customer
from kehu.sales.models import Order
from kehu.service.models import Ticket
from kehu.surveys.models import Invitation, Question, Response, Survey
from kehu.surveys.tokens import hash_token, new_token

log = logging.getLogger(__name__)
K = Survey.Kind
CSAT_KINDS = (K.CSAT_TICKET, K.CSAT_ORDER)
MAX_COMMENT = 2000

# The standard surveys, made on first use (an administrator may edit their texts).
STANDARD: dict[str, dict[str, str]] = {
    K.CSAT_TICKET: {
        "name_en": "How satisfied are you with how we handled your request?",
        "name_zh": "您对我们处理您的问题是否满意？",
        "intro_en": "1 = very dissatisfied, 5 = completely satisfied.",
        "intro_zh": "1 = 非常不满意，5 = 完全满意。",
    },
    K.CSAT_ORDER: {
        "name_en": "How satisfied are you with your purchase?",
        "name_zh": "您对这次购买是否满意？",
        "intro_en": "1 = very dissatisfied, 5 = completely satisfied.",
        "intro_zh": "1 = 非常不满意，5 = 完全满意。",
    },
    K.NPS: {
        "name_en": "How likely are you to recommend us to a friend or colleague?",
        "name_zh": "您有多大可能向朋友或同事推荐我们？",
        "intro_en": "0 = not at all likely, 10 = extremely likely.",
        "intro_zh": "0 = 完全不可能，10 = 极有可能。",
    },
}


class TokenRefused(Exception):
    """The link cannot be answered: ``reason`` is "unknown", "used" or "expired"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def standard_survey(kind: str) -> Survey:
    """The active survey of ``kind`` (CSAT or NPS), made with the standard texts if none."""
    survey = Survey.objects.filter(kind=kind, is_active=True).order_by("id").first()
    if survey is None:
        survey = Survey.objects.create(kind=kind, **STANDARD[kind])
    return survey


def _check_score(survey_kind: str, score: Any) -> int:
    low, high = (1, 5) if survey_kind in CSAT_KINDS else (0, 10)
    try:
        value = int(str(score).strip())
    except (TypeError, ValueError):
        value = None
    if value is None or not low <= value <= high or str(score).strip() != str(value):
        raise ValidationError(
            {"score": _("The score must be a whole number from %(low)d to %(high)d.")
             % {"low": low, "high": high}}
        )  # fmt: skip
    return value


def _check_comment(comment: str) -> str:
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise ValidationError(
            {"comment": _("The comment is too long (at most %(n)d characters).")
             % {"n": MAX_COMMENT}}
        )  # fmt: skip
    return comment


def _check_answers(survey: Survey, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Research answers by question id, each checked against its question."""
    clean: dict[str, Any] = {}
    for question in survey.questions.all():
        key = str(question.pk)
        raw = answers.get(key, "")
        raw = raw.strip() if isinstance(raw, str) else raw
        if raw in ("", None):
            if question.required:
                raise ValidationError(
                    {f"q{key}": _("“%(q)s” needs an answer.") % {"q": question.text}}
                )
            continue
        if question.kind == Question.Kind.RATING:
            try:
                value: Any = int(raw)
            except (TypeError, ValueError):
                value = None
            if value is None or not 1 <= value <= 5:
                raise ValidationError(
                    {f"q{key}": _("“%(q)s”: choose from 1 to 5.") % {"q": question.text}}
                )
        elif question.kind == Question.Kind.CHOICE:
            try:
                value = int(raw)
            except (TypeError, ValueError):
                value = None
            if value is None or not 0 <= value < len(question.choices or []):
                raise ValidationError(
                    {f"q{key}": _("“%(q)s”: choose one of the options.") % {"q": question.text}}
                )
        else:
            value = str(raw)
            if len(value) > MAX_COMMENT:
                raise ValidationError(
                    {f"q{key}": _("“%(q)s”: the answer is too long.") % {"q": question.text}}
                )
        clean[key] = value
    return clean


def _reported_under(customer: Customer, ticket: Ticket | None, order: Order | None) -> dict:
    if ticket is not None:
        return {"team_id": ticket.team_id, "agent_id": ticket.assigned_to_id,
                "category": ticket.category, "tier": customer.tier}  # fmt: skip
    if order is not None:
        return {"team_id": customer.team_id, "agent_id": order.sales_rep_id,
                "category": "", "tier": customer.tier}  # fmt: skip
    return {"team_id": customer.team_id, "agent_id": customer.owner_id, "category": "",
            "tier": customer.tier}  # fmt: skip


# --- invitations -------------------------------------------------------------------------


def answer_url(token: str) -> str:
    """The public page's address for ``token`` (absolute when KEHU_BASE_URL is set)."""
    base = getattr(settings, "KEHU_BASE_URL", "").rstrip("/")
    return f"{base}{reverse('survey_answer', args=[token])}"


@transaction.atomic
@audit.with_actor
def invitation_create(
    *,
    survey: Survey,
    customer: Customer,
    by: Any,
    ticket: Ticket | None = None,
    order: Order | None = None,
    now: dt.datetime | None = None,
    email: bool = True,
) -> tuple[Invitation, str | None]:
    """Invite ``customer``; returns the invitation and its token (shown once). A ticket or
    order already invited returns its invitation and None (one invitation each). ``email``:
    mail the link (after commit) when the customer has an address."""
    now = now or timezone.now()
    keyed = {"ticket": ticket} if ticket is not None else {"order": order} if order else None
    if keyed is not None:
        existing = Invitation.objects.filter(survey=survey, **keyed).first()
        if existing is not None:
            return existing, None
    token = new_token()
    invitation = Invitation(
        survey=survey, customer=customer, ticket=ticket, order=order,
        token_hash=hash_token(token), expires_at=now + dt.timedelta(days=survey.valid_days),
        asked_on=timezone.localdate(now),
    )  # fmt: skip
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError:  # the same ticket invited at the same moment elsewhere
        return Invitation.objects.get(survey=survey, **(keyed or {})), None
    if email and customer.email:
        transaction.on_commit(lambda: send_invitation_email(invitation=invitation, token=token))
    return invitation, token


@transaction.atomic
@audit.with_actor
def invitation_reissue(*, invitation: Invitation, by: Any, now: dt.datetime | None = None) -> str:
    """A new link for an unanswered invitation (to text or show as a QR code): the old link
    stops working, the validity starts again."""
    now = now or timezone.now()
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.used_at is not None:
        raise ValidationError({"invitation": _("This survey has already been answered.")})
    token = new_token()
    invitation.token_hash = hash_token(token)
    invitation.expires_at = now + dt.timedelta(days=invitation.survey.valid_days)
    invitation.save()
    return token


def invitation_text(invitation: Invitation, token: str, *, language: str = "zh-hans") -> str:
    """The message carrying the link (e-mail body, SMS text to copy)."""
    with translation.override(language):
        return _("%(customer)s, %(question)s Please answer here: %(url)s") % {
            "customer": invitation.customer.name,
            "question": invitation.survey.name,
            "url": answer_url(token),
        }


def send_invitation_email(*, invitation: Invitation, token: str) -> bool:
    address = invitation.customer.email
    if not address:
        return False
    with translation.override(getattr(settings, "LANGUAGE_CODE", "zh-hans")):
        subject = invitation.survey.name
        body = invitation_text(invitation, token, language=translation.get_language())
    try:
        send_mail(subject, body, None, [address])
    except OSError as exc:  # a mail server down must not undo the invitation
        log.warning("survey invitation %s: mail failed: %s", invitation.pk, exc)
        return False
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now(), sent_by_email=True)
    return True


# --- answers -------------------------------------------------------------------------------


def invitation_for_token(token: str, *, now: dt.datetime | None = None) -> Invitation:
    """The invitation ``token`` opens, or ``TokenRefused`` (nothing changes)."""
    now = now or timezone.now()
    invitation = (
        Invitation.objects.select_related("survey", "customer")
        .filter(token_hash=hash_token(token or ""))
        .first()
    )
    if invitation is None:
        raise TokenRefused("unknown")
    if invitation.used_at is not None:
        raise TokenRefused("used")
    if now >= invitation.expires_at:
        raise TokenRefused("expired")
    return invitation


@transaction.atomic
@audit.with_actor
def answer_by_token(
    *,
    token: str,
    score: Any = None,
    comment: str = "",
    answers: Mapping[str, Any] | None = None,
    by: Any = None,
    now: dt.datetime | None = None,
) -> Response:
    now = now or timezone.now()
    found = invitation_for_token(token, now=now)
    # Locked and checked again: two submissions of one link race for one answer.
    invitation = (
        Invitation.objects.select_for_update().select_related("survey", "customer").get(pk=found.pk)
    )
    if invitation.used_at is not None:
        raise TokenRefused("used")
    survey = invitation.survey
    value = None if survey.kind == K.RESEARCH else _check_score(survey.kind, score)
    clean_comment = _check_comment(comment)
    clean_answers = _check_answers(survey, answers or {}) if survey.kind == K.RESEARCH else {}
    # Rated already in the portal: the ticket has its one rating.
    rated = Response.objects.filter(kind=K.CSAT_TICKET, ticket=invitation.ticket)
    if survey.kind == K.CSAT_TICKET and invitation.ticket_id is not None and rated.exists():
        raise TokenRefused("used")
    ticket = invitation.ticket
    order = invitation.order
    response = Response.objects.create(
        survey=survey, kind=survey.kind, invitation=invitation, customer=invitation.customer,
        ticket=ticket, order=order, score=value, comment=clean_comment, answers=clean_answers,
        answered_at=now, source=Response.Source.LINK,
        **_reported_under(invitation.customer, ticket, order),
    )  # fmt: skip
    invitation.used_at = now
    invitation.save()
    return response


@transaction.atomic
@audit.with_actor
def record_ticket_csat(
    *,
    ticket: Ticket,
    score: Any,
    comment: str = "",
    by: Any = None,
    source: str = Response.Source.PORTAL,
    now: dt.datetime | None = None,
) -> Response:
    """The customer's rating (1-5) of how ``ticket`` was handled, from the portal (or staff
    entering it). One rating per ticket: rating again changes it. The ticket's open survey
    link is marked answered, so it cannot add a second rating."""
    now = now or timezone.now()
    value = _check_score(K.CSAT_TICKET, score)
    clean_comment = _check_comment(comment)
    if source not in Response.Source.values:
        raise ValidationError({"source": _("Unknown source %(s)r.") % {"s": source}})
    ticket = Ticket.objects.select_related("customer").get(pk=ticket.pk)
    survey = standard_survey(K.CSAT_TICKET)
    existing = (
        Response.objects.select_for_update().filter(kind=K.CSAT_TICKET, ticket=ticket).first()
    )
    if existing is not None:
        existing.score = value
        existing.comment = clean_comment
        existing.answered_at = now
        existing.source = source
        existing.save()
        return existing
    invitation = (
        Invitation.objects.select_for_update()
        .filter(ticket=ticket, survey__kind=K.CSAT_TICKET, used_at__isnull=True)
        .first()
    )
    response = Response.objects.create(
        survey=invitation.survey if invitation else survey, kind=K.CSAT_TICKET,
        invitation=invitation, customer=ticket.customer, ticket=ticket, score=value,
        comment=clean_comment, answered_at=now, source=source,
        **_reported_under(ticket.customer, ticket, None),
    )  # fmt: skip
    if invitation is not None:
        invitation.used_at = now
        invitation.save()
    return response


@transaction.atomic
@audit.with_actor
def invite_ticket_csat(
    *, ticket: Ticket, by: Any, now: dt.datetime | None = None
) -> tuple[Invitation, str | None]:
    """The CSAT invitation of a resolved ticket (once per ticket)."""
    return invitation_create(
        survey=standard_survey(K.CSAT_TICKET), customer=ticket.customer, ticket=ticket,
        by=by, now=now,
    )  # fmt: skip


@transaction.atomic
@audit.with_actor
def research_survey_create(
    *, by: Any, fields: Mapping[str, Any], questions: list[Mapping[str, Any]]
) -> Survey:
    """A loyalty research survey with its questions, in the order given."""
    if not questions:
        raise ValidationError({"questions": _("A research survey needs at least one question.")})
    survey = Survey(kind=K.RESEARCH, created_by=by if getattr(by, "pk", None) else None, **fields)
    survey.full_clean()
    survey.save()
    for position, q in enumerate(questions):
        question = Question(
            survey=survey, position=position, kind=q["kind"], text_en=q["text_en"],
            text_zh=q["text_zh"], choices=q.get("choices") or [], required=q.get("required", True),
        )  # fmt: skip
        question.full_clean()
        question.save()
    return survey
