"""Synthetic customers shaped like the held-out data of issue #9, with labelled pairs.

The held-out set showed that duplicates sharing a phone or an e-mail are easy and the
rest are not.  This generator makes, on top of ordinary customers:

* duplicates that keep the phone or the e-mail (category ``shares_contact``), some of
  them after moving house;
* duplicates that share *neither* (``shares_neither``): a new mobile (or none), a new
  mailbox (or none), the name written another way (traditional script, pinyin in either
  order, a homophone character, spaced out, or unchanged) and either the same address
  written another way (traditional characters, 省/市 dropped, province left out, full-width
  digits) or the same employer;
* hard negatives that must stay apart: people with a very common name in the same city at
  another address (``namesake``), and family members sharing a landline and the address
  but with another given name (``family``).

Columns are those of a typical CRM export: ``id, name, phone, email, city, address,
company`` (no birthday, postcode or ID number, which would make the task easy).  The mix
(shares of each case) is fixed up front from what the issue describes, not tuned to any
model; everything is determined by ``seed``.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .synthetic import _COMPANY_FORMS, _HOMOPHONES, _S2T, _entities, _pinyin_render

__all__ = ["HardCases", "generate_hard_cases", "score_hard_cases"]

# Very common full names (the commonest in China's 2019 name statistics).
COMMON_NAMES = (
    "张伟",
    "王伟",
    "王芳",
    "李伟",
    "李娜",
    "张敏",
    "李静",
    "王静",
    "刘伟",
    "王秀英",
    "张丽",
    "李秀英",
    "王丽",
    "张静",
    "张秀英",
    "李强",
    "王敏",
    "李敏",
    "王磊",
    "刘洋",
)
_FAMILY_GIVEN = "建国秀英丽华志强桂兰明辉小红海燕文博子涵雨桐浩然欣怡"
_LANDLINE_AREAS = ("010", "021", "022", "023", "020", "0755", "0571", "025", "028", "027")

# The mix, per 1,000 people (fixed before any model was run on it).
SHARES_CONTACT = 70  # duplicates keeping the phone or the e-mail
SHARES_NEITHER = 40  # duplicates sharing neither
NAMESAKES = 30  # another person with a very common name, same city, other address
FAMILIES = 30  # a family member on the same landline and address


@dataclass
class HardCases:
    customers: pd.DataFrame
    entity_id: np.ndarray
    # (id_a, id_b) -> category, for the labelled pairs (both duplicates and negatives).
    pair_category: dict[tuple[str, str], str] = field(default_factory=dict)

    def true_pairs(self) -> set[tuple[str, str]]:
        frame = pd.DataFrame({"id": self.customers["id"], "entity": self.entity_id})
        out: set[tuple[str, str]] = set()
        for _, group in frame[frame.duplicated("entity", keep=False)].groupby("entity"):
            out.update(itertools.combinations(sorted(group["id"]), 2))
        return out


def _name_variant(name: str, rng: np.random.Generator) -> str:
    """The same person's name, written another way (or unchanged)."""
    r = rng.random()
    if r < 0.2:
        return name
    if r < 0.4:
        return _S2T.convert(name)
    if r < 0.6:
        return _pinyin_render(name, rng)  # either order, several casings
    if r < 0.8:
        chars = list(name)
        spots = [j for j in range(1, len(chars)) if chars[j] in _HOMOPHONES]  # same pinyin
        if spots:
            j = spots[int(rng.integers(0, len(spots)))]
            chars[j] = _HOMOPHONES[chars[j]]
            return "".join(chars)
        return _S2T.convert(name)
    return " ".join(name) if rng.random() < 0.5 else f"{name[0]} {name[1:]}"


def _address_variant(address: str, province: str, rng: np.random.Generator) -> str:
    """The same address typed again: only what normalisation should undo."""
    r = rng.random()
    if r < 0.25:
        return _S2T.convert(address)
    if r < 0.5:
        return address.replace("省", "").replace("市", "")
    if r < 0.7:
        return address.replace(province, "", 1) if province else address.replace("市", "", 1)
    if r < 0.85:
        return _S2T.convert(address.replace("省", "").replace("市", ""))
    return address.translate(str.maketrans("0123456789", "０１２３４５６７８９"))


