"""Turn a raw customer table into the normalised feature table Splink compares.

The scalar normalisers in :mod:`.normalize` are applied to the *distinct* values
of each column only (one Python call per distinct value), which is what makes
a million-row table affordable: names, cities, postcodes and birthdays repeat a
lot.  The same code runs for a single new record (without pandas, whose fixed
costs dominate for 50 rows), so bulk and real-time keys cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import normalize as nz

__all__ = [
    "FEATURE_COLUMNS",
    "INPUT_COLUMNS",
    "InputError",
    "PreparedTable",
    "bigram_codes",
    "address_keys_sql",
    "address_numbers_sql",
    "bigram_codes_sql",
    "coerce_input",
    "feature_select_sql",
    "prepare_records",
    "prepare_table",
]

INPUT_COLUMNS = (
    "name",
    "given_name",
    "family_name",
    "phone",
    "email",
    "address",
    "city",
    "postcode",
    "birthday",
    "id_number",
    "company",
)

# Every column prepare_table can derive.  Tables handed to DuckDB always carry
# all of them (absent ones as NULL), so a model trained on one table can score
# another that lacks some fields.
FEATURE_COLUMNS = (
    "name_norm",
    "name_py",
    "name_py_sorted",
    "name_surname",
    "family_py",
    "given_py",
    "phone",
    "email",
    "email_local",
    "birthday",
    "postcode",
    "city",
    "addr_compact",
    "id_number",
    "company",
)

# Below this many rows a dict memo beats pandas.factorize (no fixed overhead).
_SMALL = 2000


class InputError(ValueError):
    """The input table cannot be deduplicated (missing or duplicate ids...)."""


@dataclass
class PreparedTable:
    """Normalised features, one row per input record.

    ``columns["unique_id"]`` is the row position (0..n-1); ``ids[unique_id]``
    is the caller's id.  The address is kept as a compact string
    (``addr_compact``); the bigram list the model compares (``addr_bigrams``)
    is derived from it in SQL, see :func:`feature_select_sql`.  Integer ids keep DuckDB joins cheap whatever the
    caller uses.  ``features`` lists the feature groups that have a value.
    """

    columns: dict[str, np.ndarray]
    ids: np.ndarray
    features: frozenset[str]

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.columns)

    def to_arrow(self, columns: Sequence[str] | None = None) -> pa.Table:
        """Arrow table with explicit types (an all-null column must still bind
        as VARCHAR; inference from Python objects would also be slower).
        Requested columns that were not derived are filled with nulls."""
        n = len(self)
        wanted = list(columns) if columns is not None else list(self.columns)
        arrays: dict[str, pa.Array] = {"unique_id": pa.array(self.columns["unique_id"], pa.int64())}
        for col in wanted:
            if col == "unique_id":
                continue
            typ = pa.string()
            values = self.columns.get(col)
            arrays[col] = pa.nulls(n, typ) if values is None else pa.array(values, typ)
        return pa.table(arrays)


def feature_select_sql(source: str, columns: Sequence[str]) -> str:
    """SELECT turning a registered prepared table into the model's feature table."""
    cols = ['"unique_id"']
    for col in columns:
        if col == "unique_id":
            continue
        if col == "addr_compact":
            cols.append(f'{bigram_codes_sql("addr_compact")} AS "addr_bigrams"')
            cols.append(f'{address_numbers_sql("addr_compact")} AS "addr_numbers"')
            cols.extend(address_keys_sql("addr_compact"))
        else:
            cols.append(f'"{col}"')
    return f"SELECT {', '.join(cols)} FROM {source}"  # noqa: S608 (internal names only)


def _lower_keys(frame: pd.DataFrame) -> pd.DataFrame:
    rename = {c: str(c).strip().lower() for c in frame.columns}
    frame = frame.rename(columns=rename)
    return frame.loc[:, ~frame.columns.duplicated()]


