"""Persona matrix for the knowledge-base pages: who reads which articles (internal ones staff
only, drafts their editors only, public ones everybody, visitors without an account too), who
writes, edits, publishes, drafts from a ticket and searches links (403 for a role that never
may; a refused request changes no article and writes no audit event)."""

from __future__ import annotations

import pytest

from kehu.knowledge.models import Article
from tests.conftest import login
from tests.knowledge.helpers import article, resolved_ticket, snapshot

PERSONAS = ["alice", "bob", "charlie", "mia", "sam", "ana", "pat", "quinn", "root", None]
EDITORS = {"mia", "sam", "root"}
STAFF = {"alice", "bob", "charlie", "mia", "sam", "ana", "root"}
SERVING = {"alice", "bob", "charlie", "mia", "sam", "root"}


def _client(client, org, who):
    return login(client, getattr(org, who)) if who else client


@pytest.fixture
def kb(org):
    return {
        "public": article(org, title_zh="公开文章", visibility="public"),
        "internal": article(org, title_zh="内部排查手册", visibility="internal"),
        "draft": article(org, title_zh="草稿文章", status="draft"),
    }


@pytest.mark.parametrize("who", PERSONAS)
def test_list_shows_what_each_may_read(client, org, kb, who):
    page = _client(client, org, who).get("/knowledge/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "公开文章" in text
    assert ("内部排查手册" in text) == (who in STAFF)
    assert ("草稿文章" in text) == (who in EDITORS)


@pytest.mark.parametrize("who", PERSONAS)
@pytest.mark.parametrize("which", ["public", "internal", "draft"])
def test_detail(client, org, kb, who, which):
    readers = {"public": set(PERSONAS), "internal": STAFF, "draft": EDITORS}[which]
    response = _client(client, org, who).get(f"/knowledge/{kb[which].pk}/")
    assert response.status_code == (200 if who in readers else 404)


@pytest.mark.parametrize("who", PERSONAS)
def test_new_page(client, org, who):
    status = _client(client, org, who).get("/knowledge/new/").status_code
    assert status == (200 if who in EDITORS else 302 if who is None else 403)


@pytest.mark.parametrize("who", PERSONAS)
def test_create(client, org, kb, who):
    before = snapshot()
    response = _client(client, org, who).post(
        "/knowledge/new/",
        {
            "title_zh": "新文章",
            "body_zh": "正文",
            "visibility": "internal",
            "status": "draft",
        },  # fmt: skip
    )
    created = Article.objects.filter(title_zh="新文章").first()
    if who in EDITORS:
        assert response.status_code == 302 and created is not None
        assert response["Location"] == f"/knowledge/{created.pk}/"
        assert created.author == getattr(org, who)
    else:
        assert response.status_code == (302 if who is None else 403)
        assert created is None and snapshot() == before


@pytest.mark.parametrize("who", PERSONAS)
def test_edit(client, org, kb, who):
    target = kb["public"]
    before = snapshot()
    response = _client(client, org, who).post(
        f"/knowledge/{target.pk}/edit/",
        {"title_zh": "改过的标题", "visibility": "public", "status": "published"},  # fmt: skip
    )
    target.refresh_from_db()
    if who in EDITORS:
        assert response.status_code == 302 and target.title_zh == "改过的标题"
    else:
        assert response.status_code == (302 if who is None else 403)
        assert target.title_zh == "公开文章" and snapshot() == before


@pytest.mark.parametrize("who", PERSONAS)
def test_publish(client, org, kb, who):
    draft = kb["draft"]
    before = snapshot()
    response = _client(client, org, who).post(f"/knowledge/{draft.pk}/publish/")
    draft.refresh_from_db()
    if who in EDITORS:
        assert response.status_code == 302
        assert draft.status == "published" and draft.published_at is not None
    else:
        assert response.status_code == (302 if who is None else 403)
        assert draft.status == "draft" and snapshot() == before


@pytest.mark.parametrize("who", PERSONAS)
def test_article_from_ticket(client, org, who):
    ticket = resolved_ticket(org)
    before = snapshot()
    response = _client(client, org, who).post(f"/knowledge/from-ticket/{ticket.pk}/")
    made = Article.objects.filter(source_ticket=ticket).first()
    if who in EDITORS:
        assert response.status_code == 302 and made is not None
        assert response["Location"] == f"/knowledge/{made.pk}/edit/"
    else:
        assert response.status_code == (302 if who is None else 403)
        assert made is None and snapshot() == before


@pytest.mark.parametrize("who", PERSONAS)
def test_link_search(client, org, kb, who):
    response = _client(client, org, who).get("/knowledge/links/", {"kb_q": "公开"})
    if who in SERVING:
        assert response.status_code == 200 and "公开文章" in response.content.decode()
    else:
        assert response.status_code == (302 if who is None else 403)
