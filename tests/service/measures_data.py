"""A small March 2025 fixture for the measures tests, with every figure computed by hand
(Shanghai time; working days 09:00-18:00; normal priority: 8 h to answer, 36 h to resolve).

==  =================  ===============  ==================================  ==========
    opened             first reply      then                                 state
==  =================  ===============  ==================================  ==========
A   Mon 03-03 09:00    11:00 (2 h)      resolved 15:00                       resolved
B   Tue 03-04 09:00    10:00 (1 h)      2nd reply 12:00, resolved 03-05 09:00 resolved
C   Wed 03-05 09:00    09:45 (0.75 h)   resolved 10:00, reopened 11:00,      resolved
                                        resolved 12:00
D   Thu 03-06 09:00    —                                                     open
E   Fri 03-07 09:00    Mon 03-10 09:00 (72 h, late: due Fri 17:00)           open
==  =================  ===============  ==================================  ==========

Opened 5; answered 4, first response 2+1+0.75+72 = 75.75 h / 4 = 18.94 h; in time 3 of 4.
Resolved 3 (A, B, C): wall-clock 6, 24, 3 h → 11 h; business hours 6, 9 (Tue 09-18),
2 (3 h less the hour it sat resolved before the reopening) → median 6; all on time;
reopened 1 of 3 (C); first-contact resolution 1 of 3 (A: B had two replies, C was reopened).
Backlog at the end of March: D and E.
"""

from __future__ import annotations

from kehu.service import services
from tests.service.helpers import at, ticket


def march(org, *, agent=None, customer=None):
    agent = agent or org.sam
    kw = {"assignee": agent, "customer": customer or org.customer}

    def reply(t, when):
        services.ticket_reply(ticket=t, by=agent, body="您好", now=at(when))

    a = ticket(org, now="2025-03-03 09:00", category="打印", **kw)
    reply(a, "2025-03-03 11:00")
    services.ticket_resolve(ticket=a, by=agent, resolution="换纸", now=at("2025-03-03 15:00"))
    b = ticket(org, now="2025-03-04 09:00", category="打印", **kw)
    reply(b, "2025-03-04 10:00")
    reply(b, "2025-03-04 12:00")
    services.ticket_resolve(ticket=b, by=agent, resolution="重启", now=at("2025-03-05 09:00"))
    c = ticket(org, now="2025-03-05 09:00", category="网络", **kw)
    reply(c, "2025-03-05 09:45")
    services.ticket_resolve(ticket=c, by=agent, resolution="重置", now=at("2025-03-05 10:00"))
    services.ticket_reopen(ticket=c, by=agent, now=at("2025-03-05 11:00"))
    services.ticket_resolve(ticket=c, by=agent, resolution="更换", now=at("2025-03-05 12:00"))
    d = ticket(org, now="2025-03-06 09:00", category="网络", **kw)
    e = ticket(org, now="2025-03-07 09:00", category="网络", **kw)
    reply(e, "2025-03-10 09:00")
    return {"a": a, "b": b, "c": c, "d": d, "e": e}
