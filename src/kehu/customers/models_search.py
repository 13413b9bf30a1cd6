"""The customer search keys (kehu.customers.search_index): one row per normalised key."""

from __future__ import annotations

from django.db import models


class SearchKey(models.Model):
    """Normalised lookup keys for one customer: name forms (simplified, pinyin, initials,
    English, aliases) prefixed ``n:``, Chinese character pairs ``g:`` and the rest of a name
    from each inner syllable or word ``w:`` (substrings), phones ``t:`` (E.164 digits) and
    ``r:`` (reversed national digits, for "last four digits" look-ups), e-mails ``e:``
    (``customers.search``). One prefix-indexed column answers every quick search on both
    SQLite and PostgreSQL."""

    # The keys are a derived index, rebuilt from the customer (refresh_search_keys), ten to
    # thirty rows per customer: no database constraint (an orphan key is harmless, search joins
    # the customer table; Django's collector still deletes the keys with their customer)
    # and no unique (customer, key) index (the refresh writes only missing keys). Each is
    # checked or maintained once per key, and an import writes millions of keys (what each
    # cost: bench/README.md, "Figures behind code comments").
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.CASCADE,
        related_name="search_keys",
        db_constraint=False,
    )
    key = models.CharField(max_length=200)
    # A copy of the customer's team (services.search_keys_follow_team keeps it current), so
    # that a manager's or rep's search reads only the keys of the teams they may see
    # (kehu.core.permissions.team_scope): a city of another region matches ~15,000
    # names at 1,000,000 customers, none of them visible, and each was looked up to learn
    # that. A plain column, not a foreign key: deleting a team would otherwise make the
    # collector rewrite millions of keys, and a stale team here only costs a look-up (the
    # visible customers are still what decides), never hides one (the customer's team is
    # then NULL, seen only by its owner, whose customers the scope lists by id).
    team_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        indexes = [
            # Prefix look-ups (LIKE 'x%') need the pattern operator class on PostgreSQL;
            # customer_id in the index answers a search without touching the table, and as
            # its second column it orders one key's customers, newest last: a broad key
            # (g:上海) is read backwards and the read stops after a page's worth. The team
            # as the third column lets a manager's search skip other teams' keys inside the
            # index (北京 as the 华东 manager: ~15,000 entries read, none looked up). One
            # index for both: a second, (key, team, customer), answered no faster at
            # 1,000,000 customers and cost an import a fifth index on 15 million keys.
            models.Index(
                fields=["key", "customer", "team_id"],
                name="searchkey_key_customer_team",
                opclasses=["varchar_pattern_ops", "int8_ops", "int8_ops"],
            ),
        ]

    def __str__(self) -> str:
        return self.key
