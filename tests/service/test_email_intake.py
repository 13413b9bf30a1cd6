"""``kehu service intake``: .eml files with Chinese subjects (GB2312 and UTF-8 encoded words)
become tickets of the customer with the sender's address; a reply carrying the ticket's token
is threaded; an unknown sender waits in the unmatched queue; a message is taken in once."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from kehu.service import services
from kehu.service.models import Ticket, UnmatchedEmail

DATA = Path(__file__).resolve().parents[1] / "data" / "service"


def intake(*args: str) -> str:
    out = io.StringIO()
    call_command("service", "intake", *args, stdout=out)
    return out.getvalue().strip()


def test_gb2312_subject_becomes_ticket(org):
    assert intake("--eml", str(DATA / "complaint-gb2312.eml")) == (
        "created 1, threaded 0, unmatched 0, skipped 0"
    )
    t = Ticket.objects.get()
    assert (t.customer, t.subject, t.channel) == (org.customer, "投诉：冰箱不制冷", "email")
    m = t.messages.get()
    assert m.body == "买了三天的冰箱不制冷，请尽快上门。"
    assert m.sender == "zhang.wei@example.com" and m.kind == "incoming"


def test_utf8_subject_and_case_insensitive_address(org):
    intake("--eml", str(DATA / "question-utf8.eml"))
    t = Ticket.objects.get()
    assert (t.customer, t.subject) == (org.customer, "咨询：保修期多久？")
    assert "保修期" in t.messages.get().body


def test_same_message_twice_is_skipped(org):
    intake("--eml", str(DATA / "question-utf8.eml"))
    assert intake("--eml", str(DATA / "question-utf8.eml")).endswith("skipped 1")
    assert Ticket.objects.count() == 1


def test_unknown_sender_goes_to_unmatched(org):
    intake("--eml", str(DATA / "unknown-sender.eml"))
    assert not Ticket.objects.exists()
    mail = UnmatchedEmail.objects.get()
    assert (mail.sender, mail.subject) == ("stranger@unknown.example", "你好")
    assert "<谁> 在吗" in mail.body


def test_reply_threads_by_token_and_resumes(org, tmp_path):
    t = services.ticket_create(customer=org.customer, by=org.sam, subject="冰箱")
    services.ticket_reply(ticket=t, by=org.sam, body="请发照片", waiting=True)
    raw = (DATA / "question-utf8.eml").read_bytes()
    raw = raw.replace(b"<utf8-1@example.com>", b"<utf8-2@example.com>")
    raw = raw.replace(b"Subject: =?utf-8?B?", f"Subject: Re: [#T{t.pk}] =?utf-8?B?".encode())
    eml = tmp_path / "reply.eml"
    eml.write_bytes(raw)
    assert intake("--eml", str(eml)).startswith("created 0, threaded 1")
    t.refresh_from_db()
    assert t.status == "open" and t.messages.filter(kind="incoming").count() == 1


def test_stranger_cannot_write_into_a_ticket(org, tmp_path):
    t = services.ticket_create(customer=org.customer, by=org.sam, subject="冰箱")
    raw = (DATA / "unknown-sender.eml").read_bytes()
    raw = raw.replace(b"Subject: ", f"Subject: [#T{t.pk}] ".encode())
    (tmp_path / "x.eml").write_bytes(raw)
    intake("--eml", str(tmp_path / "x.eml"))
    assert not t.messages.exists()
    assert UnmatchedEmail.objects.count() == 1


def test_missing_file_is_bad_input(db):
    with pytest.raises(CommandError):
        intake("--eml", "/nonexistent.eml")
