"""The customer records of a batch: names, contact data, addresses, demographics, tags,
search keys and completeness — and the injected duplicates, made from their originals with
the variations real re-entries have.

This is the one per-customer Python loop of the build (strings do not vectorise); the random
draws it needs are made up front, column-wise."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from kehu.core.text import phone_e164
from kehu.customers.models import Address, ContactPoint, Customer, SearchKey
from kehu.customers.search import customer_keys
from kehu.customers.services import COMPLETENESS_FIELDS, completeness_of
from kehu.demo import names as N
from kehu.demo import personas as P
from kehu.demo.common import Clock, Table, scramble
from kehu.demo.customers import Plan
from kehu.demo.org import Org
from kehu.demo.places import CITIES, street, typo_street

MOBILE_PREFIXES = np.array([130, 131, 132, 133, 135, 136, 137, 138, 139, 150, 151, 152, 153,
                            155, 156, 157, 158, 159, 180, 181, 182, 183, 185, 186, 187, 188,
                            189])  # fmt: skip
# Second numbers come from other prefixes, so they never collide with anyone's first.
SECOND_PREFIXES = np.array([166, 176, 177, 178, 191, 198, 199])
PERSON_DOMAINS = ("163.com", "qq.com", "126.com", "sina.com", "gmail.com", "outlook.com",
                  "foxmail.com", "139.com")  # fmt: skip
PERSON_DOMAIN_P = np.array([0.28, 0.32, 0.1, 0.05, 0.07, 0.06, 0.07, 0.05])
COMPANY_DOMAINS = ("163.com", "qq.com", "126.com", "aliyun.com")
AGE_BANDS = ((25, "<25"), (35, "25-34"), (45, "35-44"), (55, "45-54"), (65, "55-64"))
INCOME = ("low", "lower_middle", "middle", "upper_middle", "high")
INCOME_P = np.array([0.15, 0.25, 0.3, 0.2, 0.1])
MEMBERSHIP = {"heavy": "钻石会员", "regular": "金卡会员", "late_payer": "银卡会员"}
NOTES = ("喜欢周末到店", "对价格比较敏感", "偏好微信联系", "老客户介绍", "需要开具增值税专用发票",
         "只在工作日上午方便接电话", "关注新品", "家里有老人，关注净水")  # fmt: skip
GROUP_SHARE = 0.1  # of companies: groups with subsidiaries
LABELS = ("工作", "家庭", "备用")


@dataclass
class Profiles:
    customers: Table
    search_keys: Table
    contacts: Table
    addresses: Table
    tags: Table
    # For the relation builder: (group index, subsidiaries, members) and person indexes.
    groups: list[tuple[int, list[int], list[int]]] = field(default_factory=list)


@functools.lru_cache(maxsize=200_000)
def _name_keys(name: str, name_en: str, aliases: tuple[str, ...]) -> frozenset[str]:
    """The name part of customer_keys, once per distinct name: pinyin is the slow part of a
    build, and a million customers share far fewer names (there are many 王伟)."""
    return frozenset(customer_keys(name=name, name_en=name_en, aliases=aliases))


def _age_band(age: int) -> str:
    for limit, band in AGE_BANDS:
        if age < limit:
            return band
    return "65+"


class _Completeness:
    """completeness_of, evaluated once per pattern of filled fields instead of per row."""

    def __init__(self) -> None:
        self.cache: dict[tuple, int] = {}

    def __call__(self, kind: str, row: dict[str, Any]) -> int:
        fields = COMPLETENESS_FIELDS[kind]
        key = (kind, *(row.get(f) not in (None, "") for f in fields))
        if key not in self.cache:
            probe = Customer(kind=kind)
            for f, present in zip(fields, key[1:], strict=True):
                setattr(
                    probe, f, (dt.date(2000, 1, 1) if f == "birthday" else 1) if present else None
                )
            self.cache[key] = completeness_of(probe)
        return self.cache[key]


def _groups(rng: np.random.Generator, plan: Plan) -> list[tuple[int, list[int], list[int]]]:
    firms = np.flatnonzero(plan.company & ~plan.duplicate)
    if len(firms) < 4:
        return []
    firms = rng.permutation(firms)
    n_groups = max(1, int(len(firms) * GROUP_SHARE))
    heads, rest = firms[:n_groups], list(firms[n_groups:])
    groups = []
    for k, head in enumerate(heads):
        subs = [rest.pop() for _ in range(min(int(rng.integers(1, 4)), len(rest)))]
        # Some groups also have member firms (franchisees); the first one always does, so
        # even a small build has both kinds of group relation.
        n_members = int(rng.integers(1 if k == 0 else 0, 3))
        members = [rest.pop() for _ in range(min(n_members, len(rest)))]
        groups.append((int(head), [int(s) for s in subs], [int(m) for m in members]))
    return groups


def build_profiles(
    rng: np.random.Generator,
    plan: Plan,
    org: Org,
    clock: Clock,
    *,
    seen_companies: set[str],
    salt: int,
) -> Profiles:
    n = plan.n
    full, sur, given = N.person_names(rng, plan.female)
    groups = _groups(rng, plan)
    head_of = {s: g for g, subs, _m in groups for s in subs}
    is_head = {g for g, _s, _m in groups}
    core = rng.integers(0, len(N.COMPANY_CORES), n)
    industry = rng.integers(0, len(N.INDUSTRIES), n)
    for s, g in head_of.items():
        core[s] = core[g]

    # Column-wise draws for the loop.
    u = rng.random((n, 16))
    age = np.clip(rng.normal(40, 13, n), 18, 85).astype(int)
    birth_offset = -(age * 365.25 + rng.integers(0, 365, n)).astype(np.int64)
    mobile = "+86" + (
        MOBILE_PREFIXES[rng.integers(0, len(MOBILE_PREFIXES), n)].astype(str).astype(object)
        + np.char.zfill(scramble(plan.number, 10**8, salt).astype(str), 8).astype(object)
    )
    second = "+86" + (
        SECOND_PREFIXES[rng.integers(0, len(SECOND_PREFIXES), n)].astype(str).astype(object)
        + np.char.zfill(scramble(plan.number, 10**8, salt + 17).astype(str), 8).astype(object)
    )
    line_tail = scramble(plan.number, 10**7, salt + 29)
    email_tail = scramble(plan.number, 10**7, salt + 31)
    qq = 10**8 + scramble(plan.number, 9 * 10**8, salt + 37)
    domain = rng.choice(len(PERSON_DOMAINS), n, p=PERSON_DOMAIN_P)
    income = rng.choice(len(INCOME), n, p=INCOME_P)
    employees = np.maximum(rng.lognormal(3.9, 1.2, n).astype(int), 3)
    distance = rng.lognormal(1.6, 0.8, n)
    created = clock.stamps(plan.acq_day, clock.office_seconds(rng, n))
    interest, lifestyle = org.tag_ids["interest"], org.tag_ids["lifestyle"]
    general = org.tag_ids["general"]  # VIP, 价格敏感, 需回访

    complete = _Completeness()
    rows: list[dict[str, Any]] = []
    keys_c, keys_k, ct_c, ct_rows, ad_c, ad_rows, tag_c, tag_t = [], [], [], [], [], [], [], []

    for i in range(n):
        r = u[i]
        city = CITIES[plan.city[i]]
        district, postcode = city.districts[int(r[0] * len(city.districts))]
        company = bool(plan.company[i])
        kind = Customer.Kind.COMPANY if company else Customer.Kind.PERSON
        code = P.CODES[plan.persona[i]] if plan.persona[i] >= 0 else P.DUPLICATE
        row: dict[str, Any] = {"kind": kind, "province": city.province, "city": city.name}
        aliases: list[str] = []
        extra_phones: list[tuple[str, str, str]] = []  # (kind, value, label)

        if plan.original[i] >= 0:
            orig = rows[plan.original[i]]
            row, variations = _duplicate_of(rng, orig, company, second[i], int(email_tail[i]))
            row["attributes"] = {
                "demo_persona": P.DUPLICATE,
                "demo_duplicate_of": orig["external_id"],
                "demo_variations": variations,
            }
        elif company:
            if i in is_head:
                name = N.company_name(N.COMPANY_CORES[core[i]], 0, city.name, group=True)
            elif i in head_of:
                name = N.company_name(
                    N.COMPANY_CORES[core[i]], int(industry[i]), city.name, branch=city.name
                )
            else:
                name = N.company_name(N.COMPANY_CORES[core[i]], int(industry[i]), city.name)
            tries = 0
            while name in seen_companies:
                tries += 1
                c = N.COMPANY_CORES[int(rng.integers(len(N.COMPANY_CORES)))]
                name = N.company_name(
                    c, int(industry[i]), city.name + ("" if tries < 5 else district)
                )
                if tries > 8:
                    name = name.replace("有限公司", f"第{tries}分公司")
            seen_companies.add(name)
            core_word = N.COMPANY_CORES[core[i]]
            row["name"] = name
            row["name_en"] = (
                N.company_name_en(core_word, int(industry[i]), city.name_en, group=i in is_head)
                if r[1] < 0.25
                else ""
            )
            if r[2] < 0.3:
                aliases.append(core_word + N.INDUSTRIES[industry[i]][0])
            phone = ""
            if r[3] < 0.7:
                phone = (
                    phone_e164(f"+86{city.area_code}{2 + int(r[4] * 6)}{line_tail[i]:07d}") or ""
                )
            row["phone"] = phone or (mobile[i] if r[3] < 0.97 else "")
            row["email"] = (
                f"{N.pinyin_of(core_word)}{email_tail[i]}@{COMPANY_DOMAINS[int(r[5] * 4)]}"
                if r[6] < 0.75
                else ""
            )
            row["address"] = street(rng, True) if r[7] < 0.95 else ""
            row["industry"] = N.INDUSTRIES[industry[i]][2]
            row["employees"] = int(employees[i]) * (5 if i in is_head else 1)
            row["id_number"] = N.credit_code(rng, city.admin_code) if r[8] < 0.9 else ""
            if r[9] < 0.3:
                extra_phones.append(("fax", row["phone"] or mobile[i], "传真"))
            row["attributes"] = {"contract": "年度框架" if r[10] < 0.4 else "单次采购"}
        else:
            female = bool(plan.female[i])
            row["name"] = full[i]
            if r[1] < 0.1:
                row["name_en"] = N.english_name(rng, sur[i], female)
            elif r[1] < 0.16:
                row["name_en"] = N.pinyin_name(sur[i], given[i], western_order=True)
            if r[2] < 0.04:
                trad = N.traditional(full[i])
                aliases.append(
                    trad
                    if trad != full[i]
                    else N.pinyin_name(sur[i], given[i], western_order=False)
                )
            elif r[2] < 0.06:
                aliases.append(("老" if age[i] > 40 else "小") + sur[i])
            row["phone"] = mobile[i] if r[3] < 0.95 else ""
            if r[6] < 0.55:
                d = PERSON_DOMAINS[domain[i]]
                local = (
                    str(qq[i])
                    if d == "qq.com" and r[5] < 0.6
                    else f"{N.SURNAME_PINYIN.get(sur[i], 'li')}{N.pinyin_of(given[i])}{email_tail[i]}"
                )
                row["email"] = f"{local}@{d}"
            row["address"] = street(rng, False) if r[7] < 0.9 else ""
            row["gender"] = ("F" if female else "M") if r[8] < 0.92 else ""
            if r[9] < 0.85:
                row["birthday"] = clock.as_of + dt.timedelta(days=int(birth_offset[i]))
                row["age_band"] = _age_band(int(age[i]))
            if r[10] < 0.8:
                bump = 1 if code == "heavy" else 0
                row["income_band"] = INCOME[min(int(income[i]) + bump, len(INCOME) - 1)]
            if r[11] < 0.6:
                row["household_size"] = 1 + int(r[12] * 5)
            if r[13] < 0.4:
                row["trade_area"] = city.trade_areas[int(r[0] * len(city.trade_areas))]
                row["distance_km"] = int(distance[i] * 100)
            if r[14] < 0.08:
                extra_phones.append(("phone", second[i], LABELS[int(r[15] * 3)]))
            if r[14] > 0.8:
                extra_phones.append(("wechat", f"wxid_{email_tail[i]:x}{int(r[12] * 1000)}", ""))
            attributes: dict[str, Any] = {}
            if code in MEMBERSHIP or (code not in ("prospect",) and r[15] < 0.5):
                attributes["membership"] = MEMBERSHIP.get(code, "普通会员")
            row["attributes"] = attributes
            # Tags: interests and lifestyle as sales reps record them.
            for t in rng.choice(interest, size=min(int(r[12] * 4), 3), replace=False):
                tag_c.append(i)
                tag_t.append(int(t))
            for t in rng.choice(lifestyle, size=min(int(r[13] * 3), 2), replace=False):
                tag_c.append(i)
                tag_t.append(int(t))
            special = {"heavy": (0, 0.5), "light": (1, 0.2), "lapsing": (2, 0.3)}.get(code)
            if special and r[11] < special[1]:
                tag_c.append(i)
                tag_t.append(int(general[special[0]]))

        if plan.original[i] < 0:
            row["attributes"]["demo_persona"] = code
            row["district"] = district if row.get("address") else ""
            row["postcode"] = postcode if row.get("address") else ""
            row["notes"] = NOTES[int(r[4] * len(NOTES))] if r[15] > 0.9 else ""
        row["external_id"] = f"demo-{plan.number[i]}"
        row["aliases"] = aliases
        row["source"] = plan.source[i]
        row["acquired_on"] = clock.as_of + dt.timedelta(days=int(plan.acq_day[i]))
        row["owner_id"] = int(plan.owner[i]) if plan.owner[i] >= 0 else None
        row["is_qualified"] = code != "prospect" or r[4] < 0.4
        row["completeness"] = complete(kind, row)
        rows.append(row)

        phones = [row.get("phone", "")] + [v for k, v, _l in extra_phones if k == "phone"]
        keys = _name_keys(row["name"], row.get("name_en", ""), tuple(aliases)) | customer_keys(
            name="", phones=phones, emails=[row.get("email", "")]
        )
        keys_c.extend([i] * len(keys))
        keys_k.extend(sorted(keys))
        for kind_, value, label in extra_phones:
            ct_c.append(i)
            ct_rows.append((kind_, value, label))
        if row.get("address"):
            ad_c.append(i)
            ad_rows.append(("work" if company else "home", row, row["address"]))
            if r[5] > 0.9:
                ad_c.append(i)
                ad_rows.append(("shipping", row, street(rng, company)))

    return Profiles(
        customers=_customer_table(rows, plan, org, created),
        search_keys=Table(
            SearchKey,
            {
                "customer_id": plan.ids[np.array(keys_c, dtype=np.int64)],
                # The customer's team on each key (SearchKey.team_id; -1: none).
                "team_id": plan.team[np.array(keys_c, dtype=np.int64)],
                "key": keys_k,
            },
        ),
        contacts=_contact_table(plan, ct_c, ct_rows, created),
        addresses=_address_table(plan, ad_c, ad_rows, created),
        tags=Table(
            Customer.tags.through,
            {
                "customer_id": plan.ids[np.array(tag_c, dtype=np.int64)],
                "tag_id": np.array(tag_t, dtype=np.int64),
            },
        ),
        groups=groups,
    )


def _split_name(name: str) -> tuple[str, str]:
    """(surname, given name), compound surnames first."""
    for surname in sorted(N.SURNAME_HAN, key=len, reverse=True):
        if name.startswith(surname) and len(name) > len(surname):
            return surname, name[len(surname) :]
    return name[:1], name[1:]


def _duplicate_of(
    rng: np.random.Generator, orig: dict[str, Any], company: bool, other_phone: str, tail: int
) -> tuple[dict[str, Any], list[str]]:
    """The original re-entered by someone who did not find it: a new record with the name in
    another script or mistyped, another or no phone, the e-mail in other case or missing, a
    slip in the address. Returns the row and what was varied (the dedupe truth)."""
    keep = ("kind", "province", "city", "district", "postcode", "gender", "industry", "employees")
    row = {k: orig[k] for k in keep if k in orig}
    varied: list[str] = []
    name, roll = orig["name"], rng.random()
    trad = N.traditional(name)
    if roll < 0.35 and trad != name:
        name, how = trad, "traditional"
    elif roll < 0.6 and company:
        name, how = name.replace("有限公司", ""), "short"
    elif roll < 0.65 and not company:
        surname, given = _split_name(name)
        name, how = N.pinyin_name(surname, given, western_order=rng.random() < 0.5), "pinyin"
    elif roll < 0.85 and N.typo_name(rng, name) != name:
        name, how = N.typo_name(rng, name), "typo"
    else:
        how = "same"
    row["name"] = name
    varied.append(f"name:{how}")

    roll = rng.random()
    if orig.get("phone") and roll < 0.55:
        row["phone"], how = orig["phone"], "same"
    elif roll < 0.8:
        row["phone"], how = other_phone, "other"
    else:
        row["phone"], how = "", "missing"
    varied.append(f"phone:{how}")

    email, roll = orig.get("email", ""), rng.random()
    if email and roll < 0.4:
        row["email"], how = email, "same"
    elif email and roll < 0.55 and email[0].isalpha():
        row["email"], how = email[0].upper() + email[1:], "case"
    elif roll < 0.85:
        row["email"], how = "", "missing"
    else:
        local = "info" if company else N.pinyin_of(orig["name"]) or "kehu"
        row["email"], how = f"{local}{tail}@126.com", "other"
    varied.append(f"email:{how}")

    address, roll = orig.get("address", ""), rng.random()
    if address and roll < 0.4:
        row["address"], how = address, "same"
    elif address and roll < 0.8:
        row["address"], how = typo_street(rng, address), "typo"
    else:
        row["address"], how = "", "missing"
        row["district"] = row["postcode"] = ""
    varied.append(f"address:{how}")

    if orig.get("birthday") and rng.random() < 0.6:
        row["birthday"], row["age_band"] = orig["birthday"], orig.get("age_band", "")
    if orig.get("id_number") and rng.random() < 0.5:
        row["id_number"] = orig["id_number"]
    return row, varied


def _col(rows: list[dict[str, Any]], key: str, default: Any = "") -> list[Any]:
    return [row.get(key, default) for row in rows]


def _customer_table(rows: list[dict], plan: Plan, org: Org, created: np.ndarray) -> Table:
    text = ("kind", "name", "name_en", "external_id", "phone", "email", "province", "city",
            "district", "address", "postcode", "trade_area", "gender", "age_band",
            "income_band", "id_number", "industry", "source", "notes")  # fmt: skip
    cols: dict[str, Any] = {"id": plan.ids, "created_at": created, "updated_at": created}
    cols.update({key: _col(rows, key) for key in text})
    for key in ("distance_km", "birthday", "household_size", "employees", "acquired_on"):
        cols[key] = _col(rows, key, None)
    cols["aliases"] = _col(rows, "aliases", [])
    cols["attributes"] = _col(rows, "attributes", {})
    cols["completeness"] = np.array(_col(rows, "completeness", 0), dtype=np.int64)
    cols["is_qualified"] = np.array(_col(rows, "is_qualified", False), dtype=bool)
    cols["owner_id"] = plan.owner
    cols["team_id"] = plan.team
    cols["region_id"] = org.region_ids[plan.region]
    cols["partner_id"] = plan.partner
    return Table(Customer, cols)


def _contact_table(plan: Plan, who: list[int], rows: list[tuple], created: np.ndarray) -> Table:
    idx = np.array(who, dtype=np.int64)
    return Table(
        ContactPoint,
        {
            "customer_id": plan.ids[idx],
            "kind": [r[0] for r in rows],
            "value": [r[1] for r in rows],
            "label": [r[2] for r in rows],
            "created_at": created[idx],
            "updated_at": created[idx],
        },
    )


def _address_table(plan: Plan, who: list[int], rows: list[tuple], created: np.ndarray) -> Table:
    idx = np.array(who, dtype=np.int64)
    return Table(
        Address,
        {
            "customer_id": plan.ids[idx],
            "kind": [r[0] for r in rows],
            "province": [r[1]["province"] for r in rows],
            "city": [r[1]["city"] for r in rows],
            "district": [r[1].get("district", "") for r in rows],
            "street": [r[2] for r in rows],
            "postcode": [r[1].get("postcode", "") for r in rows],
            "created_at": created[idx],
            "updated_at": created[idx],
        },
    )
