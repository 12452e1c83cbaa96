"""The words miitfacts prints for people, keyed, English and Chinese side by side.

``say(key, lang, **values)`` fills a message in. In English templates a count
written ``{count:fact}`` becomes ``1 fact`` / ``2 facts`` (``{count}`` alone is
the bare number). Chinese is written in the source's script (Traditional);
``--lang zh-Hans`` converts the finished output. Words for units, qualifiers and
bases live with the number formatting in ``numbers.py``.
"""

from __future__ import annotations

import re
from typing import Literal

Language = Literal["en", "zh"]

MESSAGES: dict[str, tuple[str, str]] = {
    # Column headings and the names on a fact card (English, Chinese).
    "id": ("ID", "編號"),
    "label": ("Fact", "事實"),
    "value": ("Value", "數值"),
    "period": ("Period", "時期"),
    "topic": ("Topic", "主題"),
    "name": ("Name", "名稱"),
    "aliases": ("Aliases", "別名"),
    "kind": ("Kind", "類型"),
    "label_zh": ("中文", "English"),
    "stated": ("As stated", "原文"),
    "qualifier": ("Qualifier", "限定"),
    "basis": ("Basis", "依據"),
    "quote": ("Quote", "引文"),
    "speaker": ("Speaker", "發言人"),
    "source": ("Source", "來源"),
    "event": ("Event", "場合"),
    "baseline": ("Baseline", "比較基準"),
    "tags": ("Tags", "標籤"),
    "publisher": ("Publisher", "發布者"),
    "date": ("Date", "日期"),
    "title": ("Title", "標題"),
    "note": ("Note", "說明"),
    "published": ("Published", "發布日期"),
    "read_at": ("Read at", "原文網址"),
    "also_in": ("Also in", "亦見於"),
    "attribution": ("Attribution", "署名"),
    "matched": ("Matched in", "匹配"),
    "facts": ("facts", "條"),
    "figures": ("figures", "數字"),
    "comparison": ("Comparison", "比較"),
    "difference": ("Difference", "差"),
    "ratio": ("Ratio", "倍數"),
    # Words inside cells.
    "figure": ("figure", "數字"),
    "statement": ("statement", "陳述"),
    "exact": ("exact", "確數"),
    "baseline_mark": ("(baseline)", "(基準)"),
    "indeterminate": ("not determined", "無法確定"),
    "percentage_points": ("percentage points", "個百分點"),
    "percentage_point": ("percentage point", "個百分點"),
    "ratio_times": ("{ratio}×", "{ratio}倍"),
    "versus": ("vs {id}", "vs {id}"),
    "scale.log": ("log scale", "對數刻度"),
    "scale.linear": ("linear scale", "線性刻度"),
    "compare.note": ("note: {text}", "註: {text}"),
    # What a comparison's notes say (compare.Note; JSON carries the English).
    "note.statements": (
        "statements have no value and are not compared: {ids}",
        "陳述沒有數值, 不作比較: {ids}",
    ),
    "note.neighbours": (
        "{count} figures in {unit}: each is compared with the next only",
        "{unit} 共 {count} 個數字: 每個只與下一個比較",
    ),
    "note.units": (
        "figures in different units ({units}) are shown side by side "
        "but never subtracted or divided",
        "單位不同的數字 ({units}) 只並列顯示, 不相減也不相除",
    ),
    "note.indeterminate": (
        "{a} and {b} are both bounds in the same direction: "
        "their difference and ratio are not determined",
        "{a} 與 {b} 都是同一方向的界限: 差與倍數無法確定",
    ),
    "note.basis.estimated": (
        "{a} vs {b} rests on an estimated figure",
        "{a} 與 {b} 的比較基於測算數字",
    ),
    "note.basis.projected": (
        "{a} vs {b} rests on a projected figure",
        "{a} 與 {b} 的比較基於預計數字",
    ),
    "note.sources": (
        "{a} vs {b} compares different sources and publication dates ({source_a}; {source_b})",
        "{a} 與 {b} 的比較跨越不同來源和發布日期 ({source_a_zh}; {source_b_zh})",
    ),
    "note.scope": (
        "{a} vs {b}: read with the caveats on scope ({scope})",
        "{a} 與 {b}: 請留意口徑說明 ({scope})",
    ),
    "caption.source": ("Source: {sources}", "來源: {sources}"),
    # Indicators over time.
    "series.history": ("History", "歷史"),
    "series.revisions": ("Revisions", "修訂"),
    "series.change": ("Change", "變化"),
    "series.from": ("from {value} ({period})", "上期 {value} ({period})"),
    "series.revised": ("Revised to", "修訂為"),
    "series.growth": ("({growth} growth)", "(增長 {growth})"),
    # Titles.
    "title.list": ("{count:fact}", "{count} 條"),
    # A topic's name: both names, or one where they are the same (6G).
    "topic.names": ("{name} · {name_zh}", "{name_zh}"),
    "title.topic": (
        "{names} ({id}): {count:fact}, {figures:figure}",
        "{names} ({id}): {count} 條, 其中 {figures} 個數字",
    ),
    "title.search": ("{count:match} for {query}", "{query}: {count} 個結果"),
    # Where a search matched (English shows the field's name as JSON has it).
    "matched.id": ("id", "編號"),
    "matched.label": ("label", "英文名稱"),
    "matched.label_zh": ("label_zh", "中文名稱"),
    "matched.stated": ("stated", "原文數字"),
    "matched.tags": ("tags", "標籤"),
    "matched.quote": ("quote", "引文"),
    "matched.topic": ("topic", "主題"),
    "matched.value": ("value", "數值"),
    "matched.period": ("period", "時期"),
    # Messages on stderr.
    "search.none": ("no facts match {query}", "沒有與 {query} 相符的事實"),
}


def plural(count: int, noun: str) -> str:
    if count == 1:
        return f"{count:,} {noun}"
    ending = "es" if noun.endswith(("s", "x", "ch", "sh")) else "s"
    return f"{count:,} {noun}{ending}"


_COUNT = re.compile(r"\{(\w+):([a-z]+)\}")


def _counts(template: str, values: dict[str, object]) -> str:
    """``{count:fact}`` → ``1 fact`` / ``2 facts`` (the template's other fields stay)."""

    def plural_of(match: re.Match[str]) -> str:
        count = values[match[1]]
        assert isinstance(count, int)
        return plural(count, match[2]).replace("{", "{{").replace("}", "}}")

    return _COUNT.sub(plural_of, template)


def say(key: str, lang: str = "en", /, **values: object) -> str:
    """The message ``key`` in ``lang`` (``en`` or ``zh``), filled with ``values``."""
    english, chinese = MESSAGES[key]
    template = chinese if lang == "zh" else english
    if not values:
        return template
    if lang == "zh":
        return template.format(**values)
    return _counts(template, values).format(**values)


def matched_in(field: str, lang: str = "en") -> str:
    """The field a search matched in, as a table shows it."""
    key = f"matched.{field}"
    return say(key, lang) if key in MESSAGES else field


def topic_names(name: str, name_zh: str, lang: str = "en") -> str:
    """``Small and medium-sized enterprises · 中小企業``; ``6G`` once."""
    if lang != "zh" and name == name_zh:
        return name
    return say("topic.names", lang, name=name, name_zh=name_zh)


def note_text(kind: str, lang: str = "en", /, **values: str) -> str:
    """A comparison's note (``compare.Note``) in ``lang``: ``an estimated``, ``a projected``."""
    if kind == "basis":
        return say(f"note.basis.{values.pop('basis')}", lang, **values)
    return say(f"note.{kind}", lang, **values)
