"""Which column holds which field: the fields each kind accepts, the headers (Chinese and
English) they are recognised by, and mappings as JSON ``{column header: field}``."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from kehu.customers.fields import IMPORTABLE


@dataclass(frozen=True)
class Field:
    name: str
    label: object  # lazy translation
    synonyms: tuple[str, ...] = ()
    required: bool = False


# A customer reference column accepts the customer's external id, phone or e-mail.
CUSTOMER_REF = (
    "客户",
    "客户编号",
    "客户id",
    "客户外部编号",
    "客户手机",
    "客户电话",
    "customer",
    "customer_id",
    "customer_external_id",
    "customer_phone",
    "customer_email",
)

CUSTOMER_FIELDS = [
    Field("name", _("Name"), ("姓名", "客户名称", "名称", "客户姓名", "name", "full_name"), True),
    Field("name_en", _("English name"), ("英文名", "英文姓名", "name_en", "english_name")),
    Field("kind", _("Person or company"), ("类型", "客户类型", "kind", "type")),
    Field(
        "phone",
        _("Phone"),
        ("手机", "手机号", "手机号码", "电话", "联系电话", "phone", "mobile", "tel", "telephone"),
    ),
    Field("email", _("Email"), ("邮箱", "电子邮件", "电子邮箱", "email", "e-mail", "mail")),
    Field("province", _("Province"), ("省", "省份", "province")),
    Field("city", _("City"), ("市", "城市", "city")),
    Field("district", _("District"), ("区", "区县", "district")),
    Field("address", _("Street address"), ("地址", "详细地址", "街道地址", "address", "street")),
    Field("postcode", _("Postcode"), ("邮编", "邮政编码", "postcode", "zip", "postal_code")),
    Field("birthday", _("Birthday"), ("生日", "出生日期", "birthday", "birth_date", "dob")),
    Field("gender", _("Gender"), ("性别", "gender", "sex")),
    Field(
        "id_number",
        _("ID card / tax number"),
        ("身份证", "身份证号", "证件号", "证件号码", "税号", "id_number", "tax_number"),
    ),
    Field("company", _("Company"), ("公司", "公司名称", "单位", "company", "employer")),
    Field("industry", _("Industry"), ("行业", "industry")),
    Field("source", _("Acquisition source"), ("来源", "客户来源", "source")),
    Field("owner", _("Owner (username)"), ("负责人", "销售", "归属", "owner", "owner_username")),
    Field("external_id", _("External id"), ("外部编号", "客户编号", "编号", "external_id", "id")),
    Field("tags", _("Tags"), ("标签", "tags", "tag")),
    Field(
        "acquired_on",
        _("Customer since"),
        ("首次购买", "入会日期", "客户起始日期", "acquired_on", "customer_since"),
    ),
    Field("notes", _("Notes"), ("备注", "notes", "note", "remark")),
]
# Which customer fields may be imported is the field registry's call (``importable``); this
# module only adds the headers each is recognised by. "company" is the import's own column,
# kept as a custom attribute.
IMPORT_ONLY_FIELDS = {"company"}
CUSTOMER_FIELDS = [
    f for f in CUSTOMER_FIELDS if f.name in IMPORTABLE or f.name in IMPORT_ONLY_FIELDS
]

RELATION_FIELDS = [
    Field(
        "from_customer",
        _("Customer"),
        ("客户", "客户编号", "from_customer", "customer", "from"),
        True,
    ),
    Field(
        "to_customer",
        _("Related customer"),
        ("关联客户", "关联客户编号", "to_customer", "related_customer", "to"),
        True,
    ),
    Field("kind", _("Relation"), ("关系", "关系类型", "relation", "kind", "type"), True),
    Field("role", _("Role"), ("角色", "职务", "role")),
    Field("since", _("Since"), ("开始日期", "起始", "since")),
    Field("note", _("Note"), ("备注", "note", "notes")),
]

ORDER_FIELDS = [
    Field(
        "order_number",
        _("Order number"),
        ("订单号", "订单编号", "order_number", "order_no", "order"),
        True,
    ),
    Field("customer", _("Customer (id, phone or email)"), CUSTOMER_REF, True),
    Field("date", _("Order date"), ("日期", "下单日期", "订单日期", "date", "order_date"), True),
    Field("channel", _("Channel"), ("渠道", "channel")),
    Field("status", _("Status"), ("状态", "订单状态", "status")),
    Field("campaign", _("Campaign code"), ("活动", "活动编号", "campaign")),
    Field(
        "product",
        _("Product SKU"),
        ("产品", "sku", "产品编号", "商品编号", "product", "product_sku"),
    ),
    Field("product_name", _("Product name"), ("产品名称", "商品名称", "product_name")),
    Field("quantity", _("Quantity"), ("数量", "quantity", "qty")),
    Field("unit_price", _("Unit price"), ("单价", "unit_price", "price")),
    Field("amount", _("Amount"), ("金额", "amount", "total")),
    Field("cost", _("Cost"), ("成本", "cost")),
    Field("sales_rep", _("Sales rep (username)"), ("销售员", "销售代表", "sales_rep")),
]

INVOICE_FIELDS = [
    Field(
        "invoice_number",
        _("Invoice number"),
        ("发票号", "发票编号", "invoice_number", "invoice"),
        True,
    ),
    Field("customer", _("Customer (id, phone or email)"), CUSTOMER_REF, True),
    Field("order_number", _("Order number"), ("订单号", "order_number")),
    Field("issued_on", _("Issued"), ("开票日期", "日期", "issued_on", "date"), True),
    Field("due_on", _("Due"), ("到期日", "到期日期", "due_on", "due_date"), True),
    Field("amount", _("Amount"), ("金额", "发票金额", "amount"), True),
    Field("written_off", _("Written off"), ("核销", "坏账", "written_off")),
]

PAYMENT_FIELDS = [
    Field(
        "invoice_number",
        _("Invoice number"),
        ("发票号", "发票编号", "invoice_number", "invoice"),
        True,
    ),
    Field("date", _("Paid on"), ("日期", "付款日期", "收款日期", "paid_on", "date"), True),
    Field("amount", _("Amount"), ("金额", "付款金额", "收款金额", "amount"), True),
    Field("method", _("Method"), ("方式", "付款方式", "method")),
    Field("external_id", _("External id"), ("外部编号", "流水号", "external_id", "id")),
]

INTERACTION_FIELDS = [
    Field("customer", _("Customer (id, phone or email)"), CUSTOMER_REF, True),
    Field(
        "occurred_at", _("When"), ("时间", "日期", "联系时间", "occurred_at", "date", "time"), True
    ),
    Field("channel", _("Channel"), ("渠道", "方式", "channel"), True),
    Field("subject", _("Subject"), ("主题", "事由", "subject"), True),
    Field("notes", _("Notes"), ("备注", "内容", "notes")),
    Field("direction", _("Direction"), ("方向", "direction")),
    Field("department", _("Department"), ("部门", "department")),
    Field("outcome", _("Outcome"), ("结果", "outcome")),
    Field(
        "duration_minutes",
        _("Duration (minutes)"),
        ("时长", "时长分钟", "duration", "duration_minutes"),
    ),
    Field("user", _("By (username)"), ("员工", "联系人员", "user", "by")),
    Field("external_id", _("External id"), ("外部编号", "external_id", "id")),
]

# A lead file (issue #14): the fields kehu.development.services_import.IMPORT_FIELDS accepts, and
# the owner. Matched like customers, without the external id leads don't have.
LEAD_FIELDS = [
    Field(
        "name",
        _("Name"),
        ("名称", "姓名", "线索名称", "客户名称", "联系人", "name", "full_name", "lead"),
        True,
    ),
    Field("kind", _("Person or company"), ("类型", "线索类型", "kind", "type")),
    Field(
        "phone",
        _("Phone"),
        ("电话", "手机", "手机号", "手机号码", "联系电话", "phone", "mobile", "tel", "telephone"),
    ),
    Field("email", _("Email"), ("邮箱", "电子邮件", "电子邮箱", "email", "e-mail", "mail")),
    Field("company", _("Company"), ("公司", "公司名称", "单位", "company", "employer")),
    Field("city", _("City"), ("城市", "市", "city")),
    Field("source", _("Lead source"), ("来源", "线索来源", "source", "lead_source"), True),
    Field("campaign", _("Campaign code"), ("活动", "活动编号", "campaign", "campaign_code")),
    Field("grade", _("Grade (A/B/C)"), ("等级", "级别", "潜力等级", "grade")),
    Field("owner", _("Owner (username)"), ("负责人", "销售", "归属", "owner", "owner_username")),
    Field("money", _("Money (budget)"), ("资金", "预算", "money", "budget")),
    Field("money_note", _("Money note"), ("资金备注", "预算备注", "money_note")),
    Field("authority", _("Authority"), ("决策权", "决策人", "authority")),
    Field("authority_note", _("Authority note"), ("决策备注", "决策权备注", "authority_note")),
    Field("need", _("Need"), ("需求", "need")),
    Field("need_note", _("Need note"), ("需求备注", "need_note")),
    Field("notes", _("Notes"), ("备注", "notes", "note", "remark")),
]

FIELDS: dict[str, list[Field]] = {
    "customers": CUSTOMER_FIELDS,
    "relations": RELATION_FIELDS,
    "orders": ORDER_FIELDS,
    "invoices": INVOICE_FIELDS,
    "payments": PAYMENT_FIELDS,
    "interactions": INTERACTION_FIELDS,
    "leads": LEAD_FIELDS,
}

# A required field another column can stand in for: a company column names the customer
# when the row has no name of its own (the row is then the company itself).
STAND_INS = {("customers", "name"): "company", ("leads", "name"): "company"}

_PUNCT = re.compile(r"[\s\-_.:：()（）/\\*#]+")


def normalize_header(text: str) -> str:
    """``客户名称 *``, ``Phone No.``, ``E-mail`` → comparable keys."""
    text = unicodedata.normalize("NFKC", text or "").strip().lower()
    return _PUNCT.sub("", text)


def field_names(kind: str) -> list[str]:
    return [f.name for f in FIELDS[kind]]


def required_fields(kind: str) -> list[str]:
    return [f.name for f in FIELDS[kind] if f.required]


def field_choices(kind: str) -> list[tuple[str, object]]:
    return [(f.name, f.label) for f in FIELDS[kind]]


def auto_map(kind: str, headers: list[str]) -> dict[str, str]:
    """Each header to the field it names, or ''. A field is taken by its first column only;
    exact synonym matches win over the field's own name appearing inside a longer header."""
    lookup: dict[str, str] = {}
    for f in FIELDS[kind]:
        for synonym in (f.name, *f.synonyms):
            lookup.setdefault(normalize_header(synonym), f.name)
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for header in headers:
        name = lookup.get(normalize_header(header), "")
        if name and name not in taken:
            mapping[header] = name
            taken.add(name)
        else:
            mapping[header] = ""
    return mapping


