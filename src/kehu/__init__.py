"""Kehu (客户): an open-source CRM built around customer value, churn and retention."""

__version__ = "0.1.0"
