"""Indicators over time (issue 10) on the fictional example series in examples/series.

Every expected number is derived from the example packs themselves (read below
as plain JSON, independently of miitfacts) or worked out by hand from them in a
comment: 2024 growth 5.8 - 4.6 = 1.2 percentage points, and so on.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import shutil
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import miitfacts
from miitfacts import core
from miitfacts.compare import compare
from miitfacts.errors import NotFoundError, PackError, UsageError
from miitfacts.models import Figure
from miitfacts.registry import Registry
from tests.conftest import Invoke

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "series"
DATA = ("--data", str(EXAMPLES))
MACHINE_FORMATS = ("json", "jsonl", "csv", "tsv", "markdown")
WIDE = {"COLUMNS": "200"}


# -- the example packs, read as plain JSON ----------------------------------------


@dataclass(frozen=True)
class Stated:
    """One entry of an example pack, with its source's date (the vintage)."""

    id: str
    period: str
    value: Any
    unit: str
    qualifier: str
    basis: str
    stated: str
    source: str
    published: str
    corroborated_by: tuple[str, ...]
    note: str | None


def _read_examples() -> list[Stated]:
    found = []
    for path in sorted(EXAMPLES.glob("*.json")):
        pack = json.loads(path.read_text(encoding="utf-8"))
        sources = [pack["source"]] if "source" in pack else pack["sources"]
        dates = {s["id"]: s["date"] for s in sources}
        default = pack["source"]["id"] if "source" in pack else None
        for fact in pack["facts"]:
            source = fact.get("source", default)
            found.append(
                Stated(
                    id=fact["id"],
                    period=fact["period"],
                    value=fact["value"],
                    unit=fact["unit"],
                    qualifier=fact["qualifier"],
                    basis=fact.get("basis", "reported"),
                    stated=fact["stated"],
                    source=source,
                    published=dates[source],
                    corroborated_by=tuple(fact.get("corroborated_by", ())),
                    note=fact.get("note"),
                )
            )
    return found


PACK = _read_examples()


def entry(fact_id: str, period: str, published: str | None = None) -> Stated:
    """The one pack entry for (id, period[, vintage])."""
    matches = [
        s
        for s in PACK
        if s.id == fact_id and s.period == period and published in (None, s.published)
    ]
    if published is None:
        matches = [max(matches, key=lambda s: s.published)]
    assert len(matches) == 1, (fact_id, period, published)
    return matches[0]


def latest(fact_id: str, as_of: str = "9999-12-31") -> list[Stated]:
    """Latest vintage of each period known by ``as_of``, oldest period first."""
    periods: dict[str, Stated] = {}
    for s in sorted(PACK, key=lambda s: s.published):
        if s.id == fact_id and s.published <= as_of:
            periods[s.period] = s
    return [periods[p] for p in sorted(periods)]


def cell(value: Any) -> str:
    """A JSON value as the delimited formats write it."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(cell(v) for v in value)
    return str(value)


def parse(fmt: str, out: str) -> list[dict[str, str]]:
    """Rows of any output format as strings (``--fields`` for the table format)."""
    if fmt in ("json", "jsonl"):
        data: Any = json.loads(out) if fmt == "json" else [json.loads(x) for x in out.splitlines()]
        if isinstance(data, dict):  # compare --json: a document
            data = data["comparisons"]
        return [{k: cell(v) for k, v in row.items()} for row in data]
    if fmt in ("csv", "tsv"):
        dialect = "excel-tab" if fmt == "tsv" else "excel"
        return list(csv.DictReader(io.StringIO(out), dialect=dialect))
    lines = [line for line in out.splitlines() if line.strip()]
    if fmt == "markdown":
        header, _, *body = ([c.strip() for c in line.strip()[1:-1].split("|")] for line in lines)
        return [dict(zip(header, row, strict=True)) for row in body]
    # table: cells start where their column's name starts
    names = lines[0].split()
    starts = [lines[0].index(f"{n}") for n in names]
    ends = [*starts[1:], None]
    return [
        {n: line[s:e].strip() for n, s, e in zip(names, starts, ends, strict=True)}
        for line in lines[1:]
    ]


def points(a: Stated, b: Stated) -> str:
    """a - b in exact decimal arithmetic, as output prints a float."""
    return str(float(Decimal(str(a.value)) - Decimal(str(b.value))))


# -- fixtures ----------------------------------------------------------------------


@pytest.fixture
def reg() -> Registry:
    return miitfacts.load([EXAMPLES], use_env=False)


def _pack_dict(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    return data


def _source(source_id: str, date: str, **changes: Any) -> dict[str, Any]:
    source: dict[str, Any] = copy.deepcopy(_pack_dict("2024-12-27-example.json")["source"])
    source.update(id=source_id, date=date, **changes)
    return source


def _growth(**changes: Any) -> dict[str, Any]:
    """demo.growth@2023 as the first example pack states it, with changes."""
    fact: dict[str, Any] = copy.deepcopy(_pack_dict("2024-01-19-example.json")["facts"][0])
    fact.update(changes)
    return fact


def _firms(**changes: Any) -> dict[str, Any]:
    fact: dict[str, Any] = copy.deepcopy(_pack_dict("2024-01-19-example.json")["facts"][1])
    fact.update(changes)
    return fact


TOPICS = _pack_dict("2024-01-19-example.json")["topics"]


def write_packs(folder: Path, *packs: dict[str, Any] | str) -> Path:
    """Write packs p0.json, p1.json, ... (loaded in that order) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, pack in enumerate(packs):
        text = pack if isinstance(pack, str) else json.dumps(pack, ensure_ascii=False, indent=1)
        (folder / f"p{i}.json").write_text(text, encoding="utf-8")
    return folder


def one_source_pack(source: dict[str, Any], *facts: dict[str, Any], topics: bool = True) -> dict:  # type: ignore[type-arg]
    pack: dict[str, Any] = {"format": 1, "source": source, "facts": list(facts)}
    if topics:
        pack["topics"] = TOPICS
    return pack


# -- the example data is what these tests assume ------------------------------------


