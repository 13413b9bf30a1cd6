"""The demo's knowledge base (issue #13, E8/E4): categories and bilingual articles on using
the water purifiers, billing, delivery, returns and accounts — most public (the portal shows
them), some internal (the agents' own procedures), a few still drafts — and some drafted from
the demo's resolved complaints, the way an agent makes one from a ticket.

Written through kehu.knowledge.services (a few dozen rows), so the validation and the audit
trail are the pages' own. Running it again adds nothing once the demo's articles exist."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from kehu.core import audit
from kehu.knowledge import services
from kehu.knowledge.models import Article, Category
from kehu.service.models import Ticket

CATEGORIES = (
    ("usage", "产品使用", "Product usage"),
    ("billing", "账单与付款", "Billing and payment"),
    ("delivery", "配送与安装", "Delivery and installation"),
    ("returns", "退换货与保修", "Returns and warranty"),
    ("account", "账户与会员", "Account and membership"),
)

# (category, visibility, status, title zh, body zh, title en, body en); either language may
# be missing, as in a real knowledge base.
ARTICLES: tuple[tuple[str, str, str, str, str, str, str], ...] = (
    ("usage", "public", "published",
     "滤芯多久更换一次？",
     "PP棉滤芯建议每3-6个月更换，活性炭滤芯6-12个月，RO反渗透膜24个月。\n"
     "实际周期取决于当地水质和用水量。机身指示灯变红时请尽快更换。",
     "How often should I change the filters?",
     "Change the PP sediment filter every 3-6 months, the carbon filter every 6-12 months "
     "and the RO membrane every 24 months.\nThe real interval depends on your water and how "
     "much you use. Replace a filter soon after its light turns red."),
    ("usage", "public", "published",
     "滤芯更换步骤（RO-500系列）",
     "1. 关闭进水阀并断电。\n2. 逆时针旋转旧滤芯约90度取下。\n3. 撕掉新滤芯保护膜，对准卡槽顺时针装入。\n"
     "4. 打开进水阀，冲洗5分钟后再饮用。\n5. 长按“复位”键3秒，重置滤芯寿命。",
     "Changing a filter (RO-500 series)",
     "1. Close the inlet valve and unplug the unit.\n2. Turn the old filter 90° anticlockwise "
     "and pull it out.\n3. Remove the new filter's wrap and turn it in clockwise.\n4. Open the "
     "valve and flush for 5 minutes before drinking.\n5. Hold RESET for 3 seconds."),
    ("usage", "public", "published",
     "出水变慢怎么办？",
     "先检查进水阀是否完全打开、自来水压力是否正常。若压力正常，多为前置滤芯堵塞，更换PP棉即可。"
     "冬季水温低时出水量会下降约20%，属正常现象。",
     "Water flow is slow",
     "Check that the inlet valve is fully open and the mains pressure is normal. If it is, the "
     "sediment filter is usually clogged: replace it. In winter cold water lowers the flow by "
     "about 20 %, which is normal."),
    ("usage", "public", "published",
     "机器有异响是否正常？",
     "制水时增压泵运转会有轻微嗡嗡声，属正常。若出现持续咔哒声或尖啸声，请拍摄视频联系客服，"
     "我们将安排工程师上门检查。",
     "", ""),
    ("usage", "public", "published",
     "", "",
     "Understanding the TDS reading",
     "TDS (total dissolved solids) shows how much is dissolved in the water. Purified water "
     "below 50 ppm is normal; a rising reading means the RO membrane is wearing out."),
    ("usage", "internal", "published",
     "远程诊断：读取设备故障码",
     "在设备后台输入机器序列号，可查看最近30天的故障码。\nE1：缺水保护；E2：漏水保护（检查底部浮子）；"
     "E3：制水超时（多为膜堵塞）；E5：传感器故障，需上门更换主板。",
     "Remote diagnosis: reading fault codes",
     "Enter the serial number in the device console to see the last 30 days of fault codes.\n"
     "E1 no water; E2 leak protection (check the float at the bottom); E3 production timeout "
     "(usually a clogged membrane); E5 sensor fault, needs a board replacement on site."),
    ("billing", "public", "published",
     "如何下载电子发票？",
     "登录会员中心，进入“我的订单”，在订单详情页点击“下载发票”。发票在付款后3个工作日内开具。"
     "如需增值税专用发票，请联系客服并提供开票信息。",
     "Downloading an e-invoice",
     "Sign in, open My orders and click Download invoice on the order page. Invoices are "
     "issued within 3 working days of payment. For a VAT special invoice, contact us with your "
     "company's invoicing details."),
    ("billing", "public", "published",
     "分期付款与手续费说明",
     "订单满2000元可选择3期或6期免息分期（支持花呗、信用卡）。12期分期手续费由银行收取，"
     "以支付页面显示为准。",
     "Instalments and fees",
     "Orders over ¥2,000 can be paid in 3 or 6 interest-free instalments (Huabei or credit "
     "card). 12 instalments carry the bank's fee, shown on the payment page."),
    ("billing", "public", "published",
     "重复扣款怎么办？",
     "因网络原因偶尔会出现重复扣款，系统会在24小时内自动原路退回。超过3个工作日仍未到账，"
     "请提供付款截图联系客服。",
     "I was charged twice",
     "A network glitch can charge a payment twice; the second charge is refunded to the same "
     "account within 24 hours. If it has not arrived after 3 working days, contact us with a "
     "screenshot of the payment."),
    ("billing", "internal", "published",
     "收费争议处理流程",
     "1. 核对订单、发票和付款记录。\n2. 确认是否为系统计费错误（查看计费日志）。\n"
     "3. 金额500元以内可直接退差价；超过500元需主管审批。\n4. 处理结果在工单中记录根本原因。",
     "Handling a billing dispute",
     "1. Check the order, invoice and payment records.\n2. Find out whether billing was wrong "
     "(the billing log).\n3. Refund a difference up to ¥500 yourself; above that a supervisor "
     "approves.\n4. Record the root cause on the ticket."),
    ("delivery", "public", "published",
     "配送时效与运费",
     "江浙沪地区一般次日达，其他地区2-4天送达，偏远地区5-7天。订单满99元包邮。"
     "大件商品由物流公司送货上门并预约时间。",
     "Delivery times and shipping costs",
     "Usually next day in Jiangsu, Zhejiang and Shanghai, 2-4 days elsewhere and 5-7 days to "
     "remote areas. Shipping is free over ¥99. Large items are delivered by appointment."),
    ("delivery", "public", "published",
     "如何预约上门安装？",
     "收到货后在会员中心或拨打400热线预约安装，工程师会在24小时内电话确认时间。"
     "安装前请确认厨房有电源插座和进水角阀。",
     "Booking an installation",
     "Once the unit has arrived, book installation in your account or on the 400 hotline; an "
     "engineer calls within 24 hours to agree a time. Please make sure there is a socket and "
     "an angle valve under the sink."),
    ("delivery", "public", "published",
     "修改收货地址",
     "订单发货前可在“我的订单”中修改收货地址；已发货的订单请联系客服，由物流公司转寄（可能产生费用）。",
     "Changing the delivery address",
     "Before shipping you can change the address under My orders; once shipped, contact us and "
     "the carrier will redirect it (a fee may apply)."),
    ("delivery", "internal", "published",
     "物流破损的处理",
     "请客户拍摄外包装和商品照片，24小时内在物流系统提交理赔。先为客户补发，无需等待理赔结果。",
     "Damaged in transit",
     "Ask the customer for photos of the box and the product and file the carrier claim within "
     "24 hours. Send a replacement at once; do not wait for the claim."),
    ("returns", "public", "published",
     "如何申请退货？",
     "签收后7天内，商品未安装使用且包装完好，可在订单页申请无理由退货。"
     "审核通过后预约快递上门取件，退款在仓库签收后3个工作日内原路退回。",
     "How do I return a product?",
     "Within 7 days of delivery, uninstalled and in its packaging, a product can be returned "
     "without giving a reason: ask on the order page. After approval a courier collects it; "
     "the refund reaches your account within 3 working days of our warehouse receiving it."),
    ("returns", "public", "published",
     "保修政策",
     "整机保修1年，核心部件（增压泵、RO膜除外的电子部件）保修3年。滤芯属于耗材，不在保修范围内。"
     "保修期内非人为损坏免费维修。",
     "Warranty",
     "The unit has a 1-year warranty and its core parts (pump and electronics) 3 years. Filters "
     "are consumables and not covered. Repairs of faults not caused by misuse are free within "
     "the warranty."),
    ("returns", "public", "published",
     "换货流程",
     "收到商品15天内出现性能故障，可申请换货。工程师上门检测确认后，新机与旧机同时交接。",
     "Exchanging a faulty product",
     "If a product develops a fault within 15 days, ask for an exchange. An engineer checks it "
     "and brings the new unit when collecting the old one."),
    ("returns", "public", "draft",
     "以旧换新活动说明", "旧机折价50-300元，具体以工程师上门评估为准。活动细则待市场部确认。",
     "", ""),
    ("account", "public", "published",
     "忘记密码怎么办？",
     "在登录页点击“忘记密码”，输入注册手机号获取验证码即可重置。若手机号已停用，请联系客服核实身份后更换。",
     "I forgot my password",
     "Click Forgot password on the sign-in page and enter your phone number to get a code. If "
     "that number is no longer yours, contact us to verify who you are and change it."),
    ("account", "public", "published",
     "会员等级与积分",
     "每消费1元积1分，积分可抵扣滤芯费用（100分=1元）。年消费满3000元升级为金卡会员，享受免费上门清洗。",
     "Membership levels and points",
     "Every ¥1 spent earns 1 point; 100 points take ¥1 off filters. Spending ¥3,000 in a year "
     "makes you a Gold member, with free cleaning visits."),
    ("account", "public", "published",
     "", "",
     "Closing your account and your data",
     "You can ask us to close your account at any time. We keep invoices as the tax law "
     "requires and erase the rest of your personal data within 15 working days (PIPL)."),
    ("account", "internal", "published",
     "客户身份核实规范",
     "修改手机号、地址或查询订单前，须核对以下任意两项：姓名、注册手机号后四位、最近一笔订单金额、安装地址。"
     "不得在电话中读出完整手机号或身份证号。",
     "Verifying a caller's identity",
     "Before changing a phone number or address or reading out an order, check two of: name, "
     "last four digits of the registered phone, the last order's amount, the installation "
     "address. Never read out a full phone or ID number."),
)  # fmt: skip

FROM_TICKETS = 4
# The demo tickets' complaint categories (kehu.demo.tickets) in the knowledge base's.
TICKET_CATEGORY = {"产品质量": "usage", "配送延误": "delivery", "安装问题": "delivery",
                   "收费争议": "billing"}  # fmt: skip


def _author() -> Any:
    return (
        get_user_model()
        .objects.filter(profile__role="service", is_active=True)
        .order_by("id")
        .first()
    )


def build_knowledge(options: Any, org: Any) -> int:
    """The demo's categories and articles; returns how many articles were written."""
    if Article.objects.exists():
        return 0
    author = _author()
    with audit.acting_as(None, "demo"):
        categories = {}
        for position, (key, zh, en) in enumerate(CATEGORIES):
            categories[key], _ = Category.objects.get_or_create(
                name_zh=zh, defaults={"name_en": en, "position": position}
            )
        written = 0
        for key, visibility, status, title_zh, body_zh, title_en, body_en in ARTICLES:
            services.article_create(by=author, category=categories[key], visibility=visibility,
                                    status=status, title_zh=title_zh, body_zh=body_zh,
                                    title_en=title_en, body_en=body_en)  # fmt: skip
            written += 1
        return written + _from_tickets(author, categories)


def _from_tickets(author: Any, categories: dict[str, Category]) -> int:
    """Lessons from resolved complaints with a root cause, one per category, the way an agent
    makes them (a draft from the ticket); the first two published for the staff."""
    seen: set[str] = set()
    made = 0
    candidates = (
        Ticket.objects.filter(kind=Ticket.Kind.COMPLAINT, status__in=Ticket.DONE)
        .exclude(root_cause="")
        .order_by("id")[:200]
    )
    for ticket in candidates:
        if ticket.category in seen:
            continue
        seen.add(ticket.category)
        article = services.article_from_ticket(ticket=ticket, by=author)
        key = TICKET_CATEGORY.get(ticket.category)
        if key is not None:
            article = services.article_update(article=article, by=author, category=categories[key])
        if made < 2:
            services.article_publish(article=article, by=author)
        made += 1
        if made == FROM_TICKETS:
            break
    return made