def coerce_input(table: Any, id_column: str = "id") -> dict[str, Any]:
    """Known columns of a pandas DataFrame / pyarrow Table / list of dicts.

    Header names are matched case-insensitively; unknown columns are dropped.
    """
    if isinstance(table, Sequence) and not isinstance(table, str | bytes):
        rows = [{str(k).strip().lower(): v for k, v in r.items()} for r in table]
        present = {k for r in rows for k in r}
        if id_column not in present:
            raise InputError(f"Input has no '{id_column}' column (columns: {sorted(present)})")
        keep = [id_column] + [c for c in INPUT_COLUMNS if c in present]
        return {c: [r.get(c) for r in rows] for c in keep}
    if isinstance(table, pa.RecordBatch):
        table = pa.Table.from_batches([table])
    if isinstance(table, pa.Table):
        # Kept as Arrow: distinct values are found by dictionary-encoding in C,
        # without creating a Python string per cell.
        names = [str(c).strip().lower() for c in table.column_names]
        first: dict[str, int] = {}
        for i, name in enumerate(names):
            first.setdefault(name, i)
        if id_column not in first:
            raise InputError(f"Input has no '{id_column}' column (columns: {names})")
        keep = [id_column] + [c for c in INPUT_COLUMNS if c in first]
        return {c: table.column(first[c]) for c in keep}
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"Unsupported input table type: {type(table).__name__}")
    frame = _lower_keys(table)
    if id_column not in frame.columns:
        raise InputError(f"Input has no '{id_column}' column (columns: {list(frame.columns)})")
    keep = [id_column] + [c for c in INPUT_COLUMNS if c in frame.columns]
    return {c: frame[c].to_numpy(dtype=object) for c in keep}


def _as_list(values: Any) -> list[Any]:
    if isinstance(values, pa.ChunkedArray | pa.Array):
        return values.to_pylist()
    return list(values)


def _distinct(values: Any) -> tuple[np.ndarray, list[Any]]:
    """Codes per row (-1 = missing) and the distinct values."""
    if isinstance(values, pa.ChunkedArray | pa.Array):
        if isinstance(values, pa.ChunkedArray):
            values = values.combine_chunks()
        if pa.types.is_dictionary(values.type):
            values = values.dictionary_decode()
        if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
            values = values.cast(pa.string())  # numbers -> their text, as from a CSV
        encoded = pc.dictionary_encode(values)
        codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)
        return codes.astype(np.int64, copy=False), encoded.dictionary.to_pylist()
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    return codes, list(uniques)


def _map_unique(values: Sequence[Any], func: Callable[[Any], Any], width: int = 0) -> Any:
    """Apply ``func`` once per distinct value; missing values map to None.

    ``func`` returns a scalar (str or None), or, with ``width`` > 0, a tuple.

    With ``width`` > 0, ``func`` returns a tuple of that many keys (or None)
    and a list of ``width`` arrays is returned; the tuples are split on the
    distinct values, before expanding to all rows.
    """
    n = len(values)
    if n < _SMALL:
        memo: dict[Any, Any] = {}
        results: list[Any] = []
        for value in _as_list(values):
            if nz.is_missing(value):
                results.append(None)
                continue
            try:
                key = memo[value]
            except KeyError:
                key = memo[value] = func(value)
            except TypeError:  # unhashable cell (e.g. a list): no memo
                key = func(value)
            results.append(key)
        codes = np.arange(n)
    else:
        codes, uniques = _distinct(values)
        results = [func(value) for value in uniques]
    # One extra slot for code -1 (NaN/None) at the end.
    if width == 0:
        mapped = np.empty(len(results) + 1, dtype=object)
        mapped[:-1] = results
        return mapped[codes]
    empty = (None,) * width
    columns = list(zip(*[r if r is not None else empty for r in results], strict=True))
    out = []
    for j in range(width):
        mapped = np.empty(len(results) + 1, dtype=object)
        if columns:
            mapped[:-1] = columns[j]
        out.append(mapped[codes])
    return out


def _nonnull(arr: np.ndarray) -> bool:
    return any(v is not None for v in arr)


