"""Bad input to the service pages is a 4xx naming the problem; nothing is written."""

from __future__ import annotations

from kehu.core.models import AuditEvent
from kehu.service.models import Ticket, TicketMessage
from tests.conftest import login
from tests.service.helpers import ticket


def _unchanged(t, audit_before):
    assert not TicketMessage.objects.filter(ticket=t).exists()
    assert Ticket.objects.get(pk=t.pk).status == t.status
    assert AuditEvent.objects.count() == audit_before


def test_empty_reply(client, org):
    t = ticket(org)
    before = AuditEvent.objects.count()
    response = login(client, org.sam).post(f"/service/{t.pk}/reply/", {"body": "  "})
    assert response.status_code == 400
    _unchanged(t, before)


def test_forbidden_transition(client, org):
    t = ticket(org)
    before = AuditEvent.objects.count()
    response = login(client, org.sam).post(f"/service/{t.pk}/status/", {"status": "reopened"})
    assert response.status_code == 400
    response = login(client, org.sam).post(f"/service/{t.pk}/status/", {"status": "frozen"})
    assert response.status_code == 400
    _unchanged(t, before)


def test_complaint_resolved_without_resolution(client, org):
    t = ticket(org, kind="complaint")
    before = AuditEvent.objects.count()
    response = login(client, org.sam).post(f"/service/{t.pk}/resolve/", {"resolution": ""})
    assert response.status_code == 400
    assert "resolution" in response.content.decode().lower() or "解决" in response.content.decode()
    _unchanged(t, before)


def test_new_ticket_without_subject(client, org):
    response = login(client, org.sam).post(
        f"/service/new/?customer={org.customer.pk}", {"kind": "nonsense", "priority": "high"}
    )
    assert response.status_code == 400
    assert not Ticket.objects.exists()


def test_new_ticket_for_unknown_customer(client, org):
    assert login(client, org.sam).get("/service/new/?customer=999999").status_code == 404
    assert login(client, org.sam).get("/service/new/?customer=abc").status_code in (400, 404)


def test_disallowed_attachment_type(client, org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    t = ticket(org)
    before = AuditEvent.objects.count()
    bad = SimpleUploadedFile("run.exe", b"MZ...", content_type="application/x-msdownload")
    response = login(client, org.sam).post(
        f"/service/{t.pk}/reply/", {"body": "见附件", "attachments": bad}
    )
    assert response.status_code == 400
    _unchanged(t, before)


def test_attachment_stored_and_downloaded_by_those_who_see(client, org, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    t = ticket(org)
    ok = SimpleUploadedFile("发票.pdf", b"%PDF-1.4", content_type="application/pdf")
    assert (
        login(client, org.sam)
        .post(f"/service/{t.pk}/reply/", {"body": "见附件", "attachments": ok})
        .status_code
        == 302
    )
    att = TicketMessage.objects.get(ticket=t).attachments.get()
    assert login(client, org.alice).get(f"/service/attachments/{att.pk}/").status_code == 200
    assert login(client, org.charlie).get(f"/service/attachments/{att.pk}/").status_code == 404
    assert login(client, org.ana).get(f"/service/attachments/{att.pk}/").status_code == 404
