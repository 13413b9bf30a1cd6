"""Persona matrix for /api/v1/knowledge: the same readers and writers as the pages (partner
users the public articles only; agents, managers and administrators also drafts, and they
alone create); a refused create writes nothing."""

from __future__ import annotations

import pytest

from kehu.knowledge.models import Article
from tests.conftest import login
from tests.knowledge.helpers import article, snapshot

PERSONAS = ["alice", "bob", "charlie", "mia", "sam", "ana", "pat", "quinn", "root"]
EDITORS = {"mia", "sam", "root"}
STAFF = {"alice", "bob", "charlie", "mia", "sam", "ana", "root"}


@pytest.fixture
def kb(org):
    return {
        "public": article(org, title_zh="公开文章", visibility="public"),
        "internal": article(org, title_zh="内部排查手册", visibility="internal"),
        "draft": article(org, title_zh="草稿文章", status="draft"),
    }


@pytest.mark.parametrize("who", PERSONAS)
def test_list(client, org, kb, who):
    data = login(client, getattr(org, who)).get("/api/v1/knowledge").json()
    titles = {item["title_zh"] for item in data["items"]}
    expected = {"公开文章"} | ({"内部排查手册"} if who in STAFF else set())
    expected |= {"草稿文章"} if who in EDITORS else set()
    assert titles == expected


@pytest.mark.parametrize("who", PERSONAS)
@pytest.mark.parametrize("which", ["public", "internal", "draft"])
def test_detail(client, org, kb, who, which):
    readers = {"public": set(PERSONAS), "internal": STAFF, "draft": EDITORS}[which]
    response = login(client, getattr(org, who)).get(f"/api/v1/knowledge/{kb[which].pk}")
    assert response.status_code == (200 if who in readers else 404)
    if response.status_code == 200:
        assert response.json()["body_zh"] == kb[which].body_zh


@pytest.mark.parametrize("who", PERSONAS)
def test_create(client, org, kb, who):
    before = snapshot()
    response = login(client, getattr(org, who)).post(
        "/api/v1/knowledge", {"title_en": "How to return", "body_en": "Within 7 days."},
        content_type="application/json",
    )  # fmt: skip
    made = Article.objects.filter(title_en="How to return").first()
    if who in EDITORS:
        assert response.status_code == 201 and made is not None
        assert response.json()["id"] == made.pk and made.status == "draft"
    else:
        assert response.status_code == 403
        assert made is None and snapshot() == before


def test_anonymous_is_refused(client, org, kb):
    assert client.get("/api/v1/knowledge").status_code == 401
