"""``kehu service proactive`` computes the suggestions once (cron users run it nightly)."""

from __future__ import annotations

import datetime as dt
import io

from django.core.management import call_command
from django.utils import timezone

from kehu.service.models import ProactiveSuggestion
from tests.service.proactive_data import customer, order, product


def test_command_computes_once(org):
    filter_ = product("PP棉滤芯", interval=180)
    c = customer(org, "王芳")
    order(c, timezone.localdate() - dt.timedelta(days=175), filter_)
    out = io.StringIO()
    call_command("service", "proactive", stdout=out)
    assert out.getvalue().strip() == "considered 1, new suggestions: service_due 1"
    assert ProactiveSuggestion.objects.get().customer == c
    out = io.StringIO()
    call_command("service", "proactive", stdout=out)
    assert out.getvalue().strip() == "considered 1, new suggestions: none"
