"""Every survey page per persona: reports (results, the loyalty curve and its export) for
managers, analysts and administrators; answers and surveys for staff but not partner users;
defining a survey for managers and administrators; a customer's link for whoever may change
the customer. Refusals change nothing (no survey, no invitation, no audit event)."""

from __future__ import annotations

import pytest

from kehu.core.models import AuditEvent
from kehu.surveys import services
from kehu.surveys.models import Invitation, Survey
from tests.conftest import login
from tests.surveys.helpers import resolved_ticket

REPORT_PAGES = ["/surveys/", "/surveys/loyalty/", "/surveys/loyalty.csv"]
STAFF_PAGES = ["/surveys/responses/", "/surveys/manage/"]
EXPECTED_REPORTS = {"alice": 403, "bob": 403, "charlie": 403, "mia": 200, "sam": 403,
                    "ana": 200, "pat": 403, "quinn": 403, "root": 200}  # fmt: skip
EXPECTED_STAFF = {"alice": 200, "bob": 200, "charlie": 200, "mia": 200, "sam": 200,
                  "ana": 200, "pat": 403, "quinn": 403, "root": 200}  # fmt: skip


@pytest.fixture
def answered(org):
    ticket = resolved_ticket(org)
    services.record_ticket_csat(ticket=ticket, score=5, comment="师傅很专业，电话13800138000")
    return ticket


@pytest.mark.parametrize("persona", sorted(EXPECTED_REPORTS))
def test_report_pages(org, answered, client, persona):
    login(client, getattr(org, persona))
    for url in REPORT_PAGES:
        assert client.get(url).status_code == EXPECTED_REPORTS[persona], url


@pytest.mark.parametrize("persona", sorted(EXPECTED_STAFF))
def test_staff_pages(org, answered, client, persona):
    login(client, getattr(org, persona))
    for url in STAFF_PAGES:
        assert client.get(url).status_code == EXPECTED_STAFF[persona], url


def test_answers_list_by_visibility_and_masked_for_analysts(org, answered, client):
    body = login(client, org.alice).get("/surveys/responses/").content.decode()
    assert "张伟" in body and "师傅很专业" in body
    # charlie (South) does not see alice's customer.
    body = login(client, org.charlie).get("/surveys/responses/").content.decode()
    assert "张伟" not in body
    body = login(client, org.ana).get("/surveys/responses/").content.decode()
    assert "张伟" in body and "师傅很专业" not in body and "13800138000" not in body


def test_unauthenticated_is_sent_to_sign_in(client, db):
    for url in REPORT_PAGES + STAFF_PAGES:
        assert client.get(url).status_code == 302, url


@pytest.mark.parametrize("persona,status", [("alice", 403), ("sam", 403), ("ana", 403),
                                            ("pat", 403), ("mia", 200), ("root", 200)])  # fmt: skip
def test_defining_a_research_survey(org, client, persona, status):
    login(client, getattr(org, persona))
    assert client.get("/surveys/manage/new/").status_code == status
    events = AuditEvent.objects.count()
    data = {
        "name_zh": "您最看重什么？", "name_en": "What do you value most?", "intro_zh": "",
        "intro_en": "", "valid_days": "30",
        "q-TOTAL_FORMS": "2", "q-INITIAL_FORMS": "0", "q-MIN_NUM_FORMS": "1", "q-MAX_NUM_FORMS": "20",
        "q-0-kind": "choice", "q-0-text_zh": "最看重", "q-0-text_en": "Most valued",
        "q-0-choices_zh": "价格\n服务", "q-0-choices_en": "Price\nService", "q-0-required": "on",
        "q-1-kind": "text", "q-1-text_zh": "建议", "q-1-text_en": "Suggestions",
    }  # fmt: skip
    response = client.post("/surveys/manage/new/", data)
    if status == 200:
        assert response.status_code == 302
        survey = Survey.objects.get(kind="research")
        assert [q.kind for q in survey.questions.all()] == ["choice", "text"]
        assert survey.questions.first().choices == [{"zh": "价格", "en": "Price"},
                                                    {"zh": "服务", "en": "Service"}]  # fmt: skip
    else:
        assert response.status_code == 403
        assert not Survey.objects.filter(kind="research").exists()
        assert AuditEvent.objects.count() == events


def test_choice_question_with_mismatched_choices_is_400(org, client):
    login(client, org.mia)
    data = {
        "name_zh": "调研", "name_en": "Research", "valid_days": "30",
        "q-TOTAL_FORMS": "1", "q-INITIAL_FORMS": "0", "q-MIN_NUM_FORMS": "1", "q-MAX_NUM_FORMS": "20",
        "q-0-kind": "choice", "q-0-text_zh": "最看重", "q-0-text_en": "Most valued",
        "q-0-choices_zh": "价格\n服务", "q-0-choices_en": "Price",
    }  # fmt: skip
    response = client.post("/surveys/manage/new/", data)
    assert response.status_code == 400
    assert "中英文选项数量须相同" in response.content.decode()
    assert not Survey.objects.filter(kind="research").exists()


@pytest.mark.parametrize("persona,status", [("alice", 200), ("mia", 200), ("sam", 200),
                                            ("charlie", 404), ("ana", 403), ("pat", 403)])  # fmt: skip
def test_sending_a_customer_a_survey_link(org, client, persona, status):
    login(client, getattr(org, persona))
    events = AuditEvent.objects.count()
    response = client.post(f"/surveys/invite/{org.customer.pk}/", {"survey": "nps"})
    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        assert "<svg" in body and "/s/" in body
        assert Invitation.objects.filter(customer=org.customer, survey__kind="nps").count() == 1
    else:
        assert not Invitation.objects.exists()
        assert AuditEvent.objects.count() == events


def test_new_link_for_an_invitation(org, client):
    ticket = resolved_ticket(org)
    invitation = Invitation.objects.get(ticket=ticket)
    old_hash = invitation.token_hash
    login(client, org.charlie)
    assert client.post(f"/surveys/invitations/{invitation.pk}/link/").status_code == 404
    invitation.refresh_from_db()
    assert invitation.token_hash == old_hash
    login(client, org.sam)
    response = client.post(f"/surveys/invitations/{invitation.pk}/link/")
    assert response.status_code == 200 and "<svg" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.token_hash != old_hash
    page = client.get(f"/surveys/invitations/?customer={org.customer.pk}")
    assert page.status_code == 200 and f'data-invitation="{invitation.pk}"' in page.content.decode()
