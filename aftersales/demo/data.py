"""The demo's content: organisations, people, products, places and what customers write.

Two organisations share one installation: 海澜电器, an appliance maker with a hotline and field
service (air conditioners, washing machines, fridges, water heaters), and 远航汽车 上海 4S 店, a car
dealership with a reception desk and a workshop. Brands, companies and people are invented;
phone numbers are generated; e-mail addresses use reserved example domains.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

HL = "hl"  # 海澜电器
YH = "yh"  # 远航汽车 4S 店

# --- organisation ---------------------------------------------------------------------------
# (code, name)
DEPARTMENTS: list[tuple[str, str]] = [
    ("hl-service", "海澜电器 售后服务部"),
    ("hl-engineering", "海澜电器 工程部"),
    ("hl-quality", "海澜电器 质量部"),
    ("hl-parts", "海澜电器 配件部"),
    ("yh-service", "远航4S店 售后服务部"),
    ("yh-workshop", "远航4S店 维修车间"),
    ("yh-quality", "远航4S店 质量部"),
    ("yh-parts", "远航4S店 配件部"),
]
MARKER_DEPARTMENT = "hl-service"  # its presence means the demo is loaded

# (code, name, department)
TEAMS: list[tuple[str, str, str]] = [
    ("hl-hotline", "热线组", "hl-service"),
    ("hl-field", "上门维修组", "hl-engineering"),
    ("hl-complaints", "投诉处理组", "hl-service"),
    ("hl-returns", "退换货与索赔组", "hl-service"),
    ("yh-reception", "4S 售后接待组", "yh-service"),
    ("yh-workshop", "机电维修班组", "yh-workshop"),
    ("yh-bodyshop", "钣喷班组", "yh-workshop"),
    ("yh-claims", "三包索赔组", "yh-service"),
    ("yh-care", "客户关怀组", "yh-service"),
]

_WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]


def _hours(weekdays: list[list[str]], sat: list[list[str]] | None, sun: list[list[str]] | None):
    hours: dict[str, list[list[str]]] = {d: weekdays for d in _WEEKDAYS}
    hours["sat"] = sat or []
    hours["sun"] = sun or []
    return hours


_OFFICE = [["08:30", "12:00"], ["13:30", "17:30"]]
_LONG = [["08:30", "18:00"]]

SERVICE_CENTERS: list[dict[str, Any]] = [
    {
        "code": "hl-sh-pudong",
        "name": "海澜电器上海浦东服务中心",
        "address": "上海市浦东新区张江路665号1楼",
        "latitude": "31.203340",
        "longitude": "121.590710",
        "coverage_radius_km": "35.0",
        "phone": "021-50801234",
        "opening_hours": _hours(_OFFICE, [["09:00", "12:00"], ["13:00", "17:00"]], None),
    },
    {
        "code": "hl-bj-chaoyang",
        "name": "海澜电器北京朝阳服务中心",
        "address": "北京市朝阳区望京街10号院3号楼102",
        "latitude": "39.996120",
        "longitude": "116.480630",
        "coverage_radius_km": "40.0",
        "phone": "010-64721188",
        "opening_hours": _hours(_OFFICE, [["09:00", "12:00"]], None),
    },
    {
        "code": "hl-hz-xihu",
        "name": "海澜电器杭州西湖服务中心",
        "address": "浙江省杭州市西湖区文三路478号",
        "latitude": "30.279710",
        "longitude": "120.131130",
        "coverage_radius_km": "30.0",
        "phone": "0571-88231166",
        "opening_hours": _hours(_OFFICE, _OFFICE, None),
    },
    {
        "code": "hl-gz-tianhe",
        "name": "海澜电器广州天河服务中心",
        "address": "广东省广州市天河区天河北路233号中信广场附楼",
        "latitude": "23.144020",
        "longitude": "113.329010",
        "coverage_radius_km": "35.0",
        "phone": "020-38776655",
        "opening_hours": _hours(_OFFICE, _OFFICE, [["10:00", "16:00"]]),
    },
    {
        "code": "yh-sh-minhang",
        "name": "远航汽车上海闵行4S店",
        "address": "上海市闵行区沪闵路6088号",
        "latitude": "31.112050",
        "longitude": "121.381020",
        "coverage_radius_km": "25.0",
        "phone": "021-64928800",
        "opening_hours": _hours(_LONG, _LONG, _LONG),
    },
    {
        "code": "yh-sh-jiading",
        "name": "远航汽车上海嘉定4S店",
        "address": "上海市嘉定区博乐路88号",
        "latitude": "31.374710",
        "longitude": "121.265530",
        "coverage_radius_km": "25.0",
        "phone": "021-59912233",
        "opening_hours": _hours(_LONG, _LONG, [["09:00", "17:00"]]),
    },
]

# Where the demo sign-ins of aftersales.demo.accounts sit in the organisation.
# username -> (department, teams, service center, teams led)
DEMO_PLACEMENT: dict[str, tuple[str | None, list[str], str | None, list[str]]] = {
    "admin": (None, [], None, []),
    "supervisor": ("hl-service", [], "hl-sh-pudong", ["hl-complaints"]),
    "agent": ("hl-service", ["hl-hotline", "hl-returns"], "hl-sh-pudong", []),
    "dispatcher": ("hl-engineering", ["hl-field"], "hl-sh-pudong", ["hl-field"]),
    "technician": ("hl-engineering", ["hl-field"], "hl-sh-pudong", []),
    "complaints": ("hl-service", ["hl-complaints"], "hl-sh-pudong", []),
    "parts": ("hl-parts", [], "hl-sh-pudong", []),
    "auditor": ("hl-quality", [], None, []),
}
DEPARTMENT_HEADS = {"hl-service": "supervisor", "hl-engineering": "dispatcher"}

# More staff so that every team has people: (username, role, name, department, teams, center)
EXTRA_STAFF: list[tuple[str, str, str, str, list[str], str]] = [
    ("hl.wangfang", "agent", "王芳", "hl-service", ["hl-hotline"], "hl-sh-pudong"),
    ("hl.liuyang", "agent", "刘洋", "hl-service", ["hl-hotline"], "hl-bj-chaoyang"),
    ("hl.zhoujie", "agent", "周洁", "hl-service", ["hl-returns"], "hl-sh-pudong"),
    ("hl.maqiang", "technician", "马强", "hl-engineering", ["hl-field"], "hl-sh-pudong"),
    ("hl.hejun", "technician", "何军", "hl-engineering", ["hl-field"], "hl-bj-chaoyang"),
    ("hl.linhai", "technician", "林海", "hl-engineering", ["hl-field"], "hl-hz-xihu"),
    ("hl.guowei", "technician", "郭伟", "hl-engineering", ["hl-field"], "hl-gz-tianhe"),
    ("hl.xuli", "complaint_officer", "徐丽", "hl-service", ["hl-complaints"], "hl-sh-pudong"),
    ("yh.sunpeng", "dispatcher", "孙鹏", "yh-workshop", ["yh-workshop"], "yh-sh-minhang"),
    ("yh.yangxue", "agent", "杨雪", "yh-service", ["yh-reception"], "yh-sh-minhang"),
    ("yh.fengkai", "agent", "冯凯", "yh-service", ["yh-reception"], "yh-sh-jiading"),
    ("yh.dengtao", "technician", "邓涛", "yh-workshop", ["yh-workshop"], "yh-sh-minhang"),
    ("yh.luming", "technician", "卢明", "yh-workshop", ["yh-workshop"], "yh-sh-jiading"),
    ("yh.caibin", "technician", "蔡斌", "yh-workshop", ["yh-bodyshop"], "yh-sh-minhang"),
    ("yh.yuanli", "agent", "袁莉", "yh-service", ["yh-claims"], "yh-sh-minhang"),
    ("yh.tangjing", "complaint_officer", "唐静", "yh-service", ["yh-care"], "yh-sh-minhang"),
    ("yh.songyu", "supervisor", "宋宇", "yh-service", [], "yh-sh-minhang"),
]
EXTRA_HEADS = {"yh-service": "yh.songyu", "yh-workshop": "yh.sunpeng"}
EXTRA_LEADS = {"yh-workshop": "yh.sunpeng", "yh-reception": "yh.yangxue", "yh-care": "yh.tangjing"}

# Who works a case of each type, per organisation: (team, role of the assignee)
ROUTING: dict[tuple[str, str], tuple[str, str]] = {
    (HL, "consultation"): ("hl-hotline", "agent"),
    (HL, "repair_request"): ("hl-field", "technician"),
    (HL, "complaint"): ("hl-complaints", "complaint_officer"),
    (HL, "return_exchange"): ("hl-returns", "agent"),
    (HL, "warranty_claim"): ("hl-returns", "agent"),
    (HL, "proposal"): ("hl-hotline", "agent"),
    (HL, "delivery_issue"): ("hl-returns", "agent"),
    (YH, "consultation"): ("yh-reception", "agent"),
    (YH, "repair_request"): ("yh-workshop", "technician"),
    (YH, "complaint"): ("yh-care", "complaint_officer"),
    (YH, "return_exchange"): ("yh-reception", "agent"),
    (YH, "warranty_claim"): ("yh-claims", "agent"),
    (YH, "proposal"): ("yh-care", "complaint_officer"),
    (YH, "delivery_issue"): ("yh-reception", "agent"),
}
INTAKE_TEAM = {HL: "hl-hotline", YH: "yh-reception"}


# --- products -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Product:
    code: str
    name: str
    brand: str
    product_line: str
    line: str  # ac, wm, fridge, wh, car, ev
    warranty_months: int
    main_parts_warranty_months: int
    warranty_km: int | None = None
    serial_prefix: str = ""
    vds: str = ""  # VIN characters 4-8 for vehicles

    @property
    def org(self) -> str:
        return YH if self.line in ("car", "ev") else HL

    @property
    def is_vehicle(self) -> bool:
        return self.line in ("car", "ev")


PRODUCTS: list[Product] = [
    Product(
        "KFR-35GW/BpHL1", "海澜 1.5匹变频挂式空调 静悦", "海澜", "空调", "ac", 12, 72, None, "AC35"
    ),
    Product(
        "KFR-26GW/BpHL2", "海澜 大1匹变频挂式空调 清风", "海澜", "空调", "ac", 12, 72, None, "AC26"
    ),
    Product(
        "KFR-72LW/BpHL3", "海澜 3匹变频立柜式空调 御风", "海澜", "空调", "ac", 12, 72, None, "AC72"
    ),
    Product(
        "XQG100-HBD14126L",
        "海澜 10公斤洗烘一体滚筒洗衣机",
        "海澜",
        "洗衣机",
        "wm",
        12,
        36,
        None,
        "WM10",
    ),
    Product("XQB80-M1268", "海澜 8公斤波轮洗衣机", "海澜", "洗衣机", "wm", 12, 36, None, "WB08"),
    Product(
        "BCD-470WDPG", "海澜 470升十字对开门冰箱", "海澜", "冰箱", "fridge", 12, 36, None, "RF47"
    ),
    Product("BCD-218STPS", "海澜 218升三门冰箱", "海澜", "冰箱", "fridge", 12, 36, None, "RF21"),
    Product(
        "JSQ25-13HL5", "海澜 13升零冷水燃气热水器", "海澜", "热水器", "wh", 12, 36, None, "WG13"
    ),
    Product(
        "EC6001-HL3", "海澜 60升一级能效电热水器", "海澜", "热水器", "wh", 12, 48, None, "WE60"
    ),
    Product(
        "YH-X5-15T",
        "远航星途X5 1.5T 自动尊享型",
        "远航",
        "乘用车",
        "car",
        36,
        36,
        100_000,
        "",
        "X5A2B",
    ),
    Product(
        "YH-E3-20",
        "远航逸轩E3 2.0L CVT 豪华型",
        "远航",
        "乘用车",
        "car",
        36,
        36,
        100_000,
        "",
        "E3C1D",
    ),
    Product("YH-EV500", "远航EV500 长续航版", "远航", "新能源", "ev", 36, 96, 120_000, "", "EV5F3"),
]

# --- places ---------------------------------------------------------------------------------
# key -> (province, city, [(district, [roads])], plate region)
CITIES: dict[str, tuple[str, str, list[tuple[str, list[str]]], str]] = {
    "sh": (
        "上海市",
        "上海市",
        [
            ("浦东新区", ["张杨路", "锦绣路", "世纪大道", "川沙路", "东方路"]),
            ("闵行区", ["七莘路", "都市路", "虹梅南路"]),
            ("徐汇区", ["漕溪北路", "田林路", "龙华中路"]),
            ("静安区", ["江宁路", "共和新路"]),
            ("杨浦区", ["国权路", "控江路"]),
            ("嘉定区", ["博乐路", "城中路"]),
        ],
        "沪",
    ),
    "bj": (
        "北京市",
        "北京市",
        [
            ("朝阳区", ["望京西路", "广顺北大街", "朝阳北路"]),
            ("海淀区", ["中关村大街", "学院路", "万泉河路"]),
            ("丰台区", ["丰台北路", "科学城路"]),
            ("东城区", ["东四十条", "和平里东街"]),
        ],
        "京",
    ),
    "hz": (
        "浙江省",
        "杭州市",
        [
            ("西湖区", ["文三路", "天目山路", "古墩路"]),
            ("滨江区", ["江南大道", "滨盛路"]),
            ("拱墅区", ["莫干山路", "湖墅南路"]),
        ],
        "浙",
    ),
    "gz": (
        "广东省",
        "广州市",
        [
            ("天河区", ["天河北路", "体育西路", "黄埔大道西"]),
            ("海珠区", ["新港中路", "江南大道中"]),
            ("越秀区", ["东风中路", "中山五路"]),
        ],
        "粤",
    ),
    "sz": (
        "广东省",
        "深圳市",
        [("南山区", ["科技南路", "南海大道"]), ("福田区", ["深南大道", "益田路"])],
        "粤",
    ),
    "nj": ("江苏省", "南京市", [("鼓楼区", ["中山北路", "汉中门大街"])], "苏"),
}
COMMUNITIES = [
    "锦绣苑",
    "阳光花园",
    "翠湖天地",
    "世纪华庭",
    "金色家园",
    "春江花月",
    "绿洲雅苑",
    "和平里小区",
    "望京花园",
    "丽景湾",
    "碧桂园",
    "华润城",
]

# --- customers ------------------------------------------------------------------------------
# (name, city, preferred language)
INDIVIDUALS: list[tuple[str, str, str]] = [
    ("王芳", "sh", "zh-hans"),
    ("李静", "sh", "zh-hans"),
    ("刘洋", "bj", "zh-hans"),
    ("陈杰", "sh", "zh-hans"),
    ("杨帆", "hz", "zh-hans"),
    ("赵敏", "bj", "zh-hans"),
    ("黄磊", "gz", "zh-hans"),
    ("周婷", "sh", "zh-hans"),
    ("吴昊", "sh", "zh-hans"),
    ("徐静怡", "hz", "zh-hans"),
    ("孙浩然", "bj", "zh-hans"),
    ("马晓东", "sh", "zh-hans"),
    ("朱丽华", "gz", "zh-hans"),
    ("胡建国", "sh", "zh-hans"),
    ("郭靖雯", "bj", "zh-hans"),
    ("何俊杰", "gz", "zh-hans"),
    ("林晓燕", "sz", "zh-hans"),
    ("罗志强", "sh", "zh-hans"),
    ("高婷婷", "hz", "zh-hans"),
    ("梁伟", "gz", "zh-hans"),
    ("宋佳", "sh", "zh-hans"),
    ("郑凯", "sh", "zh-hans"),
    ("谢雨欣", "hz", "zh-hans"),
    ("韩梅", "bj", "zh-hans"),
    ("唐宇航", "sh", "zh-hans"),
    ("冯雪", "nj", "zh-hans"),
    ("董立新", "bj", "zh-hans"),
    ("程思远", "sh", "zh-hans"),
    ("曹颖", "sz", "zh-hans"),
    ("袁博", "sh", "zh-hans"),
    ("邓超然", "gz", "zh-hans"),
    ("许晴", "hz", "zh-hans"),
    ("傅明", "sh", "zh-hans"),
    ("沈佳怡", "sh", "zh-hans"),
    ("曾国栋", "gz", "zh-hans"),
    ("彭丽", "bj", "zh-hans"),
    ("吕建华", "sh", "zh-hans"),
    ("苏畅", "hz", "zh-hans"),
    ("蒋文静", "sh", "zh-hans"),
    ("蔡明亮", "sh", "zh-hans"),
    ("Michael Brown", "sh", "en"),
    ("Sophie Laurent", "bj", "en"),
]
EMAIL_LATIN = {
    "Michael Brown": "michael.brown",
    "Sophie Laurent": "sophie.laurent",
}

# (contact person, company, city, tier, further contacts [(name, role)])
COMPANIES: list[tuple[str, str, str, str, list[str]]] = [
    ("钱国华", "上海锦绣家园物业管理有限公司", "sh", "gold", ["前台 陆敏", "维修班长 严刚"]),
    ("金晓峰", "杭州小城味道餐饮管理有限公司", "hz", "gold", ["门店店长 方圆"]),
    ("崔海燕", "北京悦庭酒店管理有限公司", "bj", "vip", ["工程部 夏天"]),
    ("邱志明", "广州南湖实验学校", "gz", "silver", []),
    ("范俊", "上海启航汽车租赁有限公司", "sh", "vip", ["车队主管 潘磊"]),
    ("廖美玲", "深圳鹏城公寓管理有限公司", "sz", "silver", ["管家 石慧"]),
    ("任远", "杭州云栖科技有限公司", "hz", "standard", []),
]

# The demo portal customer (the "customer" sign-in) and what he owns.
PORTAL_PHONE = "13916827350"
PORTAL_CITY = "sh"
PORTAL_ASSETS = [("KFR-35GW/BpHL1", 760), ("XQG100-HBD14126L", 240), ("YH-X5-15T", 420)]
# His cases: (type, status now, product line or None)
PORTAL_CASES: list[tuple[str, str, str | None]] = [
    ("repair_request", "resolved", "wm"),
    ("repair_request", "waiting_customer", "ac"),
    ("complaint", "verifying", None),
    ("consultation", "closed", "ac"),
    ("repair_request", "closed", "car"),
    ("proposal", "held", None),
    ("repair_request", "in_progress", "car"),
]

# Surnames and given-name characters for generated (bulk) customers.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余"
    "杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙"
    "史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN_CHARS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕鹏浩宇轩然博文欣"
    "怡佳琪晨阳雪梅俊峰志建国海波立新思远嘉慧颖婷雨晴子涵梓萱一诺"
)

# --- case categories ------------------------------------------------------------------------
# (code, name, English name, case type)
CATEGORIES: list[tuple[str, str, str, str]] = [
    ("consult-usage", "家电使用咨询", "Appliance usage question", "consultation"),
    ("consult-warranty", "家电保修政策咨询", "Appliance warranty policy", "consultation"),
    ("consult-install", "家电安装咨询", "Appliance installation question", "consultation"),
    ("consult-maintenance", "车辆保养咨询", "Vehicle maintenance question", "consultation"),
    ("consult-car-warranty", "整车及三电质保咨询", "Vehicle and battery warranty", "consultation"),
    ("ac-cooling", "空调不制冷/制冷差", "AC not cooling", "repair_request"),
    ("ac-heating", "空调制热差", "AC heating weak", "repair_request"),
    ("ac-leak", "空调漏水", "AC leaking", "repair_request"),
    ("wm-leak", "洗衣机漏水", "Washer leaking", "repair_request"),
    ("wm-noise", "洗衣机噪音/震动", "Washer noise or vibration", "repair_request"),
    ("wm-error", "洗衣机报故障码", "Washer error code", "repair_request"),
    ("fridge-cooling", "冰箱不制冷", "Fridge not cooling", "repair_request"),
    ("fridge-noise", "冰箱噪音", "Fridge noise", "repair_request"),
    ("wh-ignition", "热水器打不着火", "Water heater will not ignite", "repair_request"),
    ("wh-temperature", "热水器水温不稳", "Water temperature unstable", "repair_request"),
    ("wh-electric", "电热水器漏电跳闸", "Electric heater trips breaker", "repair_request"),
    ("car-engine", "发动机故障", "Engine fault", "repair_request"),
    ("car-electrical", "电气故障", "Electrical fault", "repair_request"),
    ("car-maintenance", "定期保养", "Scheduled maintenance", "repair_request"),
    ("car-aircon", "车辆空调故障", "Vehicle air conditioning", "repair_request"),
    ("car-body", "钣金喷漆", "Body and paint", "repair_request"),
    ("cmp-late", "上门迟到/爽约", "Late or missed visit", "complaint"),
    ("cmp-attitude", "服务态度", "Staff attitude", "complaint"),
    ("cmp-quality", "产品质量", "Product quality", "complaint"),
    ("cmp-charge", "收费争议", "Charges dispute", "complaint"),
    ("cmp-repeat", "重复维修", "Repeated repair", "complaint"),
    ("cmp-time", "维修时间过长", "Repair took too long", "complaint"),
    ("cmp-car-time", "车辆维修/保养等待过长", "Vehicle service took too long", "complaint"),
    ("cmp-car-quality", "车辆维修质量", "Vehicle repair quality", "complaint"),
    ("ret-damage", "外观破损/划伤", "Cosmetic damage", "return_exchange"),
    ("ret-doa", "开箱故障", "Dead on arrival", "return_exchange"),
    ("ret-noreason", "七天无理由退货", "7-day no-reason return", "return_exchange"),
    ("clm-compressor", "压缩机索赔", "Compressor claim", "warranty_claim"),
    ("clm-engine", "发动机索赔", "Engine claim", "warranty_claim"),
    ("clm-gearbox", "变速箱索赔", "Gearbox claim", "warranty_claim"),
    ("clm-battery", "动力电池索赔", "Traction battery claim", "warranty_claim"),
    ("prop-service", "售后服务", "After-sales service", "proposal"),
    ("prop-product", "产品设计与包装", "Product design and packaging", "proposal"),
    ("prop-channel", "渠道与环境", "Channels and environment", "proposal"),
    ("dlv-late", "送货延迟", "Late delivery", "delivery_issue"),
    ("dlv-car-late", "新车交付延迟", "New car handed over late", "delivery_issue"),
    ("dlv-damage", "运输破损", "Damaged in transit", "delivery_issue"),
    ("dlv-install", "安装未按约", "Installation not as agreed", "delivery_issue"),
]


# --- what customers write, and what staff answer ---------------------------------------------
@dataclass(frozen=True)
class Scenario:
    """One kind of request: the customer's words and the staff's typical answers."""

    key: str
    case_type: str
    category: str
    lines: tuple[str, ...]  # product lines it fits; empty means no product
    title: str
    description: str
    demand: str = ""
    ack: str = ""  # first public reply
    work: str = ""  # internal note with findings
    resolve: str = ""  # public reply when resolved
    extra: dict[str, Any] = field(default_factory=dict)
    priority: str = "normal"
    severity: str = "general"
    org: str = HL  # for scenarios without a product
    team: str = ""  # overrides ROUTING
    language: str = "zh-hans"


def _s(key, case_type, category, lines, title, description, **kw) -> Scenario:
    return Scenario(key, case_type, category, tuple(lines), title, description, **kw)


SCENARIOS: list[Scenario] = [
    # --- repair requests: appliances ---
    _s(
        "ac-cooling",
        "repair_request",
        "ac-cooling",
        ["ac"],
        "空调不制冷",
        "客厅挂机开机后只吹自然风，不制冷，室外机不转，显示屏偶尔闪 E1。家里有老人，天气太热，"
        "希望尽快上门。",
        demand="尽快上门维修",
        ack="您好，已收到您的报修。我们已安排上门维修组，师傅会在 2 小时内电话与您确认上门时间。",
        work=(
            "现场检测：室外机启动电容容量衰减（标称 35μF，实测 21μF），压缩机无法启动。"
            "更换启动电容后试机，出风口温度 12℃，制冷正常。"
        ),
        resolve="师傅已完成维修，更换了室外机启动电容，在保修期内不收取费用。如再有问题请随时联系我们。",
        extra={"fault_symptom": "不制冷，室外机不转，E1", "preferred_visit": "工作日上午"},
        priority="high",
    ),
    _s(
        "ac-leak",
        "repair_request",
        "ac-leak",
        ["ac"],
        "空调室内机漏水",
        "卧室空调室内机往下滴水，墙面已经湿了一片，开机半小时就开始滴。",
        demand="上门检查排水",
        ack="您好，已为您登记报修，师傅会先电话联系您确认时间，请先关机并在下方放置接水盆。",
        work=(
            "排水管被灰尘和絮状物堵塞，且穿墙处坡度不够。疏通排水管并重新调整走向，"
            "试机 30 分钟无滴水。"
        ),
        resolve="漏水问题已处理：排水管疏通并重新调整坡度。本次为保养类服务，已按保修政策免费。",
        extra={"fault_symptom": "室内机滴水", "preferred_visit": "周末全天"},
    ),
    _s(
        "ac-heating",
        "repair_request",
        "ac-heating",
        ["ac"],
        "空调制热效果差",
        "开制热 30℃，出风一直是温的，房间两个小时都暖不起来。去年冬天还好好的。",
        demand="检修制热",
        ack="您好，制热效果差可能与冷媒或室外机除霜有关，我们已安排师傅上门检测。",
        work=(
            "检测系统压力偏低，室外机连接管喇叭口处有油迹，判断微漏。重新扩口紧固，"
            "保压 30 分钟无泄漏，补充 R32 冷媒 300g，出风温度 45℃。"
        ),
        resolve=(
            "已修复室外机连接管泄漏并补充冷媒，制热恢复正常。冷媒补充费用按收费标准收取 180 元，"
            "已出具发票。"
        ),
        extra={"fault_symptom": "制热出风不热", "preferred_visit": "下午"},
    ),
    _s(
        "wm-leak",
        "repair_request",
        "wm-leak",
        ["wm"],
        "洗衣机漏水",
        "滚筒洗衣机洗衣服时底部漏水，地上一滩水，门封圈下面好像有破口。",
        demand="更换配件",
        ack="您好，请先暂停使用洗衣机并关闭进水龙头。已为您安排师傅上门，配件会随车携带。",
        work=(
            "门封圈下部有约 2cm 裂口，系拉链刮破。更换门封圈（配件号 0020300591），"
            "试机洗涤+脱水一个周期无渗漏。"
        ),
        resolve="已为您更换门封圈，试机正常。温馨提示：洗涤前请拉好衣物拉链，避免刮伤门封。",
        extra={"fault_symptom": "底部漏水", "preferred_visit": "晚上 18 点后"},
    ),
    _s(
        "wm-noise",
        "repair_request",
        "wm-noise",
        ["wm"],
        "洗衣机脱水时噪音大、机器跳动",
        "脱水时机器跳动很厉害，声音像拖拉机一样，楼下邻居都来敲门了。",
        demand="上门检修",
        ack="您好，已收到报修。请先确认洗衣机背部的运输螺栓是否已拆除，师傅也会上门检查。",
        work=(
            "减震器阻尼失效两只，机脚未调平。更换前侧两只减震器，调整四个机脚水平，"
            "脱水噪音恢复正常（约 62dB）。"
        ),
        resolve="已更换减震器并调平，脱水运行平稳。减震器在主要部件保修期内，免费更换。",
        extra={"fault_symptom": "脱水震动噪音大"},
    ),
    _s(
        "wm-error",
        "repair_request",
        "wm-error",
        ["wm"],
        "洗衣机显示 E4 不进水",
        "洗衣机启动后显示 E4，听得到阀门响但是不进水，自来水是正常的。",
        ack=(
            "您好，E4 一般是进水异常。请先检查水龙头是否全开、进水管是否弯折。如仍不行，"
            "我们安排师傅上门。"
        ),
        work="进水阀滤网被水垢和沙粒堵塞。拆下清洗滤网后进水正常，建议用户加装前置过滤器。",
        resolve="进水阀滤网已清洗，洗衣机恢复正常。本次未更换配件，不收取费用。",
        extra={"fault_symptom": "E4 不进水"},
    ),
    _s(
        "fridge-cooling",
        "repair_request",
        "fridge-cooling",
        ["fridge"],
        "冰箱冷藏室不制冷",
        "冷藏室温度一直在 15℃ 左右，冷冻室正常，菜和牛奶都放不住了。",
        demand="尽快修好",
        ack="您好，已收到报修。建议先将冷藏室易坏食品移至冷冻室，师傅今天会联系您。",
        work="风门控制器卡滞，冷风无法进入冷藏室。更换风门组件，4 小时后复测冷藏室 4℃。",
        resolve="已更换冷藏室风门组件，温度恢复正常。请 24 小时后再放入大量食品。",
        extra={"fault_symptom": "冷藏室不冷", "preferred_visit": "越快越好"},
        priority="high",
    ),
    _s(
        "fridge-noise",
        "repair_request",
        "fridge-noise",
        ["fridge"],
        "冰箱夜间嗡嗡响",
        "冰箱晚上一直嗡嗡响，声音比刚买的时候大很多，影响睡觉。",
        ack="您好，已登记。请先检查冰箱是否放置平稳、背部是否贴墙，我们会安排师傅上门检查。",
        work="压缩机一侧减震垫老化脱落，导致共振。更换减震垫并调整冰箱与墙面间距 10cm。",
        resolve="噪音问题已处理，更换了压缩机减震垫。",
    ),
    _s(
        "wh-ignition",
        "repair_request",
        "wh-ignition",
        ["wh"],
        "燃气热水器打不着火",
        "燃气热水器打开热水后只听到啪啪的点火声，打不着火，显示屏显示 E1。燃气灶是好的。",
        demand="尽快上门",
        ack="您好，为了安全请先关闭燃气阀门，不要反复点火。师傅会在今天与您联系。",
        work=(
            "点火针积碳且间距偏大，同时电池盒电压不足。清理点火针、调整放电间距至 4mm，更换电池，"
            "连续点火 20 次均成功。"
        ),
        resolve="热水器已恢复正常点火。本次更换电池 2 节，其余免费。",
        extra={"fault_symptom": "打不着火，E1"},
        priority="high",
    ),
    _s(
        "wh-temperature",
        "repair_request",
        "wh-temperature",
        ["wh"],
        "热水器水温忽冷忽热",
        "洗澡时水温忽冷忽热，调到 42℃ 一会儿烫一会儿凉。",
        ack="您好，已为您登记，师傅会上门检查水流传感器和比例阀。",
        work="水流传感器叶轮有杂质，灵敏度下降。清洗传感器并校准比例阀，出水温度波动 ±1℃。",
        resolve="已清洗水流传感器并校准，水温稳定。",
    ),
    _s(
        "wh-electric",
        "repair_request",
        "wh-electric",
        ["wh"],
        "电热水器一通电就跳闸",
        "电热水器一插电漏电保护器就跳，用不了热水，卫生间里有点焦味。",
        demand="安全检查并维修",
        ack="您好，请立即拔掉电源并不要使用。已为您加急安排师傅上门。",
        work=(
            "加热管严重结垢并击穿对地短路，镁棒已消耗殆尽。更换加热管与镁棒，绝缘电阻复测 >200MΩ。"
        ),
        resolve="已更换加热管和镁棒，漏电检测合格。建议每年更换一次镁棒。",
        priority="urgent",
        severity="major",
    ),
    _s(
        "ac-cooling-en",
        "repair_request",
        "ac-cooling",
        ["ac"],
        "Air conditioner not cooling",
        "The bedroom air conditioner only blows warm air since yesterday. The outdoor unit makes a "
        "clicking sound and stops. Could a technician come this week?",
        demand="Repair visit this week",
        ack="Hello, we have received your request. A technician will call you within two hours to "
        "agree on a visit time.",
        work=(
            "Outdoor fan motor capacitor failed. Replaced capacitor; cooling restored, outlet 13°C."
        ),
        resolve="The technician replaced the outdoor fan capacitor. The repair is covered by the "
        "warranty. Thank you for your patience.",
        extra={"fault_symptom": "warm air, outdoor unit clicks"},
        language="en",
    ),
    # --- repair requests: vehicles ---
    _s(
        "car-engine-noise",
        "repair_request",
        "car-engine",
        ["car"],
        "冷车启动发动机异响",
        "早上冷车启动时发动机舱有哒哒声，持续十几秒后消失，热车后正常。",
        demand="检查异响原因",
        ack="您好，已为您预约明天上午 9:30 到店检查，接待顾问杨雪会为您服务。",
        work=(
            "试车确认冷启动液压挺柱异响。读取数据流正常。更换原厂 0W-20 机油及机滤，"
            "并升级发动机控制单元软件，冷启动复测无异响。"
        ),
        resolve="您的车辆已完成检查与处理，冷启动异响消除。本次属保修范围，无需付费。车辆已洗好，可随时取车。",
        extra={"fault_symptom": "冷启动哒哒声", "on_site": False},
    ),
    _s(
        "car-mil",
        "repair_request",
        "car-engine",
        ["car"],
        "仪表盘发动机故障灯亮、加速无力",
        "高速上发动机故障灯突然亮了，踩油门加速没力，车身有点抖。",
        demand="尽快检修",
        ack="您好，建议您降低车速、尽快安全停车。如无法行驶，我们可安排免费救援拖车。",
        work=(
            "读取故障码 P0301（一缸失火）。对调点火线圈后故障码跟随转移，判定一缸点火线圈损坏。"
            "更换点火线圈，清除故障码，路试 20km 正常。"
        ),
        resolve="已更换一缸点火线圈，故障灯熄灭，路试正常。保修期内免费。",
        extra={"fault_symptom": "故障灯亮，加速无力", "on_site": False},
        priority="high",
        severity="major",
    ),
    _s(
        "car-maintenance",
        "repair_request",
        "car-maintenance",
        ["car", "ev"],
        "预约常规保养",
        "车辆已行驶约 1 万公里，预约本周六上午做常规保养，顺便检查一下刹车。",
        ack="您好，已为您预约周六 9:00 保养工位，预计用时 1.5 小时，到店请出示车牌号。",
        work="完成保养：更换机油、机滤、空滤；检查前刹车片厚度 8mm、后 7mm，胎压调整至 2.4bar。",
        resolve="保养已完成，下次保养里程为 20000 公里或 6 个月后。结算单已发送到您的手机。",
        extra={"on_site": False, "preferred_visit": "周六上午"},
        priority="low",
        severity="minor",
    ),
    _s(
        "car-aircon",
        "repair_request",
        "car-aircon",
        ["car", "ev"],
        "车内空调出风有异味",
        "开空调时出风口有一股霉味，关掉内循环也一样。",
        ack="您好，已预约到店检查，建议同时做一次空调系统清洗。",
        work="空调滤芯严重脏堵，蒸发箱表面霉菌。更换空调滤芯，进行蒸发箱泡沫清洗及杀菌。",
        resolve="空调异味已处理，更换滤芯并清洗蒸发箱，费用 268 元。",
        extra={"on_site": False},
        priority="low",
    ),
    _s(
        "car-camera",
        "repair_request",
        "car-electrical",
        ["car", "ev"],
        "倒车影像黑屏",
        "挂倒挡后中控屏倒车影像黑屏，雷达有声音。",
        ack="您好，已为您登记，到店后技师会先检查摄像头线束。",
        work="倒车摄像头插头进水腐蚀。更换摄像头插头及一段线束，做防水处理，影像恢复。",
        resolve="倒车影像已修复，保修期内免费。",
        extra={"on_site": False},
    ),
    _s(
        "car-body",
        "repair_request",
        "car-body",
        ["car", "ev"],
        "右后门剐蹭钣金喷漆",
        "停车场被剐蹭，右后门凹陷掉漆，已经报了保险，报案号 PDAA2026310000xxxx。",
        demand="走保险维修",
        ack="您好，已收到，保险公司定损员将于明天到店，请携带行驶证和驾驶证。",
        work="右后门钣金整形，原厂漆调色喷涂，烤漆房 60℃ 烘烤 40 分钟，色差检测合格。",
        resolve="钣喷已完成，保险直赔，您无需垫付。质保期内如有掉漆起泡请联系我们。",
        extra={"on_site": False},
        team="yh-bodyshop",
    ),
    # --- consultations ---
    _s(
        "consult-ac-warranty",
        "consultation",
        "consult-warranty",
        ["ac"],
        "咨询空调保修期",
        "去年买的空调，想问一下整机保修几年？压缩机是不是保六年？需要保留发票吗？",
        ack=(
            "您好，海澜空调整机保修 1 年，压缩机等主要部件保修 6 年，以购机发票日期为准，"
            "请妥善保存发票或电子发票。"
        ),
        resolve="已为您解答保修政策，如有其他问题欢迎再次来电。",
        extra={"topic": "保修期限"},
        priority="low",
    ),
    _s(
        "consult-wm-clean",
        "consultation",
        "consult-usage",
        ["wm"],
        "滚筒洗衣机怎么清洁",
        "洗衣机用了一年多，衣服上有异味，滚筒要怎么清洁？可以用 84 消毒液吗？",
        ack=(
            "您好，建议每月运行一次“筒自洁”程序，使用专用滚筒清洁剂，不建议使用 84 消毒液，"
            "以免腐蚀门封圈。"
        ),
        resolve="已告知清洁方法，客户表示明白。",
        extra={"topic": "滚筒清洁"},
        priority="low",
    ),
    _s(
        "consult-wh-freeze",
        "consultation",
        "consult-usage",
        ["wh"],
        "热水器冬天怎么防冻",
        "热水器装在北阳台，冬天会不会冻坏？需要怎么操作？",
        ack="您好，燃气热水器有电加热防冻功能，冬季请保持通电；长时间不用请关闭进水阀并打开泄水阀排空。",
        resolve="已解答冬季防冻操作。",
        extra={"topic": "冬季防冻"},
        priority="low",
    ),
    _s(
        "consult-install",
        "consultation",
        "consult-install",
        ["ac"],
        "空调安装需要另外收费吗",
        "在网上买了一台立柜空调，安装要另外收费吗？空调支架和加长铜管怎么算？",
        ack=(
            "您好，标准安装免费（含 3 米铜管）；超出部分铜管按 80 元/米收取，支架按实际材料收费，"
            "均按公示价格执行。"
        ),
        resolve="已告知安装收费标准。",
        extra={"topic": "安装收费"},
        priority="low",
    ),
    _s(
        "consult-car-service",
        "consultation",
        "consult-maintenance",
        ["car", "ev"],
        "新车首保是多少公里",
        "新车刚提两个月，请问首保是多少公里？不在4S店保养会影响保修吗？",
        ack=(
            "您好，首保为 5000 公里或 6 个月（以先到者为准）。按规定，"
            "在非授权维修店保养并不影响三包，但需保留保养记录和发票。"
        ),
        resolve="已解答首保及保修政策。",
        extra={"topic": "首保"},
        priority="low",
    ),
    _s(
        "consult-ev-battery",
        "consultation",
        "consult-car-warranty",
        ["ev"],
        "动力电池衰减怎么保修",
        "EV500 开了两年，满电续航比刚买时少了快 60 公里，电池衰减到多少可以保修？",
        ack=(
            "您好，动力电池质保 8 年或 12 万公里，8 年内容量低于 70% 可申请免费维修更换。"
            "可到店做一次电池健康检测。"
        ),
        resolve="已为客户预约电池健康检测，检测结果 SOH 89%，属正常衰减范围。",
        extra={"topic": "动力电池质保"},
    ),
    _s(
        "consult-en",
        "consultation",
        "consult-install",
        [],
        "Question about installation in Beijing",
        "We are moving to a new apartment in Beijing next month. Can you move and reinstall our tw"
        "o "
        "air conditioners, and how much does it cost?",
        ack="Hello, yes, we offer relocation and reinstallation. The standard fee is 200 CNY per "
        "unit, pipes beyond 3 m are charged separately.",
        resolve="We answered your question about relocation fees. Feel free to book a visit.",
        extra={"topic": "relocation"},
        priority="low",
        language="en",
    ),
    # --- complaints ---
    _s(
        "cmp-late",
        "complaint",
        "cmp-late",
        ["ac", "wm", "fridge", "wh"],
        "投诉维修人员迟到",
        "约好上午 9 点到 11 点上门，师傅下午 3 点才到，中间也没打电话通知。我特意请了半天假。",
        demand="道歉并给出说法",
        ack="您好，非常抱歉给您带来不便，您的投诉已登记，我们会在 24 小时内核实并给您答复。",
        work=(
            "核实：派单系统显示该师傅前一单超时 3 小时，未按规定提前通知客户改约，情况属实。"
            "已对维修人员进行考核。"
        ),
        resolve="经核实情况属实，我们郑重向您致歉，并赠送一次免费空调清洗服务。我们已加强上门改约提醒规定。",
        extra={"complaint_about": "staff", "demand": "apology"},
    ),
    _s(
        "cmp-repeat",
        "complaint",
        "cmp-repeat",
        ["fridge"],
        "同一故障维修三次仍未修好",
        "冰箱冷藏室不制冷，三个月内修了三次，每次好几天又坏了。要求换新机。",
        demand="要求换新机",
        ack="您好，您的投诉已升级为重点投诉，质量部会同工程部在 24 小时内与您联系。",
        work="核实：维修记录显示三次均为风门组件故障，属同一质量问题，已符合三包更换条件。质量部已对该批次风门组件发起分析。",
        resolve=(
            "经核实，您的冰箱符合三包换机条件，我们将为您免费更换同型号新机，"
            "预计 3 个工作日内送达。"
        ),
        extra={"complaint_about": "product", "demand": "exchange", "repeat": True},
        priority="high",
        severity="major",
    ),
    _s(
        "cmp-attitude",
        "complaint",
        "cmp-attitude",
        [],
        "热线客服态度冷淡",
        "打热线咨询保修，客服回答很不耐烦，还没说完就挂了电话。",
        demand="道歉",
        ack="您好，非常抱歉给您不好的体验，我们将调取通话录音核实，并在 24 小时内回复您。",
        work=(
            "核实录音：通话时长 1 分 12 秒，客服语气生硬，未按服务规范完整解答。"
            "已对当事客服进行辅导。"
        ),
        resolve="经核实，我们的服务确有不到位之处，已对当事人进行批评教育和培训，再次向您致歉。",
        extra={"complaint_about": "service", "demand": "apology"},
    ),
    _s(
        "cmp-charge",
        "complaint",
        "cmp-charge",
        ["ac", "wh", "wm"],
        "保修期内被收取上门费",
        "产品还在保修期，师傅上门却收了 80 元上门费和 50 元检测费，没有给收据。",
        demand="退还费用",
        ack="您好，已收到您的投诉，我们会核实收费情况并在 24 小时内答复。",
        work="核实：该产品在保修期内，不应收取上门费与检测费，属违规收费。已责令退费，并对网点处罚。",
        resolve="经核实属违规收费，130 元已原路退还，请注意查收。感谢您的监督。",
        extra={"complaint_about": "price", "demand": "refund"},
    ),
    _s(
        "cmp-4s-time",
        "complaint",
        "cmp-car-time",
        ["car", "ev"],
        "保养等待时间过长",
        "预约了 9 点保养，到店后等了 3 个多小时才完工，休息区也没人告知进度。",
        demand="给出解释",
        ack="您好，很抱歉耽误了您的时间，客户关怀组会在 24 小时内核实并回复。",
        work="核实：当天两名技师请假，工位排程未调整，未主动告知客户进度，情况属实。",
        resolve="经核实确有排程失误，已赠送您一次免费洗车和下次保养工时 8 折券，并优化了工位排程。",
        extra={"complaint_about": "service", "demand": "explanation"},
        org=YH,
    ),
    _s(
        "cmp-4s-scratch",
        "complaint",
        "cmp-car-quality",
        ["car", "ev"],
        "维修后车辆出现新划痕",
        "取车时发现左前翼子板有一道新划痕，送修前是没有的，接车单上也没有记录。",
        demand="免费修复",
        ack="您好，您的投诉已登记，我们会调取接车环车检查照片和车间监控核实。",
        work="核实：环车检查照片显示送修时左前翼子板无划痕，监控显示移车时刮碰立柱，责任在本店。",
        resolve="经核实责任在我方，已为您免费修复划痕并提供代步车，再次致歉。",
        extra={"complaint_about": "service", "demand": "repair"},
        org=YH,
        priority="high",
    ),
    # --- returns and exchanges ---
    _s(
        "ret-scratch",
        "return_exchange",
        "ret-damage",
        ["fridge"],
        "申请退货-外观划伤",
        "收到冰箱开箱发现右侧门体有一道约 10 厘米的划痕，快递员在场拍了照，要求退货。",
        demand="退货退款",
        ack="您好，已收到退货申请，请上传开箱照片和外包装照片，我们会在 1 个工作日内审核。",
        work="审核：签收照片与开箱照片显示划痕为运输造成，符合退货条件，已通知物流上门取件。",
        resolve="退货已完成，货款 4299 元将在 3 个工作日内原路退回。",
        extra={"request": "return", "reason": "外观划伤", "goods_intact": False},
    ),
    _s(
        "ret-doa",
        "return_exchange",
        "ret-doa",
        ["wm"],
        "申请换货-开箱即故障",
        "新买的洗衣机第一次使用就显示 E3，无法启动，拔插电源也没用。",
        demand="换新机",
        ack="您好，已为您登记换货申请，会先安排师傅上门鉴定故障。",
        work="上门鉴定：电脑板通讯故障，属性能故障，购机 5 天，符合 7 日内退换条件。",
        resolve="已为您更换同型号新机，旧机已回收，感谢您的耐心。",
        extra={"request": "exchange", "reason": "开箱即故障 E3", "goods_intact": True},
        priority="high",
    ),
    _s(
        "ret-noreason",
        "return_exchange",
        "ret-noreason",
        ["wh"],
        "七天无理由退货",
        "网上买的电热水器还没有安装，包装完好，家里装修计划变了，想退货。",
        demand="退货",
        ack="您好，已收到申请。商品包装完好、未安装的，支持七天无理由退货，退货运费按约定由您承担。",
        work="审核：签收第 4 天申请，商品未拆封，符合七天无理由退货条件。",
        resolve="退货已入库验收，货款将在 7 日内退回。",
        extra={"request": "return", "reason": "七天无理由", "goods_intact": True},
        priority="low",
        severity="minor",
    ),
    # --- warranty claims ---
    _s(
        "clm-compressor",
        "warranty_claim",
        "clm-compressor",
        ["ac"],
        "空调压缩机损坏申请保修",
        "空调用了两年多，师傅检测说压缩机卡缸坏了，说明书上写压缩机保 6 年，申请免费更换。",
        demand="免费更换压缩机",
        ack="您好，已收到索赔申请，请提供购机发票照片和机身条码照片，我们会在 1 个工作日内审核。",
        work="审核：发票日期在主要部件保修期内，压缩机卡缸检测报告齐全，同意更换压缩机，工时及冷媒免费。",
        resolve="压缩机已更换完毕，制冷测试正常，全程免费。",
        extra={},
    ),
    _s(
        "clm-engine",
        "warranty_claim",
        "clm-engine",
        ["car"],
        "发动机异响索赔",
        "新车行驶 8000 公里，发动机怠速时有明显金属敲击声，要求按三包规定处理。",
        demand="按三包维修或更换",
        ack="您好，已受理三包索赔申请，请将车辆开到店检查，技术经理会全程跟进。",
        work=(
            "技术诊断：二缸连杆轴瓦异常磨损，需更换发动机短缸总成。已提交厂家索赔，"
            "索赔单号 CLM-2026-08812。"
        ),
        resolve="厂家已批准索赔，短缸总成更换完毕，路试正常。维修期间为您提供了代步车。",
        extra={},
        priority="high",
        severity="major",
    ),
    _s(
        "clm-gearbox",
        "warranty_claim",
        "clm-gearbox",
        ["car"],
        "CVT 变速箱低速顿挫索赔",
        "低速跟车时变速箱明显顿挫，1 挡升 2 挡时有冲击感，已经影响驾驶。",
        demand="免费维修",
        ack="您好，已受理，请到店做变速箱诊断。",
        work="诊断：阀体电磁阀响应异常。更换阀体总成并做自适应学习，路试无顿挫。",
        resolve="变速箱阀体已按保修更换，顿挫消除。",
        extra={},
    ),
    _s(
        "clm-battery",
        "warranty_claim",
        "clm-battery",
        ["ev"],
        "动力电池续航严重衰减索赔",
        "满电显示续航从 500 公里降到 330 公里，冬天更少，要求检测并按质保处理。",
        demand="检测并更换电池模组",
        ack="您好，已受理，将为您安排电池健康检测，检测约需 4 小时。",
        work="检测：电池包第 7 模组一致性差，容量 68%，低于质保阈值，已向厂家提交模组更换索赔。",
        resolve="第 7 模组已按质保免费更换，续航恢复至 480 公里。",
        extra={},
        severity="major",
    ),
    # --- proposals ---
    _s(
        "prop-night",
        "proposal",
        "prop-service",
        [],
        "建议增加夜间上门服务",
        "我们上班族白天不在家，建议增加晚上 19:00-21:00 的上门维修时段，哪怕收一点加急费也可以。",
        ack="您好，感谢您的宝贵建议，已转交售后服务部研究，我们会在研究后告知结果。",
        work="服务部评估：上海、杭州网点试点 19:00-21:00 夜间时段，每晚 6 个名额。",
        resolve="您的建议已被采纳：上海、杭州已开通晚间上门时段。感谢您的建议，我们将寄送一份感谢礼品。",
        extra={"proposal_category": "after_sales_service"},
        priority="low",
        severity="minor",
    ),
    _s(
        "prop-childlock",
        "proposal",
        "prop-product",
        [],
        "建议洗衣机童锁增加提示音",
        "家里小孩经常按洗衣机按钮，童锁开启后没有任何提示，建议增加提示音或指示灯。",
        ack="您好，感谢您的建议，已转交研发与质量部门评估。",
        work="研发评估：下一代面板程序可增加童锁提示音，已列入 2027 款改进清单。",
        resolve="您的建议已被采纳，将在 2027 款机型中实施。",
        extra={"proposal_category": "design_packaging"},
        priority="low",
        severity="minor",
    ),
    _s(
        "prop-packaging",
        "proposal",
        "prop-product",
        [],
        "建议包装改用可回收材料",
        "冰箱包装里泡沫太多，很难处理，建议改用纸浆模塑等可回收材料。",
        ack="您好，感谢您的建议，已转交包装设计部门研究。",
        work="包装部评估：纸浆模塑成本增加约 12%，需与物流部评估运输破损率。",
        extra={"proposal_category": "new_materials"},
        priority="low",
        severity="minor",
    ),
    _s(
        "prop-miniapp",
        "proposal",
        "prop-channel",
        [],
        "建议开通微信小程序预约保养",
        "现在预约保养只能打电话，建议开通微信小程序预约，能看到可选时间段。",
        ack="您好，感谢您的建议，已转交店总经理办公室研究。",
        work="评估：厂家 App 已支持预约，本店小程序需对接 DMS，排期评估中。",
        resolve="您的建议已被采纳，小程序预约功能已上线。",
        extra={"proposal_category": "logistics_channels"},
        org=YH,
        priority="low",
        severity="minor",
    ),
    _s(
        "prop-lounge",
        "proposal",
        "prop-channel",
        [],
        "建议休息区增加儿童游乐区",
        "带孩子来保养时孩子没地方玩，建议客户休息区设一个儿童角。",
        ack="您好，感谢您的建议，已转交店面管理部门。",
        work="店面评估：休息区面积有限，计划在二楼改造时一并考虑。",
        resolve="感谢您的建议，二楼休息区改造已增设儿童角。",
        extra={"proposal_category": "shopping_environment"},
        org=YH,
        priority="low",
        severity="minor",
    ),
    _s(
        "prop-en",
        "proposal",
        "prop-service",
        [],
        "Suggestion: English service hotline",
        "It would help foreign customers if the hotline had an English option, or if WeChat "
        "support could answer in English.",
        ack="Thank you for your suggestion. We have passed it to the service department.",
        work="评估：热线 IVR 可增加英文按键，转接两名英语客服，每日 9:00-18:00。",
        resolve="Your suggestion has been adopted: press 9 on our hotline for English service.",
        extra={"proposal_category": "after_sales_service"},
        priority="low",
        severity="minor",
        language="en",
    ),
    # --- delivery issues ---
    _s(
        "dlv-late",
        "delivery_issue",
        "dlv-late",
        ["fridge", "wm", "ac"],
        "送货延迟，承诺 3 日送达已超过 6 天",
        "订单承诺 3 日内送货上门，现在已经过去 6 天了还没收到，物流信息一直停在中转站。",
        demand="尽快送达",
        ack="您好，非常抱歉，我们已联系物流核实，今天内回复您预计送达时间。",
        work="物流核实：中转站分拣错误发往苏州，已调拨回上海，预计后天送达。",
        resolve="商品已于今日送达并签收，延迟期间的补偿 50 元代金券已发放到您的账户。",
        extra={},
    ),
    _s(
        "dlv-damage",
        "delivery_issue",
        "dlv-damage",
        ["fridge"],
        "送货时外包装破损，背板凹陷",
        "送货时外包装有明显破损，拆开发现冰箱背板凹进去一块，当场没签收。",
        demand="重新发货",
        ack="您好，感谢您拒收破损商品，我们会尽快安排重新发货。",
        work="已确认运输破损，原机退回仓库，新机已出库。",
        resolve="新机已送达并安装完成，感谢您的理解。",
        extra={},
        priority="high",
    ),
    _s(
        "dlv-install",
        "delivery_issue",
        "dlv-install",
        ["ac"],
        "安装师傅未按约定时间上门安装",
        "空调已经送到三天了，约好的安装时间安装师傅没来，电话也打不通。",
        demand="尽快安装",
        ack="您好，非常抱歉，已为您重新安排安装，师傅会在 2 小时内联系您。",
        work="安装网点人员不足导致漏单，已改派其他网点，明天上午安装。",
        resolve="空调已安装完毕并试机正常。",
        extra={},
    ),
    _s(
        "dlv-car",
        "delivery_issue",
        "dlv-car-late",
        ["car", "ev"],
        "新车交付日期延后",
        "合同约定本月 15 日提车，现在被告知要延后两周，没有任何书面说明。",
        demand="明确交车时间并给予补偿",
        ack="您好，我们已向厂家确认车辆在途信息，今天会由销售经理联系您。",
        work="厂家物流船期延误，车辆预计 10 日后到店。已申请赠送一次保养作为补偿。",
        resolve="新车已交付，补偿的一次免费保养已录入您的会员账户。",
        extra={},
        org=YH,
    ),
]

# Generic texts per situation; {name} is the customer's name.
WAIT_ASK = {
    "zh-hans": [
        "为便于处理，请上传购机发票照片和机身条码照片。",
        "请问您方便的上门时间是哪天？我们可以安排上午或下午。",
        "请补充一下故障出现时的照片或视频，谢谢。",
        "请确认一下您的详细地址和楼栋号，我们好安排师傅。",
    ],
    "en": [
        "Could you upload a photo of the invoice and the serial number label, please?",
        "Which day suits you for a visit? We can come in the morning or the afternoon.",
    ],
}
CUSTOMER_ANSWER = {
    "zh-hans": [
        "发票照片已经上传了，条码在机器侧面。",
        "周六上午都在家，9 点以后可以。",
        "视频拍好了，已经上传，麻烦看一下。",
        "地址是 8 号楼 2 单元 1203，小区东门进。",
    ],
    "en": ["I have uploaded the photos.", "Saturday morning works for us, after 9 am."],
}
CANCEL_REASONS = [
    "客户来电表示问题已自行解决，申请取消。",
    "客户重复提交，保留另一张工单。",
    "客户已联系其他服务商处理，取消本次服务。",
    "多次联系客户未接通，客户短信回复不再需要。",
]
REJECT_REASONS = {
    "complaint": ["经核实，上门时间为客户改约后的时间，投诉不成立，已向客户解释。"],
    "return_exchange": [
        "签收已超过 7 天且商品已安装使用，不符合无理由退货条件，建议走维修流程。",
        "商品外观损坏为使用中造成，不属于运输破损，无法退货。",
    ],
    "warranty_claim": [
        "发票日期已超出保修期，无法按保修处理，可提供付费维修。",
        "故障系改装线路导致，不属于保修范围。",
    ],
    "proposal": ["经评估，该建议与现行安全规范冲突，暂不采纳。感谢您的关注与支持。"],
}
HOLD_REASONS = ["需与厂家研发部门共同评估，预计两个月内给出结论。"]
REOPEN_REASONS = [
    "客户反馈同样问题再次出现，重新处理。",
    "回访时客户表示问题未彻底解决。",
]
CLOSE_NOTES = [
    "回访：客户对处理结果满意，评价 5 星。",
    "回访：客户表示问题已解决，满意。",
    "回访：客户基本满意，建议缩短上门等待时间。",
    "回访两次未接通，已短信告知结案。",
]
ASSIGN_NOTES = [
    "已派单，请尽快联系客户。",
    "请优先处理，客户为老用户。",
    "配件已备好，可直接上门。",
]
THIRD_PARTY_NOTES = [
    "等待厂家配件到货，预计 3 个工作日。",
    "等待保险公司定损。",
    "已提交厂家技术支持，等待回复。",
]
APPROVE_NOTES = ["资料审核通过，同意受理。", "符合三包条件，同意处理。"]


# --- mixed-language fragments for generated (bulk) cases --------------------------------------
BULK_TAILS_ZH = [
    "购买时间大约 {years} 年前，型号 {model}。",
    "机器在{place}，方便的话请周末上门。",
    "之前报修过一次，单号记不清了。",
    "家里有老人小孩，麻烦尽快处理。",
    "故障代码 {code}，已经断电重启过，没有用。",
    "请联系 {name}，白天可能不方便接电话。",
]
BULK_TAILS_EN = [
    "Bought about {years} years ago, model {model}.",
    "Error code {code} shows on the display; restarting did not help.",
    "Please call before coming, the building needs visitor registration.",
]
ERROR_CODES = ["E1", "E2", "E3", "E4", "E5", "F1", "F3", "H6", "P0301", "U0100"]
PLACES = ["客厅", "主卧", "次卧", "厨房", "阳台", "卫生间", "店里后厨", "机房"]


# --- which product family a category belongs to --------------------------------------------
# The category model has no product line, so the demo keeps the mapping here: a car case only
# gets a vehicle category and an appliance case only an appliance one; "any" fits both.
VEHICLE_CATEGORIES = frozenset(
    {
        "car-engine",
        "car-electrical",
        "car-maintenance",
        "car-aircon",
        "car-body",
        "consult-maintenance",
        "consult-car-warranty",
        "cmp-car-time",
        "cmp-car-quality",
        "clm-engine",
        "clm-gearbox",
        "clm-battery",
        "dlv-car-late",
    }
)
SHARED_CATEGORIES = frozenset({"cmp-attitude", "prop-service", "prop-product", "prop-channel"})


def category_scope(code: str) -> str:
    """``vehicle``, ``appliance`` or ``any``."""
    if code in VEHICLE_CATEGORIES:
        return "vehicle"
    return "any" if code in SHARED_CATEGORIES else "appliance"


def category_fits(code: str, line: str | None) -> bool:
    """Whether a case in category ``code`` may be about a product of ``line`` (None: none)."""
    scope = category_scope(code)
    if line is None or scope == "any":
        return True
    return (scope == "vehicle") == (line in ("car", "ev"))


# --- variation in what customers write ------------------------------------------------------
# Other ways customers put the same problem; {noun} is how they name the product.
TITLE_ALTS: dict[str, list[str]] = {
    "ac-cooling": [
        "空调开机只吹风不制冷",
        "{noun}不制冷，外机不转",
        "{noun}制冷效果很差",
        "空调吹热风",
    ],
    "ac-leak": ["{noun}内机滴水", "空调漏水把墙弄湿了", "空调开机半小时就往下滴水"],
    "ac-heating": ["{noun}制热不热", "空调开暖风房间不热", "空调制热出温风"],
    "wm-leak": ["{noun}底部漏水", "洗衣机门封漏水", "洗衣机洗衣服时漏水"],
    "wm-noise": ["{noun}脱水噪音特别大", "洗衣机甩干时跳动", "洗衣机脱水像拖拉机"],
    "wm-error": ["{noun}报 E4", "洗衣机不进水", "洗衣机提示进水故障"],
    "fridge-cooling": ["{noun}冷藏不冷", "冰箱保鲜室温度高", "冰箱冷藏室东西放坏了"],
    "fridge-noise": ["{noun}噪音大", "冰箱声音越来越响", "冰箱晚上嗡嗡响影响睡觉"],
    "wh-ignition": ["{noun}点不着火", "热水器显示 E1 不出热水", "热水器一直啪啪响不点火"],
    "wh-temperature": ["{noun}水温不稳定", "洗澡时热水器忽冷忽热", "热水器出水一会烫一会凉"],
    "wh-electric": ["{noun}漏电跳闸", "电热水器插电就跳闸", "热水器跳闸还有焦味"],
    "car-engine-noise": ["{noun}冷启动有哒哒声", "早上启动发动机异响", "发动机冷车异响"],
    "car-mil": ["{noun}发动机故障灯亮", "故障灯亮了加速没劲", "仪表故障灯常亮"],
    "car-maintenance": ["{noun}预约保养", "预约 {km} 公里保养", "约个时间做保养"],
    "car-aircon": ["{noun}空调有异味", "车内空调一开就有霉味", "空调出风口有酸味"],
    "car-camera": ["{noun}倒车影像不显示", "倒车影像黑屏无信号", "倒车时中控屏黑屏"],
    "car-body": ["{noun}车门剐蹭需要喷漆", "后门剐蹭做钣喷", "车身划痕补漆"],
    "consult-ac-warranty": ["{noun}保修多久", "空调压缩机保几年", "问一下空调保修期限"],
    "consult-wm-clean": ["{noun}怎么清洗", "洗衣机有异味怎么清洁", "滚筒门封发霉怎么办"],
    "consult-wh-freeze": ["{noun}冬季防冻", "热水器冬天会冻坏吗", "热水器防冻怎么设置"],
    "consult-install": ["{noun}安装收费吗", "空调安装有哪些费用", "空调加长铜管怎么收费"],
    "consult-car-service": ["{noun}首保里程", "新车首保什么时候做", "首保免费吗"],
    "consult-ev-battery": ["{noun}电池质保", "电池衰减到多少能保修", "三电质保怎么算"],
    "cmp-late": ["投诉师傅迟到", "师傅上门迟到两小时", "约好的时间师傅没来"],
    "cmp-repeat": ["{noun}修了三次还没好", "同样问题反复维修", "维修多次故障依旧"],
    "cmp-attitude": ["投诉客服态度差", "热线客服不耐烦", "客服电话态度敷衍"],
    "cmp-charge": ["保修期内收上门费", "投诉保修期内乱收费", "{noun}在保却被收费"],
    "cmp-4s-time": ["保养等了四个小时", "投诉保养等待太久", "保养时间远超承诺"],
    "cmp-4s-scratch": ["修完车多了划痕", "取车发现新划痕", "维修后车漆有刮痕"],
    "ret-scratch": ["{noun}外观划伤要求退货", "收到的{noun}有划痕", "新机面板划伤申请退货"],
    "ret-doa": ["{noun}开箱就坏申请换货", "新机第一次用就故障", "刚到货的{noun}不能用"],
    "ret-noreason": ["{noun}七天无理由退货", "申请退货（未安装）", "不想要了申请退货"],
    "clm-compressor": ["{noun}压缩机坏了申请保修", "空调压缩机不启动要求保修", "压缩机保修申请"],
    "clm-engine": ["{noun}发动机异响申请索赔", "发动机异响要求质保", "发动机问题索赔"],
    "clm-gearbox": ["{noun}变速箱顿挫索赔", "CVT 低速顿挫申请质保", "变速箱异常索赔"],
    "clm-battery": ["{noun}续航衰减索赔", "电池续航掉得厉害申请质保", "动力电池衰减索赔"],
    "prop-night": ["希望有晚上上门服务", "建议开放晚间预约", "能否增加夜间维修时段"],
    "prop-childlock": ["洗衣机童锁希望加提示", "童锁启用时建议有提示音", "建议改进童锁提醒"],
    "prop-packaging": ["建议用环保包装", "包装泡沫太多建议改进", "希望包装材料可回收"],
    "prop-miniapp": ["建议小程序预约保养", "希望能在微信上约保养", "建议开通线上预约"],
    "prop-lounge": ["休息区建议加儿童区", "希望休息区有儿童游乐设施", "客户休息区改进建议"],
    "dlv-late": ["{noun}超期未送货", "订单超时还没送到", "承诺送货日期已过"],
    "dlv-damage": ["{noun}送货外箱破损", "送来的{noun}背板凹陷", "到货包装破损"],
    "dlv-install": ["{noun}安装师傅爽约", "安装预约没人来", "安装时间一改再改"],
    "dlv-car": ["新车交付推迟", "提车日期一拖再拖", "{noun}交车延期"],
}
# How customers name their product, per product code.
PRODUCT_NOUNS: dict[str, list[str]] = {
    "KFR-35GW/BpHL1": ["静悦空调", "1.5匹挂机", "卧室空调"],
    "KFR-26GW/BpHL2": ["清风空调", "大1匹挂机", "书房空调"],
    "KFR-72LW/BpHL3": ["御风柜机", "3匹柜机", "客厅柜机"],
    "XQG100-HBD14126L": ["洗烘一体机", "10公斤滚筒", "滚筒洗衣机"],
    "XQB80-M1268": ["波轮洗衣机", "8公斤洗衣机"],
    "BCD-470WDPG": ["十字对开门冰箱", "470升冰箱"],
    "BCD-218STPS": ["三门冰箱", "218升冰箱"],
    "JSQ25-13HL5": ["燃气热水器", "13升热水器"],
    "EC6001-HL3": ["电热水器", "60升热水器"],
    "YH-X5-15T": ["星途X5", "X5"],
    "YH-E3-20": ["逸轩E3", "E3"],
    "YH-EV500": ["EV500", "电动车"],
}
# Decorations that keep titles apart the way real ones are: a place, a model, an urgency.
TITLE_TAILS = {
    "repair_request": ["，急", "，麻烦尽快上门", "，已经两天了", "（第二次报修）", "，老人在家"],
    "complaint": ["，要求给说法", "，请领导处理", "，多次沟通无果"],
    "return_exchange": ["，订单已签收", "，请尽快安排取件"],
    "warranty_claim": ["，发票已上传", "，在保修期内"],
    "delivery_issue": ["，请尽快安排", "，影响使用"],
    "consultation": ["？", "，谢谢"],
    "proposal": [""],
}
# Where an appliance of each line usually stands.
LINE_PLACES = {
    "ac": ["客厅", "主卧", "次卧", "书房"],
    "wm": ["阳台", "卫生间"],
    "fridge": ["厨房", "餐厅"],
    "wh": ["卫生间", "厨房"],
}
DESCRIPTION_OPENERS = [
    "{product}，{when}买的。",
    "我家的{product}（{when}购买）出了问题。",
    "型号 {code}，{when}买的。",
    "",
]
DESCRIPTION_CLOSERS = [
    "白天上班，请下午 5 点后联系。",
    "电话打不通的话请发短信。",
    "小区需要登记，上门前请提前打电话。",
    "家里有小孩，麻烦师傅穿鞋套。",
    "周末都在家。",
    "",
    "",
]

# --- customers answering, resolutions and ratings ----------------------------------------------
CUSTOMER_THANKS = [
    "好的，收到，谢谢。",
    "明白了，我等师傅电话。",
    "好的，明天上午家里有人。",
    "收到，麻烦尽快安排，谢谢。",
    "补充一下：今天早上又出现了一次。",
    "照片已经拍了发上来，麻烦看看。",
]
CUSTOMER_AFTER_FIX = [
    "已经好了，谢谢师傅。",
    "用了两天没再出问题，谢谢。",
    "收到，费用没问题。",
    "好的，辛苦了。",
]
RESOLUTIONS = {
    "consultation": "已电话及书面答复客户问题，客户表示清楚。",
    "repair_request": "已上门检测并完成维修，试机正常。",
    "complaint": "已核实情况并向客户致歉，相关人员已批评教育，给予客户补偿。",
    "return_exchange": "已按三包政策为客户办理退换，旧机已回收。",
    "warranty_claim": "索赔审核通过，已按保修更换故障部件。",
    "proposal": "建议已转相关部门并落实，感谢客户反馈。",
    "delivery_issue": "已重新安排送货/安装并完成，客户签收确认。",
}
RATING_FEEDBACK = {
    5: ["师傅很专业，修得很快，非常满意。", "服务很好，解释得很清楚。", "响应及时，满意！", ""],
    4: ["整体满意，就是等待时间有点长。", "问题解决了，希望下次上门更准时。", ""],
    3: ["问题解决了，但中间沟通比较慢。", "一般，来回跑了两次。"],
    2: ["处理太慢，打了好几次电话才有回复。"],
    1: ["问题反复出现，非常失望。"],
}
RATING_WEIGHTS = {5: 55, 4: 25, 3: 12, 2: 5, 1: 3}
# Latin user names for the extra portal accounts (the pinyin of the demo customers).
PORTAL_USER_PREFIX = "kh"