def _company_variant(company: str, rng: np.random.Generator) -> str:
    base = company
    for form in sorted(_COMPANY_FORMS, key=len, reverse=True):
        if base.endswith(form):
            base = base[: -len(form)]
            break
    form = _COMPANY_FORMS[int(rng.integers(0, len(_COMPANY_FORMS)))]
    out = base + form
    return _S2T.convert(out) if rng.random() < 0.3 else out


def _new_mobile(rng: np.random.Generator) -> str:
    return f"1{rng.integers(3, 10)}{rng.integers(0, 10**9):09d}"


def _landline(rng: np.random.Generator) -> str:
    area = _LANDLINE_AREAS[int(rng.integers(0, len(_LANDLINE_AREAS)))]
    digits = 8 if len(area) == 3 else 7
    number = f"{rng.integers(2, 10)}{rng.integers(0, 10 ** (digits - 1)):0{digits - 1}d}"
    return f"{area}-{number}" if rng.random() < 0.5 else f"({area}) {number}"


def _other_address(row: dict[str, Any], rng: np.random.Generator) -> str:
    """Another home in the same city (other street, number, building)."""
    city = row["city"]
    head = row["address"].split(city, 1)[0] + city
    streets = ("人民路", "解放路", "中山路", "建设路", "和平路", "新华路", "长江路", "花园路")
    street = streets[int(rng.integers(0, len(streets)))]
    return (
        f"{head}{row['district']}{street}{rng.integers(1, 400)}号"
        f"{rng.integers(1, 30)}栋{rng.integers(101, 2500)}室"
    )


def _duplicate(row: dict[str, Any], keep_contact: bool, rng: np.random.Generator) -> dict:
    dup = dict(row)
    dup["name"] = _name_variant(row["name"], rng)
    if keep_contact:
        keep = rng.choice(["phone", "email", "both"], p=[0.45, 0.25, 0.3])
        if keep == "phone":
            dup["email"] = (
                None if rng.random() < 0.5 else f"{rng.integers(10**7, 3 * 10**9)}@qq.com"
            )
        if keep == "email":
            dup["phone"] = None if rng.random() < 0.4 else _new_mobile(rng)
        r = rng.random()
        if r < 0.15:
            dup["address"] = _other_address(row, rng)  # moved house, kept the number
        elif r < 0.35:
            dup["address"] = None
        elif r < 0.7:
            dup["address"] = _address_variant(row["address"], row["province"], rng)
        return dup
    dup["phone"] = None if rng.random() < 0.3 else _new_mobile(rng)
    dup["email"] = None if rng.random() < 0.5 else f"{rng.integers(10**7, 3 * 10**9)}@qq.com"
    if row["company"] and rng.random() < 0.35:
        # Same employer; the address is missing or is another one (office vs home).
        dup["company"] = _company_variant(row["company"], rng)
        dup["address"] = None if rng.random() < 0.5 else _other_address(row, rng)
    else:
        dup["address"] = _address_variant(row["address"], row["province"], rng)
        if rng.random() < 0.5:
            dup["company"] = None
    return dup


def _family_member(row: dict[str, Any], rng: np.random.Generator) -> dict:
    member = dict(row)
    given = row["name"][1:]
    while True:
        length = 1 if rng.random() < 0.3 else 2
        start = int(rng.integers(0, len(_FAMILY_GIVEN) - length))
        other = _FAMILY_GIVEN[start : start + length]
        if other != given:
            break
    # A child has the family name; a spouse usually has their own.
    surname = row["name"][0] if rng.random() < 0.7 else "李王张刘陈杨黄赵"[int(rng.integers(0, 8))]
    member["name"] = surname + other
    member["email"] = None if rng.random() < 0.6 else f"{rng.integers(10**7, 3 * 10**9)}@qq.com"
    member["company"] = None
    return member


