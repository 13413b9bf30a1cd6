"""Customer data quality: duplicate detection in plain Python (no Django)."""
