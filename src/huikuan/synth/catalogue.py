"""The simulated shop: its goods, its customers' names, its bank and its suppliers.

A short price list is deliberate: many orders share one price, so amounts alone never identify
an order (the trap that merges same-amount items in lesser tools).
"""

from __future__ import annotations

from typing import NamedTuple


class Item(NamedTuple):
    """One product: title, price in fen, 天猫佣金 rate in basis points, relative popularity."""

    title: str
    price: int
    commission_bp: int
    weight: int


ITEMS: tuple[Item, ...] = (
    Item("羊毛围巾 灰色", 12800, 500, 14),
    Item("羊毛围巾 酒红", 12800, 500, 10),
    Item("羊毛帽子", 4990, 500, 16),
    Item("羊毛手套", 5900, 500, 12),
    Item("羊毛袜 三双装", 3990, 300, 18),
    Item("羊绒衫 男款", 49900, 500, 5),
    Item("羊绒衫 女款", 49900, 500, 6),
    Item("羊毛毯 单人", 29900, 400, 4),
    Item("羊毛毯 双人", 45900, 400, 3),
    Item("羊毛坐垫", 8800, 400, 7),
    Item("羊毛护膝", 6900, 300, 3),
    Item("羊毛拖鞋", 7900, 300, 2),
)

#: postage the buyer pays on some orders (fen)
POSTAGE = 1000
POSTAGE_SHARE = 0.1

#: (surname, pinyin) for masked names such as ``张**(zha***@163.com)``
SURNAMES: tuple[tuple[str, str], ...] = (
    ("张", "zhang"), ("王", "wang"), ("李", "li"), ("赵", "zhao"), ("刘", "liu"), ("陈", "chen"),
    ("杨", "yang"), ("黄", "huang"), ("周", "zhou"), ("吴", "wu"), ("徐", "xu"), ("孙", "sun"),
    ("胡", "hu"), ("朱", "zhu"), ("高", "gao"), ("林", "lin"), ("何", "he"), ("郭", "guo"),
    ("马", "ma"), ("罗", "luo"),
)
MAIL_DOMAINS = ("163.com", "qq.com", "126.com", "sina.com", "139.com", "hotmail.com", "aliyun.com")
ADDRESSES = (
    "浙江省 杭州市 西湖区 ***", "上海 上海市 浦东新区 ***", "北京 北京市 朝阳区 ***",
    "广东省 深圳市 南山区 ***", "江苏省 南京市 鼓楼区 ***", "四川省 成都市 武侯区 ***",
    "湖北省 武汉市 洪山区 ***", "山东省 青岛市 市南区 ***",
)
COURIERS = ("中通快递", "圆通速递", "韵达快递", "申通快递", "顺丰速运")
CLOSE_REASONS = ("买家不想买了", "未及时付款", "买家信息填写错误，重新拍", "其他原因")

SHOP_NAME = "暖冬羊毛旗舰店"
SHOP_ID = "123456789"
COMPANY = "杭州暖冬羊毛服饰有限公司"
ALIPAY_ACCOUNT = "20881234567890120156"
BANK_ACCOUNT = "755912345610801"
BANK_ACCOUNT_MASKED = "7559****0801"
ALIPAY_COMPANY = "支付宝（中国）网络技术有限公司"
ALIPAY_COMPANY_HALF = "支付宝(中国)网络技术有限公司"
ALIPAY_BANK_ACCOUNT = "1234567890123456"

SUPPLIERS: tuple[tuple[str, str], ...] = (
    ("杭州羊毛原料有限公司", "571900000000001"),
    ("嘉兴纺织印染有限公司", "573900000000417"),
    ("义乌包装材料有限公司", "579900000000233"),
    ("中通快递股份有限公司", "210900000000588"),
)
#: (payer, account, 摘要) of credits that are not payouts
OTHER_PAYERS: tuple[tuple[str, str, str], ...] = (
    ("上海某某贸易有限公司", "310900000000761", "货款"),
    ("财付通支付科技有限公司", "9876543210987654", "财付通提现"),
    (ALIPAY_COMPANY, ALIPAY_BANK_ACCOUNT, "支付宝转账"),
    ("杭州暖冬羊毛服饰有限公司", "571900000000999", "往来款"),
    ("嘉兴纺织印染有限公司", "573900000000417", "退货款"),
)
