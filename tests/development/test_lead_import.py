"""Lead files through the importer (issue #14): both header languages, bad rows named with
their field and the good ones kept, permissions (refusals store nothing), idempotent
re-import, and cards numbered in order — on SQLite and, with KEHU_TEST_POSTGRES, on
PostgreSQL (COPY path)."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.utils.translation import override

from kehu.core.models import AuditEvent
from kehu.development.models import Card, GradeChange, Lead
from kehu.imports import services
from kehu.imports.models import ImportJob
from kehu.sales.models import Campaign
from tests.development.conftest import snapshot
from tests.imports.conftest import run_import, write_csv

ZH = ["名称", "电话", "邮箱", "公司", "来源", "活动", "等级", "资金", "决策权", "需求", "备注"]
EN = ["name", "phone", "email", "company", "source", "campaign", "grade", "money", "authority",
      "need", "note"]  # fmt: skip


@pytest.fixture
def spring(db):
    return Campaign.objects.create(code="SPRING26", name="Spring fair")


def test_chinese_headers_create_numbered_graded_leads(org, spring, tmp_path):
    path = write_csv(
        tmp_path / "leads.csv",
        [
            ZH,
            ["王芳", "139 0000 1111", "", "", "展会", "SPRING26", "A", "是", "是", "是", "大客户"],
            ["", "13900002222", "", "华东贸易有限公司", "渠道伙伴", "", "b", "", "", "", ""],
            ["刘强", "", "liu@example.com", "", "statistics", "", "", "否", "", "", ""],
        ],
    )
    before = Card.objects.count()
    job = run_import(org.alice, "leads", path)
    assert job.counts == {"created": 3, "updated": 0, "unchanged": 0, "failed": 0}
    first = Lead.objects.get(phone="+8613900001111")
    assert (first.name, first.source, first.campaign_id, first.notes) == (
        "王芳",
        "event",
        spring.pk,
        "大客户",
    )
    assert first.status == Lead.Status.QUALIFIED and first.owner == org.alice
    assert first.team_id == org.north.pk and first.created_by == org.alice
    company = Lead.objects.get(phone="+8613900002222")
    assert (company.name, company.kind, company.source) == (
        "华东贸易有限公司",
        "company",
        "partner",
    )
    third = Lead.objects.get(email="liu@example.com")
    assert third.money == "no" and third.status == Lead.Status.OPEN
    cards = {c.lead_id: c for c in Card.objects.filter(lead__in=[first, company, third])}
    assert [cards[x.pk].grade for x in (first, company, third)] == ["A", "B", "C"]
    assert Card.objects.count() == before + 3
    # As lead_create opens it: an opening grade row and dates from the grade's cadence.
    assert GradeChange.objects.filter(card=cards[first.pk], from_grade="", to_grade="A").exists()
    assert cards[first.pk].next_review_on < cards[third.pk].next_review_on
    assert cards[first.pk].owner_id == org.alice.pk and cards[first.pk].team_id == org.north.pk
    # One audit event for the batch, as the customer import writes.
    event = AuditEvent.objects.get(action="import", model="development.lead")
    assert event.user == org.alice and event.changes["created"] == 3


def test_english_headers(org, spring, tmp_path):
    path = write_csv(
        tmp_path / "leads.csv",
        [
            EN,
            [
                "Ann Lee",
                "+86 139 0000 3333",
                "ann@example.com",
                "Acme",
                "web_form",
                "",
                "C",
                "yes",
                "unknown",
                "no",
                "met at fair",
            ],  # fmt: skip
            ["Bo Chen", "", "bo@example.com", "", "Referral", "SPRING26", "", "", "", "", ""],
        ],
    )
    job = run_import(org.alice, "leads", path)
    assert job.mapping["note"] == "notes"
    assert job.counts["created"] == 2 and job.counts["failed"] == 0
    ann = Lead.objects.get(email="ann@example.com")
    assert (ann.source, ann.company, ann.need, ann.authority) == (
        "web_form",
        "Acme",
        "no",
        "unknown",
    )
    assert Lead.objects.get(email="bo@example.com").source == "referral"


def test_bad_rows_named_with_field_good_rows_kept(org, tmp_path):
    path = write_csv(
        tmp_path / "leads.csv",
        [
            ["姓名", "手机", "邮箱", "来源", "等级", "负责人"],
            ["好行", "13900004444", "", "推荐", "", ""],
            ["坏电话", "12345", "", "推荐", "", ""],
            ["坏邮箱", "", "not-an-email", "推荐", "", ""],
            ["坏来源", "13900005555", "", "电视广告", "", ""],
            ["", "13900006666", "", "推荐", "", ""],
            ["坏等级", "13900007777", "", "推荐", "D", ""],
            ["别人的", "13900008888", "", "推荐", "", "charlie"],
            ["没来源", "13900009999", "", "", "", ""],
        ],
    )
    job = run_import(org.alice, "leads", path)
    assert job.counts == {"created": 1, "updated": 0, "unchanged": 0, "failed": 7}
    problems = {e.row_number: {p["field"] for p in e.problems} for e in job.row_errors.all()}
    assert problems == {
        3: {"phone"},
        4: {"email"},
        5: {"source"},
        6: {"name"},
        7: {"grade"},
        8: {"owner"},
        9: {"source"},
    }
    # The column the file called it is named too, and the cells are kept for the error file.
    bad_phone = job.row_errors.get(row_number=3)
    assert bad_phone.problems[0]["column"] == "手机" and bad_phone.values[1] == "12345"
    assert list(Lead.objects.filter(name__in=["坏电话", "坏邮箱", "坏来源"])) == []
    assert Lead.objects.filter(name="好行").exists()


def test_reimport_is_idempotent_and_updates_through_services(org, tmp_path):
    rows = [["名称", "电话", "来源", "等级", "需求"]] + [
        [f"线索{i}", f"1390001{i:04d}", "活动", "B", ""] for i in range(12)
    ]
    path = write_csv(tmp_path / "leads.csv", rows)
    first = run_import(org.alice, "leads", path, batch_size=5)
    assert first.counts == {"created": 12, "updated": 0, "unchanged": 0, "failed": 0}
    again = run_import(org.alice, "leads", path, batch_size=5)
    assert again.counts == {"created": 0, "updated": 0, "unchanged": 12, "failed": 0}
    assert Lead.objects.filter(name__startswith="线索").count() == 12
    rows[1][3], rows[2][4] = "A", "是"  # a promotion and a MAN answer
    changed = run_import(org.alice, "leads", write_csv(tmp_path / "b.csv", rows))
    assert changed.counts == {"created": 0, "updated": 2, "unchanged": 10, "failed": 0}
    card = Card.objects.get(lead__phone="+8613900010000")
    assert card.grade == "A"
    assert card.grade_changes.filter(from_grade="B", to_grade="A", by=org.alice).exists()
    assert Lead.objects.get(phone="+8613900010001").need == "yes"
    # Each change audited with its before and after, as an edit by hand is.
    assert AuditEvent.objects.filter(
        action="update", model="development.lead", changes__need=["unknown", "yes"]
    ).exists()


def test_same_key_twice_in_a_file(org, tmp_path):
    path = write_csv(
        tmp_path / "leads.csv",
        [
            ["name", "phone", "source"],
            ["A", "13900020000", "press"],
            ["B", "139 0002 0000", "press"],
        ],
    )
    job = run_import(org.alice, "leads", path)
    assert job.counts["created"] == 1 and job.counts["failed"] == 1
    assert job.row_errors.get().problems[0]["field"] == "phone"


def test_card_numbers_unique_and_sequential(org, tmp_path):
    rows = [["name", "phone", "source"]] + [
        [f"L{i}", f"1390003{i:04d}", "directory"] for i in range(25)
    ]
    run_import(org.alice, "leads", write_csv(tmp_path / "a.csv", rows), batch_size=7)
    numbers = list(
        Card.objects.filter(lead__name__startswith="L")
        .order_by("lead__id")
        .values_list("number", flat=True)
    )
    assert len(set(numbers)) == 25
    assert all(re.fullmatch(r"K-\d{4}-\d{6}", n) for n in numbers)
    tails = [int(n.rsplit("-", 1)[1]) for n in numbers]
    assert tails == list(range(tails[0], tails[0] + 25))
    # A lead typed in afterwards takes the next number.
    from kehu.development import services as lead_services

    later = lead_services.lead_create(by=org.alice, owner=org.alice, name="后", source="press")
    assert int(later.card.number.rsplit("-", 1)[1]) == tails[-1] + 1


@pytest.mark.parametrize("who", ["sam", "ana", "pat"])
def test_roles_that_may_not_import_leads_store_nothing(org, tmp_path, who):
    path = write_csv(
        tmp_path / "l.csv", [["name", "phone", "source"], ["X", "13900040000", "press"]]
    )
    before = snapshot()
    jobs = ImportJob.objects.count()
    with pytest.raises(PermissionDenied):
        services.job_create(user=getattr(org, who), kind="leads", path=path)
    assert snapshot() == before and ImportJob.objects.count() == jobs


def test_rep_imports_only_in_own_name_manager_for_team(org, tmp_path):
    rows = [["name", "phone", "source", "owner"], ["给鲍勃", "13900050000", "press", "bob"]]
    path = write_csv(tmp_path / "l.csv", rows)
    before = snapshot()
    refused = run_import(org.alice, "leads", path)
    assert refused.counts["failed"] == 1 and snapshot()[:3] == before[:3]
    assert refused.row_errors.get().problems[0]["field"] == "owner"
    # Mia manages North (bob's team): allowed; Charlie is South: refused.
    done = run_import(org.mia, "leads", path)
    assert done.counts["created"] == 1
    assert Lead.objects.get(phone="+8613900050000").owner == org.bob
    rows[1][1:4] = ["13900050001", "press", "charlie"]
    other_team = run_import(org.mia, "leads", write_csv(tmp_path / "m.csv", rows))
    assert other_team.counts["failed"] == 1
    # An administrator gives leads to anyone.
    assert run_import(org.root, "leads", write_csv(tmp_path / "m.csv", rows)).counts["created"] == 1


def test_hidden_lead_is_not_revealed_or_changed(org, tmp_path):
    from kehu.development import services as lead_services

    lead_services.lead_create(
        by=org.charlie, owner=org.charlie, name="南方", phone="13900060000", source="press"
    )
    before = snapshot()
    path = write_csv(
        tmp_path / "l.csv",
        [["name", "phone", "source", "city"], ["南方", "13900060000", "press", "X"]],
    )
    with override("en"):
        job = run_import(org.alice, "leads", path)
    assert job.counts["failed"] == 1
    reason = job.row_errors.get().problems[0]["reason"]
    assert "can't be used in your import" in reason and "南方" not in reason
    assert snapshot()[:3] == before[:3]


def test_cli_and_upload_page(org, tmp_path, client):
    path = write_csv(
        tmp_path / "l.csv", [["名称", "电话", "来源"], ["命令行", "13900070000", "报刊"]]
    )
    call_command("import", "leads", str(path), "--user", "alice", "--no-progress", "--workers", "0")
    assert Lead.objects.get(phone="+8613900070000").source == "press"
    with pytest.raises(CommandError, match="may not import leads"):
        call_command("import", "leads", str(path), "--user", "sam", "--no-progress")
    client.force_login(org.alice)
    page = client.get("/imports/")
    assert page.status_code == 200 and b'value="leads"' in page.content
    client.force_login(org.sam)
    page = client.get("/imports/")
    assert page.status_code == 200 and b'value="leads"' not in page.content
    with path.open("rb") as fh:
        refused = client.post("/imports/upload/", {"kind": "leads", "file": fh})
    assert refused.status_code == 400 and not ImportJob.objects.filter(user=org.sam).exists()


@pytest.mark.postgres
def test_worker_processes_on_postgres(transactional_db, org, tmp_path):
    """The parallel path (forked workers checking rows, PostgreSQL and committed data only)
    gives the same result as the in-process one, awkward text for COPY included."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("worker processes are used on PostgreSQL only")
    rows = [["名称", "电话", "来源", "备注"]] + [
        [f"并行{i}", f"1390008{i:04d}", "活动", ""] for i in range(30)
    ]
    rows[4][2] = "电视"  # invalid source
    rows[6][3] = 'back\\slash\ttab "quote"'
    path = write_csv(tmp_path / "l.csv", rows)
    job = services.job_create(user=org.alice, kind="leads", path=path)
    services.job_run(job=job, by=org.alice, workers=2, batch_size=7)
    assert job.counts == {"created": 29, "updated": 0, "unchanged": 0, "failed": 1}
    assert Lead.objects.get(phone="+8613900080005").notes == 'back\\slash\ttab "quote"'
    again = services.job_create(user=org.alice, kind="leads", path=path)
    services.job_run(job=again, by=org.alice, workers=2, batch_size=7)
    assert again.counts == {"created": 0, "updated": 0, "unchanged": 29, "failed": 1}
    numbers = sorted(
        Card.objects.filter(lead__name__startswith="并行").values_list("number", flat=True)
    )
    assert len(numbers) == 29


