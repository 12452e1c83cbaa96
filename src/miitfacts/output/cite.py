"""Ready-to-paste citations of one fact: plain text, Markdown or BibTeX."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from miitfacts.models import Figure
from miitfacts.numbers import format_value
from miitfacts.text import printable_lines

if TYPE_CHECKING:
    from miitfacts.models import Fact
    from miitfacts.registry import Registry


class CiteStyle(StrEnum):
    text = "text"
    markdown = "markdown"
    bibtex = "bibtex"


def _figure(fact: Fact) -> str | None:
    if not isinstance(fact, Figure):
        return None
    shown = format_value(fact.value, fact.unit, fact.qualifier)
    basis = "" if fact.basis == "reported" else f", {fact.basis}"
    return f"{shown} (as stated: {fact.stated}{basis})"


def _speaker(fact: Fact, registry: Registry) -> str | None:
    speaker = registry.speaker(fact)
    if speaker is not None:
        return f"{speaker.name} ({speaker.name_en}), {speaker.title}"
    return fact.speaker


def cite(fact: Fact, registry: Registry, style: CiteStyle) -> str:
    source = registry.sources[fact.source]
    figure = _figure(fact)
    speaker = _speaker(fact, registry)
    publisher = f"{source.publisher} ({source.publisher_en})"
    published = f"{publisher}, {source.title_en} [{source.title}], {source.date}"
    if style is CiteStyle.bibtex:
        return _bibtex(fact, registry, figure, speaker)
    if style is CiteStyle.markdown:
        lines = [
            f"**{fact.label}** ({fact.label_zh}){': ' + figure if figure else ''}, {fact.period}.",
            "",
        ]
        if fact.quote is not None:
            lines.append(f"> {fact.quote}")
            lines.append(">")
        said = f"{speaker}, " if speaker else ""
        lines.append(f"> — {said}{source.event_en}. Reported by {published}.")
        if source.url:
            lines.append(f"> <{source.url}>")
        lines.append("")
        lines.append(f"<sub>miitfacts id `{fact.ref}`</sub>")
        return printable_lines("\n".join(lines)) + "\n"
    parts = [f"{fact.label} ({fact.label_zh}){': ' + figure if figure else ''}, {fact.period}."]
    if fact.quote is not None:
        parts.append(f"「{fact.quote}」")
    if speaker:
        parts.append(f"Speaker: {speaker}.")
    parts.append(f"{source.event_en}. Reported by {published}.")
    if source.url:
        parts.append(source.url)
    parts.append(f"[miitfacts: {fact.ref}]")
    return printable_lines("\n".join(parts)) + "\n"


def _braced(value: str) -> str:
    # BibTeX values live inside braces: keep them balanced.
    return value.replace("\\", "\\textbackslash{}").replace("{", "\\{").replace("}", "\\}")


def _bibtex(fact: Fact, registry: Registry, figure: str | None, speaker: str | None) -> str:
    source = registry.sources[fact.source]
    note = f"{fact.label}{': ' + figure if figure else ''}."
    if fact.quote is not None:
        note += f" Quote: 「{fact.quote}」"
    if speaker:
        note += f" Speaker: {speaker}."
    fields = [
        ("title", f"{source.title_en} [{source.title}]"),
        ("author", f"{{{_braced(source.publisher)}}}"),
        ("organization", source.publisher_en),
        ("date", source.date.isoformat()),
        ("year", str(source.date.year)),
        ("howpublished", source.event_en),
        ("note", note),
    ]
    if source.url:
        fields.append(("url", source.url))
    body = ",\n".join(
        f"  {name} = {{{value if name == 'author' else _braced(value)}}}" for name, value in fields
    )
    return printable_lines(f"@misc{{miitfacts:{fact.id}:{fact.period},\n{body}\n}}") + "\n"