def generate_hard_cases(n_people: int = 2000, seed: int = 0) -> HardCases:
    """``n_people`` people plus their duplicates and look-alikes (see the module doc)."""
    rng = np.random.default_rng(seed)
    base = _entities(n_people, rng)
    base.loc[rng.random(n_people) < 0.7, "company"] = None
    records = base.to_dict("records")
    entity = list(range(n_people))
    kinds = ["original"] * n_people
    links: list[tuple[int, int, str]] = []  # row positions of labelled pairs

    def per_thousand(k: int) -> np.ndarray:
        return rng.choice(n_people, size=round(n_people * k / 1000), replace=False)

    # Families first: the original's phone becomes the household landline.
    for i in per_thousand(FAMILIES).tolist():
        records[i]["phone"] = _landline(rng)
        records.append(_family_member(records[i], rng))
        entity.append(len(entity))
        kinds.append("family")
        links.append((i, len(records) - 1, "family"))
    for i in per_thousand(NAMESAKES).tolist():
        records[i]["name"] = COMMON_NAMES[int(rng.integers(0, len(COMMON_NAMES)))]
        twin = _entities(1, rng).to_dict("records")[0]
        twin.update(
            name=records[i]["name"],
            city=records[i]["city"],
            province=records[i]["province"],
            district=records[i]["district"],
            company=None,
        )
        twin["address"] = _other_address(records[i], rng)
        records.append(twin)
        entity.append(len(entity))
        kinds.append("namesake")
        links.append((i, len(records) - 1, "namesake"))
    for k, category in ((SHARES_CONTACT, "shares_contact"), (SHARES_NEITHER, "shares_neither")):
        for i in per_thousand(k).tolist():
            records.append(_duplicate(records[i], category == "shares_contact", rng))
            entity.append(entity[i])
            kinds.append(category)
            links.append((i, len(records) - 1, category))

    frame = pd.DataFrame(records)
    m = len(frame)
    frame.loc[rng.random(m) < 0.4, "city"] = None  # often only inside the address
    frame["city"] = [
        c if c is None or rng.random() < 0.7 else c.rstrip("市") for c in frame["city"]
    ]
    order = rng.permutation(m)
    ids = np.empty(m, dtype=object)
    ids[order] = [f"H{j:06d}" for j in range(m)]
    frame.insert(0, "id", ids)
    pair_category = {}
    for a, b, category in links:
        key = tuple(sorted((ids[a], ids[b])))
        pair_category[key] = category  # type: ignore[index]
    frame = frame.iloc[order].reset_index(drop=True)
    frame = frame[["id", "name", "phone", "email", "city", "address", "company"]]
    return HardCases(frame, np.asarray(entity)[order], pair_category)


def _predicted_pairs(clusters: pd.DataFrame) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    groups = clusters.groupby("cluster_id")["id"].agg(list)
    for members in groups[groups.map(len) > 1]:
        out.update(itertools.combinations(sorted(map(str, members)), 2))
    return out


def score_hard_cases(data: HardCases, clusters: pd.DataFrame) -> dict[str, Any]:
    """Overall pairwise precision/recall/F1, recall per duplicate category and the
    false-merge rate per hard-negative category."""
    truth = data.true_pairs()
    predicted = _predicted_pairs(clusters)
    tp = len(truth & predicted)
    precision = tp / len(predicted) if predicted else 1.0
    recall = tp / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    total: Counter[str] = Counter()
    hit: Counter[str] = Counter()
    for pair, category in data.pair_category.items():
        total[category] += 1
        hit[category] += pair in predicted
    per_category = {
        c: {"pairs": total[c], ("merged" if c in {"namesake", "family"} else "found"): hit[c]}
        for c in sorted(total)
    }
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "true_pairs": len(truth),
        "predicted_pairs": len(predicted),
        "recall_shares_contact": round(hit["shares_contact"] / max(total["shares_contact"], 1), 4),
        "recall_shares_neither": round(hit["shares_neither"] / max(total["shares_neither"], 1), 4),
        "false_merge_namesake": round(hit["namesake"] / max(total["namesake"], 1), 4),
        "false_merge_family": round(hit["family"] / max(total["family"], 1), 4),
        "per_category": per_category,
    }
