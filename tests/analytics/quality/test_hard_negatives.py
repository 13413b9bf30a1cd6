"""Hard cases on a hand-made table (hand-set priors, no training): a family on one
landline and address, and two namesakes in one city, stay apart; a duplicate that shares
neither phone nor e-mail but whose name and address agree once normalised is found."""

from __future__ import annotations

import pandas as pd

from kehu.analytics.quality.dedupe import DuplicateFinder

from .conftest import cluster_of

ROWS = [
    # A family: one landline, one home, different given names.
    {"id": "f-1", "name": "张伟", "phone": "010-62345678", "email": "zw@example.com",
     "address": "北京市海淀区中关村大街1号5栋301室"},
    {"id": "f-2", "name": "张芳", "phone": "(010) 6234 5678",
     "address": "北京市海淀区中关村大街1号5栋301室"},
    {"id": "f-3", "name": "李秀英", "phone": "010 6234 5678",
     "address": "北京海淀中关村大街1号5栋301室"},
    # A sister, her name typed in pinyin.
    {"id": "f-4", "name": "Zhang Wanfei", "phone": "+86 10 6234 5678",
     "address": "北京市海淀區中關村大街1號5棟301室"},
    # Two people called 王芳 in Guangzhou, other streets, other phones.
    {"id": "n-1", "name": "王芳", "phone": "13800001111", "city": "广州",
     "address": "广东省广州市天河区天河路385号2栋1201室"},
    {"id": "n-2", "name": "王芳", "phone": "13900002222", "city": "广州市",
     "address": "广东省广州市天河区体育西路103号9栋502室"},
    # One person, typed twice with nothing in common but the name and the address.
    {"id": "d-1", "name": "陈晓东", "phone": "13700003333", "email": "cxd@qq.com",
     "address": "浙江省杭州市西湖区文三路90号3栋1101室"},
    {"id": "d-2", "name": "陳曉東", "phone": "18600004444",
     "address": "浙江杭州西湖區文三路90號3棟1101室"},
    {"id": "d-3", "name": "Xiaodong Chen",
     "address": "杭州市西湖区文三路九十号三栋一一零一室"},
]  # fmt: skip


def _clusters() -> dict[str, str]:
    return cluster_of(DuplicateFinder().fit(pd.DataFrame(ROWS)).predict_clusters())


def test_family_members_on_one_landline_and_address_stay_apart():
    of = _clusters()
    assert len({of["f-1"], of["f-2"], of["f-3"], of["f-4"]}) == 4


def test_namesakes_in_one_city_at_other_addresses_stay_apart():
    of = _clusters()
    assert of["n-1"] != of["n-2"]


def test_duplicate_sharing_neither_phone_nor_email_is_found():
    of = _clusters()
    assert of["d-1"] == of["d-2"] == of["d-3"]
