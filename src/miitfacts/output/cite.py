"""Ready-to-paste citations: plain text, Markdown, BibTeX, CSL-JSON and RIS.

Several facts make one document in every style: citations separated by a blank
line, BibTeX entries and RIS records one after another, one CSL-JSON array (what
Zotero's import and ``pandoc --citeproc`` read). Every style carries the source's
address when it has one.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from miitfacts.models import Figure
from miitfacts.numbers import format_value
from miitfacts.output.machine import markdown_text, to_json
from miitfacts.text import printable_lines

if TYPE_CHECKING:
    from collections.abc import Sequence

    from miitfacts.models import Fact, Source
    from miitfacts.registry import Registry


class CiteStyle(StrEnum):
    text = "text"
    markdown = "markdown"
    bibtex = "bibtex"
    csl_json = "csl-json"
    ris = "ris"


_DATE_PARTS = re.compile(r"\[\s*\[\s*(\d+(?:,\s*\d+)*)\s*\]\s*\]")


def _figure(fact: Fact) -> str | None:
    if not isinstance(fact, Figure):
        return None
    shown = format_value(fact.value, fact.unit, fact.qualifier)
    basis = "" if fact.basis == "reported" else f", {fact.basis}"
    return f"{shown} (as stated: {fact.stated}{basis})"


def _speaker(fact: Fact, registry: Registry) -> str | None:
    speaker = registry.speaker(fact)
    if speaker is not None:
        # A source that writes the name in Latin letters needs it only once.
        name = (
            speaker.name
            if speaker.name == speaker.name_en
            else f"{speaker.name} ({speaker.name_en})"
        )
        return f"{name}, {speaker.title}"
    return fact.speaker


def _key(fact: Fact, registry: Registry) -> str:
    """The citation key: ``miitfacts:ID:PERIOD`` (``@`` is not allowed in BibTeX or pandoc
    keys); a superseded vintage adds its date, so that every key in a document is unique."""
    key = f"miitfacts:{fact.id}:{fact.period}"
    return key if registry.superseded_by(fact) is None else f"{key}:{fact.published}"


def _revised(fact: Fact, registry: Registry) -> str | None:
    newer = registry.superseded_by(fact)
    if newer is None:
        return None
    return f"Superseded: revised on {newer.published} (see {newer.ref})."


def _title(source: Source) -> str:
    """The English title with the original in brackets, as in every style."""
    if source.title == source.title_en:  # an English source
        return source.title
    return f"{source.title_en} [{source.title}]"


def _publisher(source: Source) -> str:
    return f"{source.publisher} ({source.publisher_en})"


def _reported_by(source: Source) -> str:
    """Who published it, under what title, when: as every prose style writes it."""
    return f"{_publisher(source)}, {_title(source)}, {source.date}"


def _headline(fact: Fact) -> str:
    """The fact in both languages, its figure if any, and its period."""
    figure = _figure(fact)
    return f"{fact.label} ({fact.label_zh}){': ' + figure if figure else ''}, {fact.period}."


def _note(fact: Fact, registry: Registry) -> str:
    """The figure (or statement), its period, the quote and speaker, in one line of text."""
    parts = [_headline(fact)]
    if fact.quote:
        parts.append(f"Quote: 「{fact.quote}」")
    speaker = _speaker(fact, registry)
    if speaker:
        parts.append(f"Speaker: {speaker}.")
    revised = _revised(fact, registry)
    if revised:
        parts.append(revised)
    parts.append(f"[miitfacts: {fact.ref}]")
    return " ".join(parts)


def cite_all(facts: Sequence[Fact], registry: Registry, style: CiteStyle) -> str:
    """The citations of ``facts`` as one document in ``style``; ends in a newline."""
    if style is CiteStyle.csl_json:
        text = to_json([csl_item(fact, registry) for fact in facts])
        # Dates on one line: "date-parts": [[2026, 1, 21]].
        return _DATE_PARTS.sub(lambda m: "[[" + ", ".join(re.split(r",\s*", m[1])) + "]]", text)
    render = {
        CiteStyle.text: _text,
        CiteStyle.markdown: _markdown,
        CiteStyle.bibtex: _bibtex,
        CiteStyle.ris: _ris,
    }[style]
    # A blank line between citations, entries and records.
    return "\n".join(printable_lines(render(fact, registry)) for fact in facts)


def _text(fact: Fact, registry: Registry) -> str:
    source = registry.sources[fact.source]
    speaker = _speaker(fact, registry)
    parts = [_headline(fact)]
    if fact.quote is not None:
        parts.append(f"「{fact.quote}」")
    if speaker:
        parts.append(f"Speaker: {speaker}.")
    parts.append(f"{source.event_en}. Reported by {_reported_by(source)}.")
    if source.url:
        parts.append(source.url)
    revised = _revised(fact, registry)
    if revised:
        parts.append(revised)
    parts.append(f"[miitfacts: {fact.ref}]")
    return "\n".join(parts) + "\n"


def _markdown(fact: Fact, registry: Registry) -> str:
    # Pack text is data: escaped, so that it can never become HTML, a link or emphasis.
    md = markdown_text
    source = registry.sources[fact.source]
    figure = _figure(fact)
    speaker = _speaker(fact, registry)
    published = _reported_by(source)
    label = f"**{md(fact.label)}** ({md(fact.label_zh)})"
    lines = [f"{label}{': ' + md(figure) if figure else ''}, {fact.period}.", ""]
    if fact.quote is not None:
        lines += [f"> {md(fact.quote)}", ">"]
    said = f"{md(speaker)}, " if speaker else ""
    lines.append(f"> — {said}{md(source.event_en)}. Reported by {md(published)}.")
    if source.url:
        lines.append(f"> <{source.url}>")
    revised = _revised(fact, registry)
    if revised:
        lines += [">", f"> {revised}"]
    lines.append("")
    lines.append(f"<sub>miitfacts id `{fact.ref}`</sub>")
    return "\n".join(lines) + "\n"


# What TeX would read as markup in a BibTeX value, written as the character itself.
_BIBTEX_ESCAPES = str.maketrans(
    {
        "\\": "\\textbackslash{}",
        "{": "\\{",
        "}": "\\}",
        "%": "\\%",
        "&": "\\&",
        "$": "\\$",
        "#": "\\#",
        "_": "\\_",
        "~": "\\textasciitilde{}",
        "^": "\\textasciicircum{}",
    }
)


def _braced(value: str) -> str:
    """A BibTeX value: braces balanced and TeX's special characters literal."""
    return value.translate(_BIBTEX_ESCAPES)