def check_mapping(kind: str, mapping: dict[str, str]) -> list[str]:
    """Problems with a mapping (unknown fields, a field used twice, required missing)."""
    known = set(field_names(kind))
    problems = []
    used: dict[str, str] = {}
    for header, name in mapping.items():
        if not name:
            continue
        if name not in known:
            problems.append(
                str(
                    _("Unknown field “%(field)s” for column “%(column)s”.")
                    % {"field": name, "column": header}
                )
            )
        elif name in used:
            problems.append(
                str(
                    _("Field “%(field)s” is mapped twice (“%(a)s” and “%(b)s”).")
                    % {"field": name, "a": used[name], "b": header}
                )
            )
        else:
            used[name] = header
    labels = dict(field_choices(kind))
    for name in required_fields(kind):
        if name not in used and STAND_INS.get((kind, name)) not in used:
            problems.append(
                str(
                    _("No column is mapped to the required field “%(field)s”.")
                    % {"field": labels[name]}
                )
            )
    return problems


def merge_mapping(kind: str, headers: list[str], saved: dict[str, str]) -> dict[str, str]:
    """A saved mapping applied to this file's headers; headers it doesn't know are auto-mapped.
    Saved entries match headers after normalisation, so ``Phone `` finds ``phone``."""
    auto = auto_map(kind, headers)
    by_norm = {normalize_header(h): f for h, f in saved.items()}
    result = {}
    for header in headers:
        norm = normalize_header(header)
        result[header] = by_norm[norm] if norm in by_norm else auto[header]
    return result


def load_mapping_file(path: Path | str) -> dict[str, str]:
    """A JSON object {column header: field name}; a list of pairs is accepted too."""
    data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    if isinstance(data, dict) and isinstance(data.get("mapping"), dict):
        data = data["mapping"]
    if isinstance(data, list):
        data = dict(data)
    if not isinstance(data, dict):
        raise ValueError("mapping file must hold a JSON object {column: field}")
    return {str(k): str(v or "") for k, v in data.items()}


def indices(headers: list[str], mapping: dict[str, str]) -> list[tuple[int, str]]:
    """(column index, field) pairs for the mapped columns, for fast row extraction."""
    return [(i, mapping[h]) for i, h in enumerate(headers) if mapping.get(h)]