def _join_name(family: Any, given: Any) -> Any:
    fam = None if nz.is_missing(family) else str(family).strip()
    giv = None if nz.is_missing(given) else str(given).strip()
    if fam and giv:
        # Family name first (the Chinese order); latin keys are order-free anyway.
        return f"{fam} {giv}"
    return fam or giv


def bigram_codes_sql(column: str) -> str:
    """DuckDB expression: distinct character bigrams of ``column`` as int64 codes.

    Each bigram becomes ``(code point 1 << 21) | code point 2``: injective, so
    the Jaccard on codes is the exact Jaccard on bigrams, and integer lists are
    much faster than string lists in DuckDB list functions.  Computing this in
    DuckDB (multi-threaded) instead of Python is much cheaper on a large table;
    :func:`bigram_codes` is the Python reference, tests check they agree.
    ``length``/``substr``/``unicode`` work on characters, not bytes.
    """
    c = f'"{column}"'
    pair = f"(unicode(substr({c}, i, 1))::BIGINT << 21) | unicode(substr({c}, i + 1, 1))"
    return (
        f"CASE WHEN {c} IS NULL THEN NULL "
        f"WHEN length({c}) < 2 THEN [unicode({c})::BIGINT << 21] "
        f"ELSE list_sort(list_distinct(list_transform(range(1, length({c})), lambda i: {pair}))) END"
    )


def address_numbers_sql(column: str) -> str:
    """DuckDB expression: the digit runs of the address, each followed by "-".

    ``"...路149号...13栋1187室"`` -> ``"149-13-1187-"``; no digits -> ``"-"``.
    The trailing separator makes ``starts_with`` a token-wise prefix test.
    """
    c = f'"{column}"'
    return (
        f"CASE WHEN {c} IS NULL THEN NULL "
        f"ELSE array_to_string(regexp_extract_all({c}, '[0-9]+'), '-') || '-' END"
    )


def address_keys_sql(column: str) -> list[str]:
    """DuckDB expressions for the address blocking keys.

    ``addr_prefix``: the first four characters of the canonical address (city and
    district once the province and 省/市/区 are gone, see ``address_compact``), for
    addresses long enough to have a street; ``addr_house``: the first digit run (the
    house number), which survives any rewriting of the text around it.
    ``substr``/``length`` count characters, not bytes.
    """
    c = f'"{column}"'
    return [
        f'CASE WHEN length({c}) >= 6 THEN substr({c}, 1, 4) END AS "addr_prefix"',
        f"nullif(regexp_extract({c}, '[0-9]+'), '') AS \"addr_house\"",
    ]


def bigram_codes(value: Any) -> list[int] | None:
    """Python reference for :func:`bigram_codes_sql` (same codes, sorted)."""
    grams = nz.address_bigrams(value)
    if not grams:
        return None
    return sorted((ord(g[0]) << 21) | (ord(g[1]) if len(g) > 1 else 0) for g in grams)


def _email_pair(value: Any) -> tuple[str | None, str | None] | None:
    email = nz.normalize_email(value)
    if email is None:
        return None
    return email, nz.email_local_part(email)


_SIMPLE: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "phone": ("phone", nz.normalize_phone),
    "birthday": ("birthday", nz.normalize_birthday),
    "postcode": ("postcode", nz.normalize_postcode),
    "city": ("city", nz.normalize_city),
    "id_number": ("id_number", nz.normalize_id_number),
    "company": ("company", nz.normalize_company),
    # Bigram codes are derived from this inside DuckDB (see bigram_codes_sql).
    "address": ("addr_compact", nz.address_compact),
}


