"""Greetings fall on the right days: the solar birthday (29 February on the 28th in other
years), a lunar birthday and a festival (Spring Festival, Mid-Autumn) by the lunar calendar
of each year, and generating twice writes each greeting once, onto the owner's due list."""

from __future__ import annotations

import datetime as dt

from kehu.customers import services as customer_services
from kehu.development import due, greetings, touches
from kehu.development.models import SpecialDate, TouchTask


def test_solar_anniversary_keeps_29_february_on_the_28th():
    born = dt.date(1992, 2, 29)
    assert greetings.solar_anniversary(born, 2027) == dt.date(2027, 2, 28)
    assert greetings.solar_anniversary(born, 2028) == dt.date(2028, 2, 29)


def test_lunar_dates_move_with_the_year():
    # Mid-Autumn (lunar 8/15): 6 October 2025, 25 September 2026.
    assert greetings.lunar_dates_in(8, 15, 2025) == [dt.date(2025, 10, 6)]
    assert greetings.lunar_dates_in(8, 15, 2026) == [dt.date(2026, 9, 25)]
    # Lunar 1/1 is the Spring Festival: 29 January 2025, 17 February 2026.
    assert greetings.lunar_dates_in(1, 1, 2025) == [dt.date(2025, 1, 29)]
    assert greetings.lunar_dates_in(1, 1, 2026) == [dt.date(2026, 2, 17)]
    # The 30th of a 29-day month is kept on the 29th: lunar 2025/12 has 29 days.
    assert greetings.lunar_dates_in(12, 30, 2026) == [dt.date(2026, 2, 16)]


def test_birthday_greeting_generated_on_the_day(org):
    customer_services.customer_update(
        customer=org.customer, by=org.alice, birthday=dt.date(1980, 3, 14)
    )
    assert not greetings.generate(on=dt.date(2026, 3, 10), by=None, days_ahead=3)
    created = greetings.generate(on=dt.date(2026, 3, 12), by=None, days_ahead=3)
    assert [(t.customer_id, t.due_on, t.occasion) for t in created] == [
        (org.customer.pk, dt.date(2026, 3, 14), "birthday")
    ]
    assert created[0].owner == org.alice and created[0].kind == TouchTask.Kind.GREETING
    # A second run writes nothing new.
    assert not greetings.generate(on=dt.date(2026, 3, 13), by=None, days_ahead=3)
    assert TouchTask.objects.count() == 1


def test_lunar_birthday_and_festival_of_a_lead(org, leads):
    touches.special_date_add(
        by=org.alice, holder=leads.north, label="农历生日", calendar="lunar", month=8, day=15
    )
    touches.special_date_add(
        by=org.alice,
        holder=leads.north,
        label="春节",
        calendar="festival",
        festival="spring_festival",
    )
    created = greetings.generate(on=dt.date(2026, 2, 16), by=None, days_ahead=2)
    assert [(t.lead_id, t.due_on) for t in created] == [(leads.north.pk, dt.date(2026, 2, 17))]
    created = greetings.generate(on=dt.date(2026, 9, 25), by=None, days_ahead=0)
    assert [t.due_on for t in created] == [dt.date(2026, 9, 25)]
    assert "农历生日" in created[0].title
    created = greetings.generate(on=dt.date(2025, 10, 6), by=None, days_ahead=0)
    assert [t.due_on for t in created] == [dt.date(2025, 10, 6)]


def test_greeting_on_the_owners_due_list(org, leads):
    touches.special_date_add(
        by=org.alice, holder=leads.north, label="周年", calendar="solar", month=6, day=1
    )
    greetings.generate(on=dt.date(2026, 6, 1), by=None, days_ahead=0)
    items = due.touch_source(user=org.alice, today=dt.date(2026, 6, 1))
    assert [(i.source, i.due) for i in items] == [("touches", dt.date(2026, 6, 1))]
    assert not due.touch_source(user=org.charlie, today=dt.date(2026, 6, 1))
    assert not due.touch_source(user=org.alice, today=dt.date(2026, 5, 31))


def test_bad_special_dates_are_refused(org, leads):
    import pytest
    from django.core.exceptions import ValidationError

    for kwargs, field in (
        ({"calendar": "solar", "month": 2, "day": 30}, "day"),
        ({"calendar": "lunar", "month": 13, "day": 1}, "month"),
        ({"calendar": "festival", "festival": "nope"}, "festival"),
    ):
        with pytest.raises(ValidationError) as exc:
            touches.special_date_add(by=org.alice, holder=leads.north, label="x", **kwargs)
        assert field in exc.value.message_dict
    assert not SpecialDate.objects.exists()


def test_greetings_command(org):
    import io

    import pytest
    from django.core.management import CommandError, call_command

    org.customer.birthday = dt.date(1975, 10, 1)
    org.customer.save()
    out = io.StringIO()
    call_command("greetings", "--on", "2026-09-30", "--days", "1", stdout=out)
    assert out.getvalue().startswith("1 greeting tasks written")
    assert TouchTask.objects.get().due_on == dt.date(2026, 10, 1)
    with pytest.raises(CommandError):
        call_command("greetings", "--on", "30/09/2026")