def test_example_packs_hold_the_series_the_issue_describes() -> None:
    growth = [
        (s.period, s.value, s.qualifier, s.basis, s.published)
        for s in PACK
        if s.id == "demo.growth"
    ]
    assert sorted(growth, key=lambda g: g[4]) == [
        ("2023", 4.6, "exact", "reported", "2024-01-19"),
        ("2024", 5.7, "approximately", "projected", "2024-12-27"),
        ("2024", 5.8, "exact", "reported", "2025-01-21"),
        ("2025", 5.9, "exact", "reported", "2026-01-21"),
    ]
    assert entry("demo.growth", "2025").corroborated_by == ("example-wire-2026-01-22",)
    firms = [(s.period, s.value, s.qualifier) for s in PACK if s.id == "demo.firms"]
    assert firms == [
        ("2023", 12000, "more_than"),
        ("2024", 14000, "more_than"),
        ("2025", 17600, "exact"),
    ]


# -- Python API -------------------------------------------------------------------


def test_api_series_is_the_latest_vintage_of_each_period_oldest_first(reg: Registry) -> None:
    for fact_id in ("demo.growth", "demo.firms"):
        series = reg.series(fact_id)
        expected = latest(fact_id)
        assert [(f.period, f.value, f.published) for f in series] == [  # type: ignore[union-attr]
            (s.period, s.value, s.published) for s in expected
        ]
        assert reg.fact(fact_id).ref == f"{fact_id}@{expected[-1].period}"  # the latest period


def test_api_history_keeps_the_projection_superseded_by_the_january_figure(reg: Registry) -> None:
    history = reg.history("demo.growth")
    assert [(f.period, f.published) for f in history] == sorted(
        (s.period, s.published) for s in PACK if s.id == "demo.growth"
    )
    projection = next(f for f in history if f.published == "2024-12-27")
    revision = reg.superseded_by(projection)
    assert revision is not None and isinstance(revision, Figure)
    assert (revision.value, revision.published) == (5.8, entry("demo.growth", "2024").published)
    record = reg.record(projection)
    assert record["superseded_by"] == "2025-01-21"
    assert record["basis"] == "projected" and record["qualifier"] == "approximately"
    assert all(reg.superseded_by(f) is None for f in reg.series("demo.growth"))


def test_api_as_of_shows_what_was_known_then(reg: Registry) -> None:
    then = reg.at(dt.date(2025, 1, 1))
    growth = then.series("demo.growth")
    # Known on 2025-01-01: 2023 (published 2024-01-19) and the projection of 2024-12-27.
    assert [(f.period, f.value, f.basis) for f in growth] == [  # type: ignore[union-attr]
        ("2023", 4.6, "reported"),
        ("2024", 5.7, "projected"),
    ]
    assert then.get_observation("demo.growth@2025") is None
    assert then.superseded_by(growth[-1]) is None  # its revision had not been published
    assert then.record(growth[-1])["superseded_by"] is None
    assert [f.period for f in then.series("demo.firms")] == ["2023"]
    assert "example-daily-2025-01-21" not in then.sources
    assert reg.series("demo.growth")[-1].period == "2025"  # the original is unchanged


@pytest.mark.parametrize(
    ("as_of", "value"),
    [("2024-12-26", None), ("2024-12-27", 5.7), ("2025-01-20", 5.7), ("2025-01-21", 5.8)],
)
def test_api_as_of_includes_the_day_of_publication(
    reg: Registry, as_of: str, value: float | None
) -> None:
    found = reg.at(dt.date.fromisoformat(as_of)).get_observation("demo.growth@2024")
    assert (None if found is None else found.value) == value  # type: ignore[union-attr]


def test_api_corroboration_is_one_observation_from_two_outlets(reg: Registry) -> None:
    pack_entry = entry("demo.growth", "2025")
    observations = [f for f in reg.history("demo.growth") if f.period == "2025"]
    assert len(observations) == 1
    (one,) = observations
    assert one.source == pack_entry.source and one.corroborated_by == pack_entry.corroborated_by
    assert reg.superseded_by(one) is None
    # The wire published a day later: on the 21st only the daily had it.
    assert reg.at(dt.date(2026, 1, 21)).fact("demo.growth@2025").corroborated_by == ()
    assert reg.at(dt.date(2026, 1, 22)).fact("demo.growth@2025").corroborated_by == (
        "example-wire-2026-01-22",
    )


def test_api_refs_resolve_and_a_year_is_its_31_december_for_a_stock(reg: Registry) -> None:
    assert reg.fact("demo.firms@2024").value == 14000  # type: ignore[union-attr]
    assert reg.fact("DEMO.FIRMS@2024-12-31").ref == "demo.firms@2024"
    for missing in ("demo.firms@2024-06-30", "demo.firms@2022", "demo.firms@nope"):
        with pytest.raises(NotFoundError):
            reg.fact(missing)


def test_api_time_filter_periods_are_repeatable_and_validated(reg: Registry) -> None:
    both = core.TimeFilter(("2023", "2025")).observations(reg, "demo.growth")
    assert [f.period for f in both] == ["2023", "2025"]
    vintages = core.TimeFilter(("2024",), all_vintages=True).observations(reg, "demo.growth")
    assert [f.value for f in vintages] == [5.7, 5.8]  # type: ignore[union-attr]
    for bad in ("2024-11", "2025-02-30", "2030-2026", "24", ""):
        with pytest.raises(UsageError):
            core.TimeFilter((bad,))


def test_api_list_facts_orders_oldest_period_first_within_an_id(reg: Registry) -> None:
    facts = core.list_facts(reg, "demo")
    for fact_id in ("demo.growth", "demo.firms"):
        periods = [f.period for f in facts if f.id == fact_id]
        assert periods == [s.period for s in latest(fact_id)]


def test_api_compare_one_indicator_gives_points_for_percents(reg: Registry) -> None:
    result = compare(reg, ["demo.growth"])
    rows = [c.record() for c in result.comparisons]
    a23, a24, a25 = latest("demo.growth")
    assert [(r["a"], r["b"]) for r in rows] == [
        ("demo.growth@2024", "demo.growth@2023"),
        ("demo.growth@2025", "demo.growth@2024"),
    ]
    # 5.8 - 4.6 = 1.2 and 5.9 - 5.8 = 0.1 points; a ratio of two rates means nothing.
    assert [r["difference"] for r in rows] == [1.2, 0.1]
    assert [str(r["difference"]) for r in rows] == [points(a24, a23), points(a25, a24)]
    assert {r["difference_unit"] for r in rows} == {"percentage_points"}
    assert {(r["ratio"], r["growth"], r["qualifier"]) for r in rows} == {(None, None, "exact")}


