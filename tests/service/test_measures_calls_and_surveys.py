"""Call handling time from the logged calls, and CSAT / NPS from the survey answers fed to
the measures (``measures.set_survey_source``); without a source, or without answers in the
period, the page says there is no survey data yet."""

from __future__ import annotations

import datetime as dt

import pytest

from kehu.service import measures
from kehu.service.models import Call
from kehu.surveys.models import Response, Survey
from tests.conftest import login
from tests.service.helpers import at

MARCH = measures.Period(dt.date(2025, 3, 1), 1)


def _call(org, n, seconds, agent, when="2025-03-03 10:00"):
    return Call.objects.create(call_id=f"c{n}", caller="13800138000", customer=org.customer,
                               agent=agent, started_at=at(when), ended_at=at(when),
                               duration_seconds=seconds)  # fmt: skip


def test_call_handling_time_is_the_average_duration(org):
    _call(org, 1, 120, org.sam)
    _call(org, 2, 300, org.sam)
    _call(org, 3, 600, org.sam, when="2025-04-01 10:00")  # April: not in March
    Call.objects.create(
        call_id="ringing", caller="1", agent=org.sam, started_at=at("2025-03-03 10:00")
    )
    [row] = measures.measures(user=org.root, period=MARCH).rows
    assert (row.calls, row.handling_minutes) == (2, 3.5)  # (2 + 5) / 2 minutes
    [sam] = measures.measures(user=org.root, period=MARCH, by="agent").totals
    assert (sam.label, sam.calls) == ("sam", 2)


def _answer(org, kind, score, when="2025-03-10 10:00", agent=None):
    survey, _c = Survey.objects.get_or_create(
        kind=kind, defaults={"name_en": kind, "name_zh": kind}
    )
    return Response.objects.create(survey=survey, kind=kind, customer=org.customer, score=score,
                                   answered_at=at(when), source="link", agent=agent or org.sam,
                                   tier="ordinary")  # fmt: skip


def test_csat_and_nps_from_the_answers(org):
    for score in (5, 5, 4, 3):
        _answer(org, "csat_ticket", score)
    for score in (10, 9, 8, 6, 0):
        _answer(org, "nps", score)
    _answer(org, "csat_ticket", 1, when="2025-02-27 10:00")  # February
    m = measures.measures(user=org.root, period=MARCH)
    [row] = m.rows
    assert m.has_surveys
    assert (row.csat_answers, row.csat_average) == (4, 4.25)
    assert (row.satisfied_pct, row.completely_satisfied_pct) == (75.0, 50.0)
    # 2 promoters, 2 detractors of 5.
    assert (row.nps_answers, row.nps) == (5, 0.0)


@pytest.fixture
def no_source():
    measures.set_survey_source(None)
    yield
    from kehu.insights import selectors_balanced

    selectors_balanced.register()


def test_without_a_survey_source_the_page_says_so(client, org, no_source):
    client.cookies["django_language"] = "zh-hans"
    html = login(client, org.root).get("/service/measures/").content.decode()
    assert "还没有调查数据：设置调查后" in html
    assert measures.measures(user=org.root, period=MARCH).surveys_installed is False


def test_without_answers_in_the_period_the_page_says_so(client, org):
    _answer(org, "nps", 9, when="2020-01-10 10:00")
    client.cookies["django_language"] = "en"
    html = login(client, org.root).get("/service/measures/").content.decode()
    assert "No survey data yet for this period" in html
