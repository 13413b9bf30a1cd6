"""Customer analytics in plain Python: never imports Django.

Tables in, tables out (Arrow). Set-based work is written once with Ibis and runs on DuckDB
(default) or Spark; estimators follow the scikit-learn/lifelines conventions.
"""
