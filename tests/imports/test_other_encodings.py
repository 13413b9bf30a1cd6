"""Big5 and Shift-JIS files are refused with a message naming the encoding, instead of being
read as GB18030 nonsense; UTF-8, UTF-8 with BOM and GBK (also with traditional characters)
keep working (issue #9)."""

import pytest

from kehu.imports import services
from kehu.imports.limits import FileRefused
from kehu.imports.models import ImportJob

from .conftest import write_csv

TAIWAN = [
    ["姓名", "手機", "城市", "地址"],
    ["陳大文", "0912345678", "臺北", "臺北市信義區信義路五段7號"],
    ["林美玲", "0987654321", "高雄", "高雄市前鎮區中山二路"],
]
JAPAN = [
    ["氏名", "電話", "市区町村", "住所"],
    ["山田太郎", "09012345678", "東京", "東京都千代田区丸の内一丁目"],
    ["佐藤花子", "08098765432", "大阪", "大阪府大阪市北区梅田"],
]
MAINLAND = [
    ["姓名", "手机", "城市", "地址"],
    ["张伟", "13800138000", "上海", "上海市浦东新区世纪大道100号"],
    ["李娜", "13900139000", "北京", "北京市朝阳区建国路88号"],
]


@pytest.mark.parametrize(
    ("rows", "encoding", "label"), [(TAIWAN, "big5", "Big5"), (JAPAN, "shift_jis", "Shift-JIS")]
)
def test_big5_and_shift_jis_are_refused(org, tmp_path, rows, encoding, label):
    path = write_csv(tmp_path / "x.csv", rows, encoding=encoding)
    with pytest.raises(FileRefused) as exc:
        services.job_create(user=org.alice, kind="customers", path=path)
    assert label in str(exc.value) and "UTF-8" in str(exc.value)
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    ("rows", "encoding", "detected"),
    [
        (MAINLAND, "utf-8", "utf-8-sig"),
        (MAINLAND, "utf-8-sig", "utf-8-sig"),
        (MAINLAND, "gbk", "gb18030"),
        (MAINLAND + [["𠀀先生", "13700137000", "广州", "天河区"]], "gb18030", "gb18030"),
        (TAIWAN, "gbk", "gb18030"),
        (TAIWAN, "utf-8", "utf-8-sig"),
    ],
)
def test_chinese_encodings_still_read(org, tmp_path, rows, encoding, detected):
    path = write_csv(tmp_path / "x.csv", rows, encoding=encoding)
    job = services.job_create(user=org.alice, kind="customers", path=path)
    assert job.encoding == detected and job.headers[0] == rows[0][0]
