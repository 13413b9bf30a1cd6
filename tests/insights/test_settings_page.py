"""The analytics settings: administrators and managers edit them (others are refused), and the
next run uses them: a dearer ticket minute changes the profit."""

from __future__ import annotations

import pytest

from kehu.insights import services
from kehu.insights.forms import AnalyticsConfigForm
from kehu.insights.models import AnalyticsConfig, CustomerScore
from tests.conftest import login

from .conftest import AS_OF

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "status"),
    [("root", 200), ("mia", 200), ("ana", 403), ("alice", 403), ("sam", 403), ("pat", 403)],
)
def test_settings_access(org, client, persona, status):
    login(client, getattr(org, persona))
    assert client.get("/insights/settings/").status_code == status
    # "Run now" queues a run for the same people.
    assert client.post("/insights/run/").status_code == (302 if status == 200 else 403)


def test_edited_costs_apply_to_the_next_run(shop, client):
    login(client, shop.mia)
    form = AnalyticsConfigForm(instance=AnalyticsConfig.load())
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["per_minute__ticket"] = "3"  # was 1: wang's 30-minute ticket costs 60 more
    response = client.post("/insights/settings/", data)
    assert response.status_code == 302, response.context["form"].errors
    config = AnalyticsConfig.load()
    assert config.cost_per_minute["ticket"] == 3.0
    assert config.updated_by == shop.mia

    run = services.analytics_run(as_of=AS_OF)
    wang = CustomerScore.objects.get(run=run, customer=shop.wang)
    assert wang.cost_to_serve == pytest.approx(65 + 60)
    assert wang.profit == pytest.approx(435 - 60)
    assert run.config["value"]["cost_per_minute"]["ticket"] == 3.0


def test_half_absolute_grading_is_refused(org, client):
    login(client, org.root)
    form = AnalyticsConfigForm(instance=AnalyticsConfig.load())
    data = {k: ("" if v is None else v) for k, v in ((n, form[n].value()) for n in form.fields)}
    data["grade_min_profit_a"] = "1000"
    response = client.post("/insights/settings/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
