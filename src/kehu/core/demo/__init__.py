"""The demo data set behind ``kehu demo``: deterministic (same seed, same data), realistic,
and large on demand (a million customers, ten million orders for the benchmarks).

Modules: ``names`` and ``places`` (what things are called), ``org`` (users, teams, dealers,
products, campaigns), ``personas`` (the behaviours, with their shares), ``customers`` (the
plan of a batch), ``profiles`` (customer records, search keys, duplicates), ``commerce``
(orders, invoices, payments), ``service`` (interactions, tickets, tasks), ``links``
(relations, owner history, sharing), ``writer`` (COPY / bulk_create) and ``builder``.
"""

from kehu.core.demo.builder import Options, Report, build, demo_present

__all__ = ["Options", "Report", "build", "demo_present"]