def test_api_compare_counts_carries_bounds_and_growth(reg: Registry) -> None:
    rows = [c.record() for c in compare(reg, ["demo.firms"]).comparisons]
    first, second = rows
    # more than 14,000 vs more than 12,000: both lower bounds, nothing determined.
    assert (first["difference"], first["qualifier"], first["ratio_qualifier"]) == (
        None,
        "indeterminate",
        "indeterminate",
    )
    assert first["growth"] is None
    # 17,600 vs more than 14,000: less than 3,600 more, less than 17600/14000 = 1.2571...
    assert (second["difference"], second["qualifier"]) == (3600, "less_than")
    assert second["ratio"] == pytest.approx(17600 / 14000)
    assert second["ratio_qualifier"] == "less_than"
    assert second["growth"] == pytest.approx((17600 / 14000 - 1) * 100, abs=1e-4)


def test_api_compare_as_of_carries_the_projected_basis(reg: Registry) -> None:
    result = compare(reg.at(dt.date(2025, 1, 1)), ["demo.growth"])
    (only,) = [c.record() for c in result.comparisons]
    # about 5.7 (projected) vs 4.6: about 1.1 points, and the comparison is projected.
    assert (only["a"], only["b"]) == ("demo.growth@2024", "demo.growth@2023")
    assert (only["difference"], only["qualifier"], only["basis"]) == (
        1.1,
        "approximately",
        "projected",
    )
    notes = [n.text() for n in result.notes]
    assert any("projected" in n for n in notes)
    assert any("scope" in n and entry("demo.growth", "2024", "2024-12-27").note in n for n in notes)  # type: ignore[operator]


def test_api_trends_and_history_pair_each_period_with_the_one_before(reg: Registry) -> None:
    (trend,) = [
        t for t in core.trends(core.list_facts(reg, "demo")) if t.observation.id == "demo.firms"
    ]
    assert (trend.observation.period, trend.previous.period) == ("2025", "2024")  # type: ignore[union-attr]
    story = core.history(reg, reg.history("demo.growth"))
    assert [c.observation.period for c in story.changes] == ["2023", "2024", "2025"]
    assert story.changes[0].comparison is None
    assert [(old.value, new.value) for old, new in story.revisions] == [(5.7, 5.8)]  # type: ignore[union-attr]


# -- CLI: show, in every format -------------------------------------------------------


def _fields_args(fmt: str, fields: str) -> list[str]:
    return ["--format", fmt, "--fields", fields]


@pytest.mark.parametrize("fmt", MACHINE_FORMATS)
def test_show_indicator_every_format_gives_latest_vintages(invoke: Invoke, fmt: str) -> None:
    result = invoke(
        "show",
        "demo.growth",
        *_fields_args(fmt, "ref,value,qualifier,basis,published"),
        *DATA,
        env=WIDE,
    )
    assert result.exit_code == 0, result.stderr
    expected = [
        {
            "ref": f"demo.growth@{s.period}",
            "value": str(s.value),
            "qualifier": s.qualifier,
            "basis": s.basis,
            "published": s.published,
        }
        for s in latest("demo.growth")
    ]
    assert parse(fmt, result.stdout) == expected


@pytest.mark.parametrize("fmt", MACHINE_FORMATS)
def test_show_all_vintages_every_format_names_the_superseding_vintage(
    invoke: Invoke, fmt: str
) -> None:
    fields = "ref,value,basis,published,superseded_by,corroborated_by"
    result = invoke("show", "demo.growth", "--all-vintages", *_fields_args(fmt, fields), *DATA)
    assert result.exit_code == 0, result.stderr
    rows = parse(fmt, result.stdout)
    assert [(r["ref"], r["value"], r["published"]) for r in rows] == [
        (f"demo.growth@{s.period}", str(s.value), s.published)
        for s in sorted(
            (s for s in PACK if s.id == "demo.growth"), key=lambda s: (s.period, s.published)
        )
    ]
    projection = rows[1]
    assert projection["basis"] == "projected"
    assert projection["superseded_by"] == entry("demo.growth", "2024").published == "2025-01-21"
    assert [r["superseded_by"] for r in rows if r is not projection] == ["", "", ""]
    assert rows[-1]["corroborated_by"] == "example-wire-2026-01-22"


@pytest.mark.parametrize("fmt", MACHINE_FORMATS)
def test_show_as_of_every_format_shows_the_projection_and_no_2025(invoke: Invoke, fmt: str) -> None:
    fields = "ref,value,qualifier,basis,published"
    result = invoke(
        "show", "demo.growth", "--as-of", "2025-01-01", *_fields_args(fmt, fields), *DATA, env=WIDE
    )
    assert result.exit_code == 0, result.stderr
    assert parse(fmt, result.stdout) == [
        {
            "ref": "demo.growth@2023",
            "value": "4.6",
            "qualifier": "exact",
            "basis": "reported",
            "published": "2024-01-19",
        },
        {
            "ref": "demo.growth@2024",
            "value": "5.7",
            "qualifier": "approximately",
            "basis": "projected",
            "published": "2024-12-27",
        },
    ]


def test_show_as_of_all_vintages_does_not_leak_the_later_revision(invoke: Invoke) -> None:
    result = invoke(
        "show", "demo.growth", "--as-of", "2025-01-01", "--all-vintages", "--json", *DATA
    )
    rows = json.loads(result.stdout)
    assert [(r["ref"], r["superseded_by"]) for r in rows] == [
        ("demo.growth@2023", None),
        ("demo.growth@2024", None),
    ]


