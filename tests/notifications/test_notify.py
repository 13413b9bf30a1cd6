"""notify stores the in-app message; it is e-mailed only when mail is configured."""

from __future__ import annotations

from django.core import mail

from kehu.notifications import selectors, services
from kehu.notifications.models import Notification


def test_notify_stores_for_the_recipient_only(org):
    services.notify(
        recipient=org.sam, title="Ticket overdue", url="/service/1/", kind="t", by=org.mia
    )
    assert selectors.unread_count(org.sam) == 1
    assert selectors.unread_count(org.alice) == 0
    n = Notification.objects.get()
    assert (n.created_by, n.url, n.read_at) == (org.mia, "/service/1/", None)


def test_outside_links_are_dropped(org):
    n = services.notify(recipient=org.sam, title="x", url="https://evil.example/", kind="t")
    assert n.url == ""


def test_no_mail_unless_configured(org, settings, django_capture_on_commit_callbacks):
    settings.KEHU_NOTIFY_EMAIL = False
    org.sam.email = "sam@example.com"
    org.sam.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipient=org.sam, title="Hello", url="/", kind="t")
    assert mail.outbox == []


def test_mail_when_configured(org, settings, django_capture_on_commit_callbacks):
    settings.KEHU_NOTIFY_EMAIL = True
    settings.KEHU_BASE_URL = "https://kehu.example"
    org.sam.email = "sam@example.com"
    org.sam.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipient=org.sam, title="工单超时", url="/service/7/", kind="t", body="Hi")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["sam@example.com"]
    assert mail.outbox[0].subject == "工单超时"
    assert "https://kehu.example/service/7/" in mail.outbox[0].body
