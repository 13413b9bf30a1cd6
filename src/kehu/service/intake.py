"""E-mail intake (E3): messages from an ``.eml`` file, an mbox or an IMAP mailbox become
tickets, or replies on the ticket whose token (``[#T123]``) their subject carries.

The sender is matched to a customer by e-mail address (the customer's own, then their
e-mail contact points); a message from nobody known goes to the unmatched queue
(``UnmatchedEmail``) for an agent to attach. A message already taken in (same Message-ID) is
skipped, so a mailbox can be read again safely. Subjects and bodies in any charset Python
knows (GB2312, GBK, GB18030, UTF-8, Big5…) are decoded by the standard library's
``email.policy.default``.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import email.utils
import html
import imaplib
import mailbox
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from django.db.models import Q

from kehu.core import audit
from kehu.customers.models import ContactPoint, Customer
from kehu.service import services
from kehu.service.models import Ticket, TicketMessage, UnmatchedEmail

TOKEN = re.compile(r"\[#T(\d+)\]")
TAGS = re.compile(r"<[^>]+>")
MAX_BODY = 100_000


@dataclass
class IntakeResult:
    created: int = 0
    threaded: int = 0
    unmatched: int = 0
    skipped: int = 0

    def line(self) -> str:
        return (
            f"created {self.created}, threaded {self.threaded}, "
            f"unmatched {self.unmatched}, skipped {self.skipped}"
        )


def parse(raw: bytes) -> EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.default)  # type: ignore[return-value]


def body_of(msg: EmailMessage) -> str:
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        text = part.get_content()
    except (LookupError, UnicodeError):
        payload = part.get_payload(decode=True)
        raw = payload if isinstance(payload, bytes) else b""
        text = raw.decode("gb18030", errors="replace")  # the usual undeclared Chinese mail
    if part.get_content_type() == "text/html":
        text = html.unescape(TAGS.sub(" ", text))
    return text.strip()[:MAX_BODY]


def find_customer(address: str) -> Customer | None:
    if not address:
        return None
    live = Q(is_archived=False, merged_into__isnull=True)
    customer = Customer.objects.filter(live, email__iexact=address).order_by("id").first()
    if customer is not None:
        return customer
    point = (
        ContactPoint.objects.filter(kind="email", value__iexact=address)
        .filter(customer__is_archived=False, customer__merged_into__isnull=True)
        .select_related("customer")
        .order_by("id")
        .first()
    )
    return point.customer if point is not None else None


def take_in(msg: EmailMessage, result: IntakeResult) -> None:
    message_id = str(msg.get("Message-ID", "") or "").strip()[:255]
    if message_id and (
        TicketMessage.objects.filter(message_id=message_id).exists()
        or UnmatchedEmail.objects.filter(message_id=message_id).exists()
    ):
        result.skipped += 1
        return
    subject = str(msg.get("Subject", "") or "").strip() or "(no subject)"
    _name, address = email.utils.parseaddr(str(msg.get("From", "") or ""))
    body = body_of(msg) or subject
    token = TOKEN.search(subject)
    ticket = Ticket.objects.filter(pk=int(token.group(1))).first() if token else None
    customer = find_customer(address)
    # A token only threads a message from the ticket's own customer:
    # a stranger quoting [#T12] must not write into someone else's ticket.
    if ticket is not None and customer is not None and customer.pk == ticket.customer_id:
        services.ticket_incoming(ticket=ticket, by=None, body=body, sender=address,
                                 message_id=message_id)  # fmt: skip
        result.threaded += 1
        return
    if customer is None:
        UnmatchedEmail.objects.create(
            sender=address[:254], subject=subject[:200], body=body, message_id=message_id
        )
        result.unmatched += 1
        return
    ticket = services.ticket_create(
        customer=customer,
        by=None,
        subject=TOKEN.sub("", subject).strip()[:200] or subject[:200],
        kind=Ticket.Kind.REQUEST,
        channel=Ticket.Channel.EMAIL,
    )
    services.ticket_incoming(ticket=ticket, by=None, body=body, sender=address,
                             message_id=message_id)  # fmt: skip
    result.created += 1


def from_files(paths: Iterable[Path]) -> Iterator[EmailMessage]:
    for path in paths:
        yield parse(Path(path).read_bytes())


def from_mbox(path: Path) -> Iterator[EmailMessage]:
    box = mailbox.mbox(str(path), create=False)
    try:
        for key in box.iterkeys():
            raw = box.get_bytes(key)
            yield parse(raw)
    finally:
        box.close()


def from_imap(
    *, host: str, user: str, password: str, folder: str = "INBOX", port: int | None = None,
    ssl: bool = True,
) -> Iterator[EmailMessage]:  # fmt: skip
    """Unseen messages of ``folder``; each is marked seen once taken in."""
    client: Any = imaplib.IMAP4_SSL(host, port or 993) if ssl else imaplib.IMAP4(host, port or 143)
    try:
        client.login(user, password)
        client.select(folder)
        _status, data = client.search(None, "UNSEEN")
        for num in (data[0] or b"").split():
            _status, parts = client.fetch(num, "(RFC822)")
            raw = next((p[1] for p in parts if isinstance(p, tuple)), b"")
            yield parse(raw)
            client.store(num, "+FLAGS", "\\Seen")
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            client.logout()


def run(messages: Iterable[EmailMessage]) -> IntakeResult:
    result = IntakeResult()
    with audit.acting_as(None, "intake"):
        for msg in messages:
            take_in(msg, result)
    return result
