"""The queue links to the reports each role may open: measures and lessons for report roles
and service agents, the balanced report for report roles, the holiday calendar for
administrators; a rep sees none of them."""

from __future__ import annotations

import pytest

from tests.conftest import login

LINKS = {
    "alice": set(),
    "sam": {"/service/measures/", "/service/lessons/"},
    "mia": {"/service/measures/", "/service/lessons/", "/insights/balanced/"},
    "ana": {"/service/measures/", "/service/lessons/", "/insights/balanced/"},
    "root": {"/service/measures/", "/service/lessons/", "/insights/balanced/",
             "/service/calendar/"},
}  # fmt: skip
ALL = set().union(*LINKS.values())


@pytest.mark.parametrize("persona,links", LINKS.items())
def test_queue_links(client, org, persona, links):
    c = login(client, getattr(org, persona))
    html = c.get("/service/").content.decode()
    shown = {url for url in ALL if f'href="{url}"' in html}
    assert shown == links
    for url in links:
        assert c.get(url).status_code == 200


def test_an_agent_is_not_offered_the_balanced_report_on_the_report_pages(client, org):
    c = login(client, org.sam)
    for url in ("/service/measures/", "/service/lessons/"):
        assert 'href="/insights/balanced/"' not in c.get(url).content.decode()
    assert (
        'href="/insights/balanced/"'
        in login(client, org.mia).get("/service/measures/").content.decode()
    )