@pytest.mark.parametrize("fmt", MACHINE_FORMATS)
def test_show_repeated_period_every_format(invoke: Invoke, fmt: str) -> None:
    result = invoke(
        "show", "demo.firms", "--period", "2025", "-p", "2023",
        *_fields_args(fmt, "ref,value,qualifier"), *DATA, env=WIDE,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    # Oldest first whatever order the options come in.
    assert parse(fmt, result.stdout) == [
        {"ref": "demo.firms@2023", "value": "12000", "qualifier": "more_than"},
        {"ref": "demo.firms@2025", "value": "17600", "qualifier": "exact"},
    ]


def test_show_json_objects_carry_published_ref_superseded_by_corroborated_by(
    invoke: Invoke,
) -> None:
    for args in (("show", "demo.growth"), ("show", "demo"), ("list", "--topic", "demo")):
        rows = json.loads(invoke(*args, "--json", "--all-vintages", *DATA).stdout)
        assert rows
        for row in rows:
            assert {"published", "ref", "superseded_by", "corroborated_by"} <= set(row)
            assert row["ref"] == f"{row['id']}@{row['period']}"
            assert row["published"] == entry(row["id"], row["period"], row["published"]).published
            assert isinstance(row["corroborated_by"], list)


def test_refs_are_unique_among_latest_vintages(invoke: Invoke) -> None:
    rows = json.loads(invoke("list", "--topic", "demo", "--json", *DATA).stdout)
    refs = [r["ref"] for r in rows]
    assert len(refs) == len(set(refs)) == len({(s.id, s.period) for s in PACK})


def test_show_ref_and_all_vintages_of_one_period(invoke: Invoke) -> None:
    one = json.loads(invoke("show", "demo.growth@2024", "--json", *DATA).stdout)
    assert [(r["value"], r["published"]) for r in one] == [(5.8, "2025-01-21")]
    both = json.loads(invoke("show", "demo.growth@2024", "--all-vintages", "--json", *DATA).stdout)
    assert [(r["value"], r["superseded_by"]) for r in both] == [(5.7, "2025-01-21"), (5.8, None)]


def test_show_card_history_revisions_and_chart(invoke: Invoke) -> None:
    out = invoke("show", "demo.growth", *DATA, env=WIDE).stdout
    card, _, rest = out.partition("History")
    assert "5.9%" in card and "2026-01-21" in card and "4.6%" not in card
    assert "Example Wire (fictional), 2026-01-22" in card  # the second outlet, by name
    history, _, revisions = rest.partition("Revisions")
    lines = [line for line in history.splitlines() if line[:4] in ("2023", "2024", "2025")]
    assert [line[:4] for line in lines] == ["2023", "2024", "2025"]
    assert "+1.2 percentage points" in lines[1] and "+0.1 percentage points" in lines[2]
    assert "(+1)" in lines[2]  # corroborated by one more outlet
    (revision,) = [line for line in revisions.splitlines() if line.startswith("2024")]
    assert revision.split()[:3] == ["2024", "about", "5.7%"]
    assert "2024-12-27" in revision and "5.8%" in revision and "2025-01-21" in revision
    assert "demo.growth@2025" in revisions  # the chart of three periods


def test_show_counts_table_carries_bounds_and_growth(invoke: Invoke) -> None:
    out = invoke("show", "demo.firms", *DATA, env=WIDE).stdout
    history = out.partition("History")[2]
    row24 = next(line for line in history.splitlines() if line.startswith("2024"))
    row25 = next(line for line in history.splitlines() if line.startswith("2025"))
    assert "not determined" in row24
    # 17,600 - more than 14,000 = less than 3,600; 17600/14000 - 1 = 25.7%.
    assert "less than +3,600 enterprises" in row25 and "< +25.7% growth" in row25


def test_show_as_of_table_card_is_the_projection_without_revisions(invoke: Invoke) -> None:
    out = invoke("show", "demo.growth", "--as-of", "2025-01-01", *DATA, env=WIDE).stdout
    assert "about 5.7% (projected)" in out.partition("History")[0]
    assert "2025" not in out.replace("2025-01-01", "")  # nothing published after the date
    assert "Revisions" not in out
    assert "about +1.1 percentage points" in out


def test_show_topic_puts_each_indicator_beside_its_previous_period(invoke: Invoke) -> None:
    rows = json.loads(invoke("show", "demo", "--json", *DATA).stdout)
    assert [r["ref"] for r in rows if r["id"] == "demo.growth"] == [
        f"demo.growth@{s.period}" for s in latest("demo.growth")
    ]
    out = invoke("show", "demo", *DATA, env=WIDE).stdout
    growth = next(line for line in out.splitlines() if line.startswith("demo.growth"))
    assert "5.9%" in growth and "+0.1 percentage points" in growth
    assert "from 5.8% (2024)" in out


def test_ordering_is_oldest_period_first_whatever_the_load_order(
    invoke: Invoke, tmp_path: Path
) -> None:
    # Load the newest pack first.
    for i, path in enumerate(sorted(EXAMPLES.glob("*.json"), reverse=True)):
        shutil.copy(path, tmp_path / f"{i}-{path.name}")
    rows = json.loads(
        invoke(
            "list", "--topic", "demo", "--all-vintages", "--json", "--data", str(tmp_path)
        ).stdout
    )
    for fact_id in ("demo.growth", "demo.firms"):
        mine = [(r["period"], r["published"]) for r in rows if r["id"] == fact_id]
        assert mine == sorted(mine)
    registry = miitfacts.load([tmp_path], use_env=False)
    assert [f.period for f in registry.series("demo.growth")] == ["2023", "2024", "2025"]


def test_a_year_matches_its_dates_and_dates_order_by_end(invoke: Invoke, tmp_path: Path) -> None:
    # A mid-year stock (published in July) and the year-end figure (published in January).
    folder = write_packs(
        tmp_path / "packs",
        one_source_pack(
            _source("mid-2024", "2024-07-10"),
            _firms(period="2024-06-30", value=13000, stated="超1.3万家"),
        ),
        one_source_pack(
            _source("end-2024", "2025-01-10"),
            _firms(period="2024", value=14000, stated="超1.4万家"),
            topics=False,
        ),
    )
    rows = json.loads(
        invoke("show", "demo.firms", "--period", "2024", "--json", "--data", str(folder)).stdout
    )
    assert [(r["period"], r["value"]) for r in rows] == [("2024-06-30", 13000), ("2024", 14000)]
    exact = json.loads(
        invoke(
            "show", "demo.firms", "--period", "2024-06-30", "--json", "--data", str(folder)
        ).stdout
    )
    assert [r["period"] for r in exact] == ["2024-06-30"]


def test_a_year_end_date_then_the_year_is_a_revision(tmp_path: Path) -> None:
    folder = write_packs(
        tmp_path / "packs",
        one_source_pack(
            _source("early", "2025-01-05"),
            _firms(period="2024-12-31", value=13900, stated="超1.39万家"),
        ),
        one_source_pack(
            _source("later", "2025-01-21"),
            _firms(period="2024", value=14000, stated="超1.4万家"),
            topics=False,
        ),
    )
    registry = miitfacts.load([folder], use_env=False)
    old, new = registry.history("demo.firms")
    assert (old.period, new.period) == ("2024-12-31", "2024")
    assert registry.superseded_by(old) is new
    assert [f.period for f in registry.series("demo.firms")] == ["2024"]


def test_same_figure_in_two_packs_on_one_date_corroborates(tmp_path: Path) -> None:
    folder = write_packs(
        tmp_path / "packs",
        one_source_pack(_source("outlet-a", "2024-01-19"), _growth()),
        one_source_pack(_source("outlet-b", "2024-01-19"), _growth(), topics=False),
    )
    registry = miitfacts.load([folder], use_env=False)
    (only,) = registry.history("demo.growth")
    assert (only.source, only.corroborated_by) == ("outlet-a", ("outlet-b",))


def test_search_as_of_does_not_leak_later_values(invoke: Invoke) -> None:
    rows = json.loads(invoke("search", "demo", "--as-of", "2025-01-01", "--json", *DATA).stdout)
    demo = {(r["ref"], r["value"]) for r in rows if r["topic"] == "demo"}
    assert demo == {
        ("demo.growth@2023", 4.6),
        ("demo.growth@2024", 5.7),
        ("demo.firms@2023", 12000),
    }


# -- CLI: compare ---------------------------------------------------------------------


COMPARE_FIELDS = "a,b,a_period,b_period,difference,qualifier,growth,basis"


@pytest.mark.parametrize("fmt", MACHINE_FORMATS)
def test_compare_percent_indicator_every_format(invoke: Invoke, fmt: str) -> None:
    args = ["--format", fmt] if fmt in MACHINE_FORMATS else ["--fields", COMPARE_FIELDS]
    result = invoke("compare", "demo.growth", *args, *DATA, env=WIDE)
    assert result.exit_code == 0, result.stderr
    rows = parse(fmt, result.stdout)
    g23, g24, g25 = latest("demo.growth")
    assert [(r["a"], r["b"], r["a_period"], r["b_period"]) for r in rows] == [
        ("demo.growth@2024", "demo.growth@2023", "2024", "2023"),
        ("demo.growth@2025", "demo.growth@2024", "2025", "2024"),
    ]
    assert [r["difference"] for r in rows] == [points(g24, g23), points(g25, g24)] == ["1.2", "0.1"]
    assert {(r["qualifier"], r["growth"], r["basis"]) for r in rows} == {("exact", "", "reported")}
    if fmt in MACHINE_FORMATS:
        assert {r["difference_unit"] for r in rows} == {"percentage_points"}


@pytest.mark.parametrize("fmt", MACHINE_FORMATS)
def test_compare_count_indicator_every_format_carries_bounds(invoke: Invoke, fmt: str) -> None:
    args = ["--format", fmt] if fmt in MACHINE_FORMATS else ["--fields", COMPARE_FIELDS]
    result = invoke("compare", "demo.firms", *args, *DATA, env=WIDE)
    assert result.exit_code == 0, result.stderr
    first, second = parse(fmt, result.stdout)
    assert (first["difference"], first["qualifier"], first["growth"]) == ("", "indeterminate", "")
    # (17600 / 14000 - 1) * 100 = 25.714285...: rounded to four places.
    assert (second["difference"], second["qualifier"]) == ("3600", "less_than")
    assert second["growth"] == f"{round((17600 / 14000 - 1) * 100, 4)}"


def test_compare_indicator_table_says_the_pair_is_indeterminate(invoke: Invoke) -> None:
    result = invoke("compare", "demo.firms", *DATA, env=WIDE)
    out = " ".join(result.stdout.split())
    assert "demo.firms@2024 and demo.firms@2023 are both bounds in the same direction" in out
    assert "not determined" in out
    assert "less than +3,600 enterprises" in out and "less than 1.26×" in out


@pytest.mark.parametrize("fmt", MACHINE_FORMATS)
def test_compare_as_of_carries_projected_basis_every_format(invoke: Invoke, fmt: str) -> None:
    args = ["--format", fmt] if fmt in MACHINE_FORMATS else ["--fields", COMPARE_FIELDS]
    result = invoke("compare", "demo.growth", "--as-of", "2025-01-01", *args, *DATA, env=WIDE)
    assert result.exit_code == 0, result.stderr
    (row,) = parse(fmt, result.stdout)
    projection, reported = entry("demo.growth", "2024", "2024-12-27"), entry("demo.growth", "2023")
    assert (row["a"], row["b"]) == ("demo.growth@2024", "demo.growth@2023")
    assert (row["difference"], row["qualifier"], row["basis"]) == (
        points(projection, reported),  # 5.7 - 4.6 = 1.1
        "approximately",
        "projected",
    )


def test_compare_json_document_and_notes(invoke: Invoke) -> None:
    doc = json.loads(
        invoke("compare", "demo.growth", "--as-of", "2025-01-01", "--json", *DATA).stdout
    )
    assert set(doc) == {"facts", "comparisons", "notes"}
    assert [f["ref"] for f in doc["facts"]] == ["demo.growth@2023", "demo.growth@2024"]
    notes = " ".join(doc["notes"])
    assert "rests on a projected figure" in notes
    assert "different sources" in notes and "Example News (fictional), 2024-12-27" in notes
    assert "a December projection for the whole year" in notes  # the scope note


@pytest.mark.parametrize(
    ("first", "second", "difference"),
    [("2024", "2023", "1.2"), ("2023", "2024", "-1.2"), ("2025", "2023", "1.3")],
)
def test_compare_two_refs(invoke: Invoke, first: str, second: str, difference: str) -> None:
    result = invoke(
        "compare", f"demo.growth@{first}", f"demo.growth@{second}", "--format", "csv", *DATA
    )
    assert result.exit_code == 0, result.stderr
    (row,) = parse("csv", result.stdout)
    assert (row["a_period"], row["b_period"]) == (first, second)
    # a - b, from the pack: e.g. 5.9 - 4.6 = 1.3 points.
    assert (
        row["difference"]
        == points(entry("demo.growth", first), entry("demo.growth", second))
        == difference
    )
    assert row["difference_unit"] == "percentage_points"


def test_compare_two_refs_of_counts_and_two_lower_bounds(invoke: Invoke) -> None:
    doc = json.loads(
        invoke("compare", "demo.firms@2024", "demo.firms@2023", "--json", *DATA).stdout
    )
    (row,) = doc["comparisons"]
    assert (row["difference"], row["qualifier"], row["ratio_qualifier"]) == (
        None,
        "indeterminate",
        "indeterminate",
    )
    assert any("both bounds in the same direction" in n for n in doc["notes"])
    doc = json.loads(
        invoke("compare", "demo.firms@2025", "demo.firms@2023", "--json", *DATA).stdout
    )
    (row,) = doc["comparisons"]
    # 17,600 vs more than 12,000: less than 5,600 more.
    assert (row["difference"], row["qualifier"]) == (5600, "less_than")


def test_compare_refs_of_different_units_never_subtracts(invoke: Invoke) -> None:
    result = invoke("compare", "demo.growth@2024", "demo.firms@2024", "--json", *DATA)
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["comparisons"] == []
    assert any("different units" in n for n in doc["notes"])


def test_compare_a_ref_with_itself_is_a_usage_error(invoke: Invoke) -> None:
    result = invoke("compare", "demo.growth@2024", "demo.growth@2024", *DATA)
    assert result.exit_code == 2 and "fewer than two figures" in result.stderr


# -- CLI: cite --------------------------------------------------------------------------


@pytest.mark.parametrize("style", ["text", "markdown", "bibtex"])
def test_cite_ref_every_style(invoke: Invoke, style: str) -> None:
    result = invoke("cite", "demo.growth@2024", "--style", style, *DATA)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    fact = entry("demo.growth", "2024")
    # BibTeX writes the percent sign as TeX reads it.
    stated = fact.stated.replace("%", "\\%") if style == "bibtex" else fact.stated
    assert stated in out and fact.published in out
    assert "5.7" not in out and "2024-12-27" not in out  # the superseded vintage
    assert "https://example.org/2025-01-21" in out
    assert ("miitfacts:demo.growth:2024" if style == "bibtex" else "demo.growth@2024") in out


@pytest.mark.parametrize("style", ["text", "markdown", "bibtex"])
def test_cite_as_of_cites_the_projection_as_projected(invoke: Invoke, style: str) -> None:
    result = invoke("cite", "demo.growth@2024", "--as-of", "2025-01-01", "--style", style, *DATA)
    assert result.exit_code == 0, result.stderr
    out = result.stdout.replace("\\%", "%")  # BibTeX escapes the percent sign
    assert "约5.7%" in out and "projected" in out
    assert "2024-12-27" in out and "5.8%" not in out


def test_cite_indicator_cites_each_period_and_period_filters(invoke: Invoke) -> None:
    out = invoke("cite", "demo.firms", *DATA).stdout
    assert [line for line in out.splitlines() if line.startswith("[miitfacts:")] == [
        f"[miitfacts: demo.firms@{s.period}]" for s in latest("demo.firms")
    ]
    one = invoke("cite", "demo.firms", "--period", "2025", *DATA).stdout
    assert "1.76万家" in one and "超1.2万家" not in one


def test_cite_unknown_period_is_exit_1_offering_the_refs(invoke: Invoke) -> None:
    result = invoke("cite", "demo.growth@2025", "--as-of", "2025-06-30", *DATA)
    assert result.exit_code == 1 and result.stdout == ""
    assert "demo.growth@2023" in result.stderr and "demo.growth@2024" in result.stderr


# -- CLI: bad arguments -------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("--period", "2024-11"),
        ("--period", "2025-02-30"),
        ("--period", "2030-2026"),
        ("--period", "20241231"),
        ("--period", ""),
        ("--as-of", "2025-13-01"),
        ("--as-of", "2025-1-1"),
        ("--as-of", "yesterday"),
    ],
)
def test_bad_period_or_date_is_a_usage_error(invoke: Invoke, args: tuple[str, str]) -> None:
    for command in (("show", "demo.growth"), ("compare", "demo.growth"), ("cite", "demo.growth")):
        result = invoke(*command, *args, *DATA)
        assert result.exit_code == 2, (command, args, result.stdout)
        assert result.stdout == "" and args[0] in result.stderr
        assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "target", ["demo.growth@nope", "demo.growth@2026", "demo.growth@2024-06-30", "demo.growth@"]
)
def test_unknown_observation_is_exit_1_listing_the_periods(invoke: Invoke, target: str) -> None:
    result = invoke("show", target, *DATA)
    assert result.exit_code == 1 and result.stdout == ""
    assert "did you mean demo.growth@2023 or demo.growth@2024 or demo.growth@2025" in result.stderr


