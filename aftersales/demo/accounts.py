"""The demo sign-ins: one per role, printed by ``make run`` and used by the demo loader."""

from __future__ import annotations

DEMO_PASSWORD = "demo-pass-2026"

# (username, role, display name, e-mail)
DEMO_USERS: list[tuple[str, str, str, str]] = [
    ("admin", "administrator", "系统管理员 王磊", "admin@demo.aftersales.cn"),
    ("supervisor", "supervisor", "售后主管 李娜", "supervisor@demo.aftersales.cn"),
    ("agent", "agent", "服务专员 陈晓", "agent@demo.aftersales.cn"),
    ("dispatcher", "dispatcher", "工程部长 刘强", "dispatcher@demo.aftersales.cn"),
    ("technician", "technician", "维修技师 赵刚", "technician@demo.aftersales.cn"),
    ("complaints", "complaint_officer", "投诉专员 孙丽", "complaints@demo.aftersales.cn"),
    ("parts", "parts_keeper", "配件管理员 周平", "parts@demo.aftersales.cn"),
    ("auditor", "auditor", "质量监督 吴敏", "auditor@demo.aftersales.cn"),
    ("customer", "customer", "张伟", "zhangwei@example.cn"),
]
