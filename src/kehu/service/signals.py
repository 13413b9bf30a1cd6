"""Domain events of the service app, for apps above it (retention listens; nothing here
imports it).

``complaint_overdue``: sent by the overdue check when complaints pass their resolution
deadline unresolved, with ``customer_ids`` (a list). The standing signal is
``kehu.service.selectors.overdue_complaints(customer_ids)``; this event says when it rose.

``ticket_resolved``: sent by ``ticket_resolve`` inside its transaction, with ``ticket`` (as
saved), ``by`` and ``now``; the surveys app invites the customer to rate it (CSAT).
"""

from django.dispatch import Signal

complaint_overdue = Signal()
ticket_resolved = Signal()