def test_period_with_no_observation_is_exit_1(invoke: Invoke) -> None:
    result = invoke("show", "demo.growth", "--period", "2026-2030", *DATA)
    assert result.exit_code == 1 and result.stdout == ""
    assert "2023" in result.stderr and "2025" in result.stderr


@pytest.mark.parametrize("option", ["--period", "--as-of"])
def test_iso_week_dates_are_not_yyyy_mm_dd(invoke: Invoke, option: str) -> None:
    result = invoke("show", "demo.growth", option, "2025-W01-1", *DATA)
    assert result.exit_code == 2, result.stdout


def test_as_of_before_publication_says_nothing_was_published_yet(invoke: Invoke) -> None:
    result = invoke("show", "demo.growth", "--as-of", "1990-01-01", *DATA)
    assert result.exit_code == 1
    assert "1990-01-01" in result.stderr  # "demo.growth: nothing published by 1990-01-01"


def test_period_option_is_not_ignored_for_a_ref(invoke: Invoke) -> None:
    result = invoke("show", "demo.growth@2024", "--period", "2023", "--json", *DATA)
    # Either nothing matches (exit 1) or the conflict is a usage error (exit 2).
    assert result.exit_code in (1, 2), result.stdout


# -- bad packs in the new shape ---------------------------------------------------------------


