"""China's administrative divisions (province → city → district) from the national division
codes vendored in ``data/divisions.json`` (source, licence and version in ``data/README.md``).

A customer's place in mainland China is stored as the 6-digit code of the most precise level
chosen (``division_code``: ``440000`` a province, ``440300`` a city, ``440305`` a district)
plus the names, which are what pages, exports and search read. Addresses abroad (or places
the list lacks) keep free-text names and no code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DATA = Path(__file__).parent / "data" / "divisions.json"
# The data's name for a municipality's (北京, 上海, 天津, 重庆) own districts, and for
# Chongqing's counties: not a city anyone writes; the municipality's name is stored instead.
_PLACEHOLDER_CITIES = frozenset({"市辖区", "县"})


@dataclass(frozen=True)
class Division:
    code: str  # 6 digits
    name: str
    parent: str | None  # the parent's 6-digit code


def _six(code: str) -> str:
    return code.ljust(6, "0")


@cache
def _index() -> tuple[dict[str, Division], dict[str, list[Division]]]:
    """Every division by 6-digit code, and the children of each ('' for the provinces)."""
    by_code: dict[str, Division] = {}
    children: dict[str, list[Division]] = {"": []}

    def walk(nodes: list[dict[str, Any]], parent: str | None) -> None:
        for node in nodes:
            division = Division(_six(node["code"]), node["name"], parent)
            by_code[division.code] = division
            children.setdefault(parent or "", []).append(division)
            walk(node.get("children", []), division.code)

    walk(json.loads(DATA.read_text(encoding="utf-8")), None)
    return by_code, children


def get(code: str) -> Division | None:
    return _index()[0].get(code)


def children(code: str = "") -> list[Division]:
    """The provinces (``code`` blank), a province's cities or a city's districts."""
    return _index()[1].get(code, [])


def path(code: str) -> list[Division]:
    """The division and its parents, province first."""
    out: list[Division] = []
    division = get(code)
    while division is not None:
        out.insert(0, division)
        division = get(division.parent) if division.parent else None
    return out


def names(code: str) -> dict[str, str]:
    """The province, city and district names a code stands for (blank below its level)."""
    levels = [d.name for d in path(code)] + ["", "", ""]
    province, city, district = levels[:3]
    if city in _PLACEHOLDER_CITIES:
        city = province
    return {"province": province, "city": city, "district": district}


def clean_code(value: Any) -> str:
    """A known division code ('' for none); 2- and 4-digit codes are read as their level."""
    code = str(value or "").strip()
    if not code:
        return ""
    if code.isdigit() and len(code) in (2, 4):
        code = _six(code)
    if not (code.isdigit() and len(code) == 6) or get(code) is None:
        raise ValidationError(
            _("“%(value)s” is not a division code of mainland China (6 digits, e.g. 440305)."),
            code="division",
            params={"value": value},
        )
    return code


def find(province: str, city: str = "", district: str = "") -> str:
    """The code of the most precise level the names match ('' if the province isn't one of
    the list): lets a form opened on a record typed before the picker show its place."""
    match = next((p for p in children() if p.name == province.strip()), None)
    if match is None:
        return ""
    code = match.code
    if city.strip():
        level = children(code)
        if city.strip() == match.name:  # a municipality: the data's placeholder "city"
            below = [d for d in level if d.name in _PLACEHOLDER_CITIES]
        else:
            below = [d for d in level if d.name == city.strip()]
        if not below:
            return code
        code = below[0].code
        if district.strip():
            # A municipality's districts may sit under either placeholder (市辖区, 县).
            found = [d for c in below for d in children(c.code) if d.name == district.strip()]
            if found:
                code = found[0].code
    return code
