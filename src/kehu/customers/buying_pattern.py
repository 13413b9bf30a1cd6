"""The RFM segment as a buying pattern: how often and how recently the customer bought
compared with the other customers, in words that are not status words.

The lifecycle status (new, active, at risk, lapsed, lost, won back) judges a customer against
their own rhythm; the RFM segment ranks them against everyone else. Shown side by side under
the classic segment names ("Lost", "At risk", "New") they contradicted each other ("Active"
next to "Lost" for a customer who buys twice a year, on time). So the pages show the segment
as a pattern ("Occasional, last bought longest ago"), and the stored codes stay as they are.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# Frequency first, then recency relative to the other customers (the segments' R and F
# quintiles: kehu.analytics.value).
PATTERNS = {
    "champions": _("Frequent, bought more recently than most"),
    "loyal": _("Frequent, last bought mid-range"),
    "potential": _("Occasional, bought more recently than most"),
    "new": _("One purchase, more recently than most"),
    "at_risk": _("Frequent, last bought earlier than most"),
    "cant_lose": _("Most frequent, last bought earlier than most"),
    "hibernating": _("Occasional, last bought earlier than most"),
    "lost": _("Occasional, last bought longest ago"),
}
TITLE = _("Buying pattern")
EXPLANATION = _(
    "How often and how recently this customer bought, compared with all customers (RFM); "
    "the status compares them with their own rhythm."
)


def pattern(code_or_label: object) -> str:
    """The pattern of a segment code, or of a segment's label in the active language (the
    value card's change list carries labels); '' for none, the text itself if unknown."""
    text = str(code_or_label or "")
    if not text or text == "—":
        return text
    if text in PATTERNS:
        return str(PATTERNS[text])
    from kehu.insights.models import RFM_SEGMENTS

    by_label = {str(label): code for code, label in RFM_SEGMENTS.items()}
    return str(PATTERNS[by_label[text]]) if text in by_label else text