def _dumps(pack: dict[str, Any]) -> str:
    return json.dumps(pack, ensure_ascii=False)


BASE = one_source_pack(_source("outlet-a", "2024-01-19"), _growth())
BAD_PACKS: dict[str, tuple[list[dict[str, Any] | str], list[str]]] = {
    # name: (packs written as p0.json, p1.json..., what stderr must name)
    "unit across packs": (
        [
            BASE,
            one_source_pack(
                _source("outlet-b", "2025-01-21"),
                _growth(period="2024", unit="enterprises"),
                topics=False,
            ),
        ],
        ["p1.json:facts[0].unit", "p0.json:facts[0]", "'enterprises'", "'percent'"],
    ),
    "kind across packs": (
        [
            BASE,
            one_source_pack(
                _source("outlet-b", "2025-01-21"),
                {
                    "id": "demo.growth",
                    "topic": "demo",
                    "kind": "statement",
                    "label": "x",
                    "label_zh": "x",
                    "period": "2024",
                },
                topics=False,
            ),
        ],
        ["p1.json:facts[0].kind", "p0.json:facts[0]"],
    ),
    "same date different value across packs": (
        [
            BASE,
            one_source_pack(
                _source("outlet-b", "2024-01-19"), _growth(value=4.7, stated="4.7%"), topics=False
            ),
        ],
        ["p1.json:facts[0]", "p0.json:facts[0]", "demo.growth@2023", "same date"],
    ),
    "same date different value, two sources of one pack": (
        [
            {
                "format": 1,
                "sources": [_source("outlet-a", "2024-01-19"), _source("outlet-b", "2024-01-19")],
                "topics": TOPICS,
                "facts": [
                    _growth(source="outlet-a"),
                    _growth(source="outlet-b", value=4.5, stated="4.5%"),
                ],
            }
        ],
        ["p0.json:facts[1]", "disagrees"],
    ),
    "same source states an id and period twice": (
        [
            one_source_pack(
                _source("outlet-a", "2024-01-19"), _growth(), _growth(value=4.7, stated="4.7%")
            )
        ],
        ["p0.json:facts[1]", "stated twice", "outlet-a"],
    ),
    "same source states a year and its 31 December": (
        [one_source_pack(_source("outlet-a", "2024-01-19"), _firms(), _firms(period="2023-12-31"))],
        ["p0.json:facts[1]", "stated twice"],
    ),
    "period 2025-02-30": (
        [one_source_pack(_source("outlet-a", "2026-01-19"), _growth(period="2025-02-30"))],
        ["p0.json:facts[0]"],
    ),
    "period 2030-2026": (
        [one_source_pack(_source("outlet-a", "2026-01-19"), _growth(period="2030-2026"))],
        ["p0.json:facts[0]", "2030-2026"],
    ),
    "period 2024-13-01": (
        [one_source_pack(_source("outlet-a", "2026-01-19"), _growth(period="2024-13-01"))],
        ["p0.json:facts[0].period"],
    ),
    "period 2024-W01-1": (
        [one_source_pack(_source("outlet-a", "2026-01-19"), _growth(period="2024-W01-1"))],
        ["p0.json:facts[0].period"],
    ),
    "cited fact with a quote": (
        [one_source_pack(_source("outlet-a", "2024-01-19"), _growth(quote="4.6%"))],
        ["p0.json", "facts[0]", "quote"],
    ),
    "url on a secondary source": (
        [
            one_source_pack(
                _source(
                    "outlet-a", "2024-01-19", url="https://example.org/x", reliability="secondary"
                ),
                _growth(),
            )
        ],
        ["p0.json:source", "url"],
    ),
    "url without reliability": (
        [
            one_source_pack(
                _source("outlet-a", "2024-01-19", url="https://example.org/x"), _growth()
            )
        ],
        ["p0.json:source", "url"],
    ),
    "duplicate JSON key": (
        [_dumps(BASE).replace('"value": 4.6', '"value": 4.6, "value": 46')],
        ["p0.json:1:", "duplicate key 'value'"],
    ),
    "value true": (
        [one_source_pack(_source("outlet-a", "2024-01-19"), _growth(value=True))],
        ["p0.json:facts[0].value"],
    ),
    "400-digit value": (
        [_dumps(BASE).replace('"value": 4.6', '"value": 1' + "0" * 399)],
        ["p0.json:facts[0].value"],
    ),
    "NaN value": (
        [_dumps(BASE).replace('"value": 4.6', '"value": NaN')],
        ["p0.json"],
    ),
    "value as text": (
        [one_source_pack(_source("outlet-a", "2024-01-19"), _growth(value="4.6"))],
        ["p0.json:facts[0].value"],
    ),
    "fact without source in a several-source pack": (
        [
            {
                "format": 1,
                "sources": [_source("outlet-a", "2024-01-19"), _source("outlet-b", "2024-01-20")],
                "topics": TOPICS,
                "facts": [_growth()],
            }
        ],
        ["p0.json", "facts[0] must name its source"],
    ),
    "both source and sources": (
        [{**BASE, "sources": [_source("outlet-b", "2024-01-20")]}],
        ["p0.json", "either one 'source' or a list of 'sources'"],
    ),
    "corroborated by its own source": (
        [
            one_source_pack(
                _source("outlet-a", "2024-01-19"),
                _growth(source="outlet-a", corroborated_by=["outlet-a"]),
            )
        ],
        ["p0.json", "corroborated_by"],
    ),
}


