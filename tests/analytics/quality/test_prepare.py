"""Bulk preparation: the fast paths give exactly what the reference code gives."""

from __future__ import annotations

import duckdb
import pandas as pd
import pyarrow as pa
import pytest
from opencc import OpenCC

from kehu.analytics.quality import text
from kehu.analytics.quality.prepare import (
    FEATURE_COLUMNS,
    bigram_codes,
    bigram_codes_sql,
    prepare_records,
    prepare_table,
)
from tests.support.synthetic import generate_customers

TRADITIONAL = [
    "臺灣省臺北市中正區重慶南路一段122號",
    "乾隆皇帝",  # phrase kept as is by OpenCC: must not go through the char table
    "乾燥的頭髮",
    "瀋陽市和平區",
    "沈先生在蘇州",
    "著名的鬱金香",
    "張偉",
    "歐陽修",
    "一隻貓",
    "檯面上的發展",
]


@pytest.mark.parametrize("value", TRADITIONAL)
def test_t2s_fast_path_equals_opencc(value):
    assert text.t2s(value) == OpenCC("t2s").convert(value)


def test_t2s_on_synthetic_names_and_addresses():
    data = generate_customers(3000, seed=9).customers
    converter = OpenCC("t2s")
    for column in ("name", "address", "company"):
        for value in data[column].dropna().unique():
            assert text.t2s(value) == converter.convert(value), value


def test_bigram_sql_equals_python_reference():
    values = ["北京市海淀區中關村大街1號", "ab", "a", "", None, "上海上海", "𠮷野家𠮷野"]
    prepared = prepare_table([{"id": i, "address": v} for i, v in enumerate(values)])
    con = duckdb.connect()
    con.register("t", prepared.to_arrow(["addr_compact"]))
    got = con.execute(
        f"SELECT {bigram_codes_sql('addr_compact')} FROM t ORDER BY unique_id"  # noqa: S608
    ).fetchall()
    assert [sorted(g[0]) if g[0] is not None else None for g in got] == [
        bigram_codes(v) for v in values
    ]


def test_arrow_pandas_and_records_inputs_prepare_identically():
    frame = generate_customers(2500, seed=4).customers  # > 2,000 rows: the factorize path
    frame.loc[3, "postcode"] = None
    a = prepare_table(frame)
    b = prepare_table(pa.Table.from_pandas(frame))
    c = prepare_records(frame.to_dict("records"))
    for other in (b, c):
        assert other.features == a.features
        for column in FEATURE_COLUMNS:
            if column in a.columns:
                assert list(other.columns[column]) == list(a.columns[column]), column


def test_small_tables_use_the_same_keys_as_big_ones():
    frame = generate_customers(2500, seed=4).customers
    big = prepare_table(frame)
    small = prepare_table(frame.head(50))
    for column in small.columns:
        assert list(small.columns[column]) == list(big.columns[column][:50]), column


def test_numeric_columns_are_read_as_text():
    frame = pd.DataFrame({"id": [1, 2], "postcode": [100080, 100081], "phone": [13800138000, None]})
    prepared = prepare_table(pa.Table.from_pandas(frame))
    assert list(prepared.columns["postcode"]) == ["100080", "100081"]
    assert list(prepared.columns["phone"]) == ["+8613800138000", None]
