"""What the districts' registry spreadsheets write, as data: the other headings they use for
the import's columns, the ways they say yes and no, and how they write a date. These are
the files' own Chinese, matched as they are, never shown as a message."""

from __future__ import annotations

import re

# Headings the districts' spreadsheets use for the same columns.
ALIASES = {
    "名称": "name",
    "机构": "name",
    "信用代码": "credit_code",
    "统一信用代码": "credit_code",
    "许可证号": "licence_number",
    "办学许可证": "licence_number",
    "有效期起": "licence_from",
    "有效期止": "licence_to",
    "许可证有效期至": "licence_to",
    "机构类别": "category",
    "培训类别": "category",
    "是否非营利": "is_nonprofit",
    "是否非营利性": "is_nonprofit",
    "非营利": "is_nonprofit",
    "地址": "address",
    "场所地址": "address",
    "场所面积（平方米）": "area_m2",
    "面积": "area_m2",
    "面积（平方米）": "area_m2",
}
YES = {"是", "Y", "YES", "TRUE", "1", "非营利", "非营利性"}
NO = {"否", "N", "NO", "FALSE", "0", "", "营利", "营利性"}
DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")

# The categories as the files write them (the registry's own Chinese labels, whatever the
# language of the person importing), beside the stored values.
CATEGORIES = {"学科类": "academic", "非学科类": "non-academic"}
SUBCATEGORIES = {
    "义务教育阶段学科类": "compulsory",
    "高中阶段学科类": "high-school",
    "体育": "sports",
    "文化艺术": "arts",
    "艺术": "arts",
    "科技": "science",
    "其他": "other",
}