def test_web_flow_dry_run_then_commit_and_error_file(client, org):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(org.alice)
    content = "线索名称,手机,来源,等级\n网页一,13900090000,网页表单,A\n网页二,bad,展会,B\n".encode(
        "gbk"
    )
    upload = SimpleUploadedFile("线索.csv", content, content_type="text/csv")
    response = client.post(reverse("imports:upload"), {"kind": "leads", "file": upload})
    job = ImportJob.objects.get(kind="leads")
    assert response.status_code == 302
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert "网页一" in page and 'value="money"' in page  # the lead fields are offered
    mapping = {"col_0": "name", "col_1": "phone", "col_2": "source", "col_3": "grade"}
    response = client.post(
        reverse("imports:detail", args=[job.pk]), {**mapping, "action": "dry_run"}
    )
    job.refresh_from_db()
    assert job.status == "checked" and job.counts["created"] == 1 and job.counts["failed"] == 1
    assert not Lead.objects.filter(name="网页一").exists()  # a dry run stores nothing
    client.post(reverse("imports:detail", args=[job.pk]), {"action": "commit"})
    job.refresh_from_db()
    assert job.status == "done" and job.created == 1
    assert Lead.objects.get(name="网页一").card.grade == "A"
    errors = client.get(reverse("imports:errors", args=[job.pk, "csv"]))
    assert errors.status_code == 200 and "网页二" in errors.content.decode("utf-8-sig")