@pytest.mark.parametrize("name", list(BAD_PACKS))
def test_bad_pack_is_refused_naming_file_and_place(
    invoke: Invoke, tmp_path: Path, name: str
) -> None:
    packs, expected = BAD_PACKS[name]
    folder = write_packs(tmp_path / "packs", *packs)
    result = invoke("show", "demo.growth", "--json", "--data", str(folder))
    assert result.exit_code == 2, (name, result.stdout)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert str(folder) in result.stderr
    for words in expected:
        assert words in result.stderr, (words, result.stderr)
    with pytest.raises(PackError):
        miitfacts.load([folder], use_env=False)


def test_validate_names_every_bad_pack_and_exits_2(invoke: Invoke, tmp_path: Path) -> None:
    packs, _ = BAD_PACKS["unit across packs"]
    folder = write_packs(tmp_path / "packs", *packs)
    result = invoke("validate", str(folder))
    assert result.exit_code == 2
    assert f"{folder / 'p1.json'}:facts[0].unit" in result.stderr


def test_the_example_packs_themselves_validate_and_verify(invoke: Invoke) -> None:
    assert invoke("validate", str(EXAMPLES)).exit_code == 0
    result = invoke("verify", *DATA)
    assert result.exit_code == 0, result.stderr


def test_impossible_date_error_names_the_period(invoke: Invoke, tmp_path: Path) -> None:
    folder = write_packs(
        tmp_path / "packs",
        one_source_pack(_source("outlet-a", "2026-01-19"), _growth(period="2025-02-30")),
    )
    result = invoke("show", "demo.growth", "--data", str(folder))
    assert result.exit_code == 2
    assert "facts[0].period" in result.stderr or "2025-02-30" in result.stderr


