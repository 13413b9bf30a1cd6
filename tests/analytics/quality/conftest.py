"""Fixtures of the duplicate-detection tests: a hand-made Chinese set and one
model trained on it plus synthetic background customers (fitted once)."""

from __future__ import annotations

import pandas as pd
import pytest

from kehu.analytics.quality.dedupe import DuplicateFinder
from tests.support.synthetic import generate_customers

# Three ways of writing the same 张伟 (simplified, traditional, pinyin; the phone
# in three formats), two *other* people called 张伟, and a few others.
HANDMADE = [
    {"id": "zw-1", "name": "张伟", "phone": "138 0013 8000", "birthday": "1985-06-01",
     "city": "北京", "address": "北京市海淀区中关村大街1号", "email": "zhangwei85@qq.com"},
    {"id": "zw-2", "name": "張偉", "phone": "+86 138-0013-8000", "birthday": "1985/6/1",
     "city": "北京市", "address": "北京市海淀區中關村大街1號"},
    {"id": "zw-3", "name": "Zhang Wei", "phone": "008613800138000", "city": "Beijing",
     "email": "ZhangWei85@QQ.com"},
    {"id": "zw-other-1", "name": "张伟", "phone": "139 1234 5678", "birthday": "1990-02-03",
     "city": "北京", "address": "北京市朝阳区建国路88号"},
    {"id": "zw-other-2", "name": "张伟", "phone": "(021) 6888 1234", "birthday": "1978-11-30",
     "city": "上海", "address": "上海市浦东新区世纪大道100号"},
    {"id": "ln-1", "name": "李娜", "phone": "13500001234", "birthday": "1992-08-15",
     "city": "成都", "company": "成都天府软件有限公司"},
    {"id": "ln-2", "name": "Li Na", "phone": "135-0000-1234", "birthday": "1992年8月15日",
     "city": "成都市", "company": "成都天府軟件有限責任公司"},
    {"id": "wf-1", "name": "王芳", "phone": "18600001111", "birthday": "1970-01-20",
     "city": "广州", "address": "广州市天河区天河路385号"},
]  # fmt: skip

SAME_PERSON = {"zw-1", "zw-2", "zw-3"}


def handmade_frame() -> pd.DataFrame:
    return pd.DataFrame(HANDMADE)


def cluster_of(clusters: pd.DataFrame) -> dict[str, str]:
    return dict(zip(clusters["id"].astype(str), clusters["cluster_id"].astype(str), strict=True))


def pairwise_scores(truth: set[tuple[str, str]], clusters: pd.DataFrame) -> dict[str, float]:
    """Pairwise precision/recall/F1 of the pairs implied by ``clusters``."""
    predicted: set[tuple[str, str]] = set()
    multi = clusters[clusters["cluster_size"] > 1] if "cluster_size" in clusters else clusters
    for _, group in multi.groupby("cluster_id"):
        members = sorted(group["id"].astype(str))
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                predicted.add((a, b))
    truth = {tuple(sorted(p)) for p in truth}  # type: ignore[misc]
    tp = len(truth & predicted)
    precision = tp / len(predicted) if predicted else 1.0
    recall = tp / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "predicted": len(predicted)}


@pytest.fixture(scope="session")
def background() -> pd.DataFrame:
    """1,500 synthetic customers (enough to train) plus the hand-made ones."""
    data = generate_customers(1500, dup_rate=0.05, seed=2024)
    return pd.concat([data.customers, handmade_frame()], ignore_index=True)


@pytest.fixture(scope="session")
def trained(background) -> DuplicateFinder:
    return DuplicateFinder().fit(background)