def _check_ids(ids: Any, id_column: str, check_duplicates: bool) -> None:
    if isinstance(ids, pa.ChunkedArray | pa.Array) and pa.types.is_string(ids.type):
        # Vectorised: a million ids need no Python loop.
        text = pc.utf8_lower(pc.utf8_trim_whitespace(ids))
        bad = pc.or_kleene(
            pc.is_null(ids), pc.is_in(text, value_set=pa.array(sorted(nz.MISSING_TOKENS)))
        )
        missing = int(pc.index(bad, True).as_py()) if pc.any(bad).as_py() else None
        values = ids.to_numpy(zero_copy_only=False) if check_duplicates else None
    else:
        values = np.asarray(_as_list(ids), dtype=object)
        missing = next((i for i, v in enumerate(values) if nz.is_missing(v)), None)
    if missing is not None:
        raise InputError(f"Row {missing + 1}: missing '{id_column}'")
    if check_duplicates and values is not None:
        dup_mask = pd.Series(values).duplicated().to_numpy()
        if dup_mask.any():
            first = int(np.flatnonzero(dup_mask)[0])
            raise InputError(f"Row {first + 1}: duplicate '{id_column}' {values[first]!r}")


def _name_columns(raw: dict[str, Sequence[Any]], n: int) -> tuple[dict[str, np.ndarray], set[str]]:
    out: dict[str, np.ndarray] = {}
    features: set[str] = set()
    has_name = "name" in raw
    has_given, has_family = "given_name" in raw, "family_name" in raw
    if not (has_name or has_given or has_family):
        return out, features
    full: Any = raw["name"] if has_name else [None] * n
    if has_given or has_family:
        full = _as_list(full)
        fam = _as_list(raw["family_name"]) if has_family else [None] * n
        giv = _as_list(raw["given_name"]) if has_given else [None] * n
        joined = [_join_name(f, g) for f, g in zip(fam, giv, strict=True)]
        full = [j if nz.is_missing(v) else v for v, j in zip(full, joined, strict=True)]
    keys = _map_unique(full, nz.name_keys, width=4)
    if _nonnull(keys[1]):
        features.add("name")
        out["name_norm"], out["name_py"], out["name_py_sorted"], out["name_surname"] = keys
    if has_given and has_family and not has_name:
        # Separate parts compare better than a joined string when one part is
        # often missing (FEBRL-style data): a missing part is then "no
        # evidence" rather than a poor full-name similarity.
        out["family_py"] = _map_unique(raw["family_name"], nz.pinyin_key)
        out["given_py"] = _map_unique(raw["given_name"], nz.pinyin_key)
        if _nonnull(out["family_py"]) and _nonnull(out["given_py"]):
            features.add("name_parts")
    return out, features


def prepare_table(table: Any, id_column: str = "id", check_ids: bool = True) -> PreparedTable:
    """Normalise ``table`` into the feature table used by the model.

    Raises :class:`InputError` for missing ids or (if ``check_ids``) duplicate
    ids, naming the offending row (1-based, header excluded).
    """
    raw = coerce_input(table, id_column)
    _check_ids(raw[id_column], id_column, check_ids)
    ids = np.asarray(_as_list(raw[id_column]), dtype=object)
    n = len(ids)

    columns: dict[str, np.ndarray] = {"unique_id": np.arange(n, dtype=np.int64)}
    # Pure-Python work (OpenCC, pypinyin, phonenumbers) on distinct values only.
    # A pool of forked workers was tried: pickling values and keys across
    # processes cost more than it saved on 2 cores.
    name_cols, features = _name_columns(raw, n)
    columns.update(name_cols)
    for col, (target, func) in _SIMPLE.items():
        if col in raw:
            columns[target] = _map_unique(raw[col], func)
            if _nonnull(columns[target]):
                features.add(col)
    if "email" in raw:
        columns["email"], columns["email_local"] = _map_unique(raw["email"], _email_pair, width=2)
        if _nonnull(columns["email"]):
            features.add("email")
    return PreparedTable(columns=columns, ids=ids, features=frozenset(features))


def prepare_records(records: Sequence[Mapping[str, Any]], id_column: str = "id") -> PreparedTable:
    """Prepare a handful of records (no duplicate-id check; a record without an
    id, e.g. one being created, gets a placeholder)."""
    rows = []
    for i, rec in enumerate(records):
        row = {str(k).strip().lower(): v for k, v in rec.items()}
        if nz.is_missing(row.get(id_column)):
            row[id_column] = f"__new_{i}"
        rows.append(row)
    return prepare_table(rows, id_column=id_column, check_ids=False)