def _bibtex(fact: Fact, registry: Registry) -> str:
    source = registry.sources[fact.source]
    figure = _figure(fact)
    speaker = _speaker(fact, registry)
    note = f"{fact.label}{': ' + figure if figure else ''}."
    if fact.quote is not None:
        note += f" Quote: 「{fact.quote}」"
    if speaker:
        note += f" Speaker: {speaker}."
    fields = [
        ("title", _title(source)),
        ("author", f"{{{_braced(source.publisher)}}}"),
        ("organization", source.publisher_en),
        ("date", source.date.isoformat()),
        ("year", str(source.date.year)),
        ("howpublished", source.event_en),
        ("note", note),
    ]
    revised = _revised(fact, registry)
    if revised:
        fields[-1] = ("note", f"{note} {revised}")
    body = ",\n".join(
        f"  {name} = {{{value if name == 'author' else _braced(value)}}}" for name, value in fields
    )
    if source.url:
        # An address is copied as it is (url packages read it verbatim); only braces
        # could break the entry, and a checked address has none.
        body += f",\n  url = {{{source.url}}}"
    return f"@misc{{{_key(fact, registry)},\n{body}\n}}\n"


def csl_item(fact: Fact, registry: Registry) -> dict[str, Any]:
    """One CSL-JSON item: the source that states the fact, with the figure in ``note``.

    A news report of a briefing is an ``article-newspaper`` (the outlet is its
    container); an official release is a ``document`` of its publisher.
    """
    source = registry.sources[fact.source]
    official = source.reliability == "official"
    item: dict[str, Any] = {
        "id": _key(fact, registry),
        "type": "document" if official else "article-newspaper",
        "title": _title(source),
        "container-title": _publisher(source),
        "publisher": _publisher(source),
        "event-title": source.event_en,
        "issued": {"date-parts": [[source.date.year, source.date.month, source.date.day]]},
    }
    if source.url:
        item["URL"] = source.url
    item["language"] = source.language
    item["note"] = _note(fact, registry)
    return item


def _ris_value(value: str) -> str:
    # A RIS value is one line.
    return " ".join(value.split())


def _ris(fact: Fact, registry: Registry) -> str:
    """One RIS record (``TY`` … ``ER``), as Zotero, EndNote and Mendeley import it."""
    source = registry.sources[fact.source]
    official = source.reliability == "official"
    date = source.date
    tags = [
        ("TY", "GOVDOC" if official else "NEWS"),
        ("ID", _key(fact, registry)),
        ("TI", _title(source)),
        ("T2", _publisher(source)),
        ("PB", _publisher(source)),
        ("PY", str(date.year)),
        ("DA", f"{date.year:04d}/{date.month:02d}/{date.day:02d}/"),
    ]
    if source.url:
        tags.append(("UR", source.url))
    tags += [("LA", source.language), ("N1", _note(fact, registry)), ("ER", "")]
    return "".join(f"{tag}  - {_ris_value(value)}\n" for tag, value in tags)