def test_corroborated_by_an_unknown_source_is_refused(tmp_path: Path) -> None:
    folder = write_packs(
        tmp_path / "packs",
        one_source_pack(
            _source("outlet-a", "2024-01-19"), _growth(corroborated_by=["no-such-outlet"])
        ),
    )
    with pytest.raises(PackError):
        miitfacts.load([folder], use_env=False)


def test_vintage_is_the_earliest_of_the_corroborating_sources(tmp_path: Path) -> None:
    # outlet-a printed the figure on the 21st, outlet-b on the 22nd; the pack names b first.
    pack = {
        "format": 1,
        "sources": [_source("outlet-a", "2026-01-21"), _source("outlet-b", "2026-01-22")],
        "topics": TOPICS,
        "facts": [
            _growth(
                period="2025",
                value=5.9,
                stated="5.9%",
                source="outlet-b",
                corroborated_by=["outlet-a"],
            )
        ],
    }
    folder = write_packs(tmp_path / "packs", pack)
    try:
        registry = miitfacts.load([folder], use_env=False)
    except PackError:
        return  # refusing the pack (name the earliest source first) is a fix too
    assert registry.fact("demo.growth@2025").published == "2026-01-21"
    # ALFRED: on the 21st the figure had been published.
    assert registry.at(dt.date(2026, 1, 21)).get_observation("demo.growth@2025") is not None


def test_skip_invalid_leaves_out_only_the_conflicting_pack(invoke: Invoke, tmp_path: Path) -> None:
    for path in EXAMPLES.glob("*.json"):
        shutil.copy(path, tmp_path / path.name)
    # A second outlet on the day of the January figure, with another value: refused.
    conflict = one_source_pack(
        _source("other-outlet", "2025-01-21"),
        _growth(period="2024", value=5.6, stated="5.6%"),
        topics=False,
    )
    (tmp_path / "zz-conflict.json").write_text(_dumps(conflict), encoding="utf-8")
    args = ("show", "demo.growth", "--json", "--data", str(tmp_path))
    refused = invoke(*args)
    assert refused.exit_code == 2 and "zz-conflict.json:facts[0]" in refused.stderr
    kept = invoke(*args, "--skip-invalid")
    assert kept.exit_code == 0
    assert "warning: skipped invalid pack" in kept.stderr and "zz-conflict.json" in kept.stderr
    rows = json.loads(kept.stdout)
    assert [(r["period"], r["value"]) for r in rows] == [
        (s.period, s.value) for s in latest("demo.growth")
    ]


@pytest.mark.parametrize("command", ["list", "search"])
def test_list_and_search_take_period_and_as_of(invoke: Invoke, command: str) -> None:
    target = ("--topic", "demo") if command == "list" else ("demo",)
    rows = json.loads(
        invoke(
            command, *target, "--period", "2024", "--as-of", "2025-01-01", "--json", *DATA
        ).stdout
    )
    demo = [(r["ref"], r["value"]) for r in rows if r["topic"] == "demo"]
    # On 2025-01-01 only the December projection of 2024 was out; firms 2024 came in January.
    assert demo == [("demo.growth@2024", 5.7)]


def test_tables_show_values_with_their_meaning(invoke: Invoke) -> None:
    # Machine formats carry raw fields (tested above); a table reads as a sentence would.
    history = invoke("show", "demo.firms", *DATA, env=WIDE).stdout
    assert "more than 12,000 enterprises" in history and "17,600 enterprises" in history
    as_of = invoke("show", "demo.growth", "--as-of", "2025-01-01", *DATA, env=WIDE).stdout
    assert "about 5.7% (projected)" in as_of and "2025" not in as_of.split("History")[-1]
    fields = invoke(
        "show", "demo.growth", "--fields", "ref,value,basis", "--all-vintages", *DATA, env=WIDE
    ).stdout
    assert "about 5.7%" in fields and "projected" in fields and "5.8%" in fields
    changes = invoke("compare", "demo.growth", *DATA, env=WIDE).stdout
    assert "+1.2 percentage points" in changes and "+0.1 percentage points" in changes
    bounds = invoke("compare", "demo.firms", *DATA, env=WIDE).stdout
    assert "not determined" in bounds and "less than +3,600 enterprises" in bounds


def test_a_bound_at_zero_has_no_sign(invoke: Invoke) -> None:
    # 2025's 17,600 against November's "more than 17,600": less than 0, not "less than +0".
    out = invoke("compare", "sme.little-giants@2025", "sme.little-giants@2025-11-17", env=WIDE)
    assert "less than 0 enterprises" in out.stdout and "+0" not in out.stdout


def test_compare_all_vintages_puts_a_revision_against_what_it_replaced(invoke: Invoke) -> None:
    out = invoke("compare", "demo.growth@2024", "--all-vintages", "--json", *DATA)
    (revision,) = json.loads(out.stdout)["comparisons"]
    assert revision["reason"] == "revision"
    assert (revision["a_published"], revision["b_published"]) == ("2025-01-21", "2024-12-27")
    assert revision["difference"] == pytest.approx(0.1) and revision["basis"] == "projected"
    table = invoke("compare", "demo.growth@2024", "--all-vintages", *DATA, env=WIDE).stdout
    assert "demo.growth@2024 (2025-01-21)" in table and "vs demo.growth@2024 (2024-12-27)" in table


def test_periods_left_out_make_an_earlier_period_not_the_previous_one(invoke: Invoke) -> None:
    out = invoke("compare", "demo.firms", "-p", "2023", "-p", "2025", "--json", *DATA)
    (pair,) = json.loads(out.stdout)["comparisons"]
    assert (pair["a_period"], pair["b_period"], pair["reason"]) == (
        "2025",
        "2023",
        "earlier period",
    )


def test_search_all_vintages_follows_each_hit_with_what_it_superseded(invoke: Invoke) -> None:
    out = invoke("search", "growth", "--all-vintages", "--period", "2024", "--json", *DATA).stdout
    rows = [(r["ref"], r["value"], r["superseded_by"]) for r in json.loads(out)]
    assert rows[:2] == [("demo.growth@2024", 5.8, None), ("demo.growth@2024", 5.7, "2025-01-21")]
