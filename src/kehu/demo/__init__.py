"""The demo data set behind ``kehu demo``: deterministic (same seed, same data), realistic,
and large on demand (a million customers, ten million orders for the benchmarks).

An app at the top layer: it writes into every other app's tables, so nothing below it
(``core`` least of all) imports it. Its entry points are in ``kehu.demo.builder``
(``Options``, ``build``, ``demo_present``); this module imports nothing, because Django
imports it while the app registry is still loading, before any model can be.

Modules: ``names`` and ``places`` (what things are called), ``org`` (users, teams, dealers,
products, campaigns), ``personas`` (the behaviours, with their shares), ``customers`` (the
plan of a batch), ``profiles`` (customer records, search keys, duplicates), ``commerce``
(orders, invoices, payments), ``service`` (interactions, tickets, tasks), ``links``
(relations, owner history, sharing), ``writer`` (COPY / bulk_create) and ``builder``.
"""
