"""Words that name the same thing, in English and Chinese: the search's curated table.

Each group lists ways people and sources write one idea. A query that says any
of them also finds the others: "AI" finds 人工智能, "little giant" finds 小巨人,
"SME" finds "small and medium-sized enterprises". Keep groups tight (true
synonyms and abbreviations only): every member of a group counts as an exact
match for every other.

Write Chinese in Simplified script and English in lower case; the search folds
Traditional script, width and case before it compares. Hyphens and spaces are
interchangeable ("fifth-generation" also matches "fifth generation").
"""

from __future__ import annotations

SYNONYMS: tuple[tuple[str, ...], ...] = (
    # Abbreviations the issue names, and the new topics' terms.
    ("ai", "artificial intelligence", "人工智能"),
    (
        "sme",
        "smes",
        "small and medium-sized enterprises",
        "small and medium enterprises",
        "small and medium-sized enterprise",
        "small and medium enterprise",
        "中小企业",
    ),
    ("5g", "fifth-generation", "fifth-generation mobile", "第五代移动通信"),
    ("6g", "sixth-generation", "sixth-generation mobile", "第六代移动通信"),
    ("va", "value added", "value-added", "增加值"),
    ("little giant", "little giants", "little-giant", "小巨人"),
    ("5g base stations", "5g base station", "5g基站"),
    ("base stations", "base station", "基站"),
    ("users", "user", "subscribers", "subscriber", "用户"),
    ("5g users", "5g mobile phone users", "5g subscribers", "5g用户", "5g移动电话用户"),
    ("mobile users", "mobile phone users", "mobile subscribers", "移动电话用户", "手机用户"),
    # Everyday words for the things the figures count.
    ("enterprises", "enterprise", "firms", "firm", "companies", "company", "企业", "公司"),
    ("factories", "factory", "plants", "工厂"),
    ("smart factories", "smart factory", "intelligent factories", "智能工厂"),
    ("pioneer", "pioneer-level", "lighthouse", "领航"),
    ("models", "model", "模型"),
    ("products", "product", "产品"),
    ("robots", "robot", "机器人"),
    ("humanoid robots", "humanoid robot", "humanoids", "人形机器人"),
    ("embodied intelligence", "embodied ai", "具身智能"),
    ("size", "scale", "规模"),
    ("growth", "growth rate", "增长", "增速", "增幅"),
    ("above designated size", "规模以上", "规上"),
    ("year on year", "year-on-year", "yoy", "同比"),
    ("fund", "funds", "基金"),
    ("key technologies", "key technology", "关键技术"),
    ("specialized and sophisticated", "specialised and sophisticated", "专精特新"),
    ("brain-computer interfaces", "brain-computer interface", "bci", "脑机接口"),
    ("manufacturing", "制造业"),
    ("industrial software", "工业软件"),
    ("telecom", "telecoms", "telecommunications", "information and communications", "信息通信"),
    ("green manufacturing", "绿色制造"),
    ("gdp", "gross domestic product", "国内生产总值"),
    ("number", "count", "数量"),
    ("nev", "nevs", "new energy vehicles", "new energy vehicle", "新能源汽车"),
    ("iot", "internet of things", "物联网"),
    ("computing power", "computing capacity", "算力"),
    ("gigabit", "千兆"),
    ("optical cable", "optical cables", "光缆"),
    ("revenue", "operating revenue", "营业收入", "业务收入"),
)
