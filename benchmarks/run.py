"""Benchmarks: start-up against the unavoidable floor, and cost as packs grow.

    python benchmarks/run.py            # everything (generates packs on first use)
    python benchmarks/run.py --runs 5 --sizes 1000,10000

Every figure is the median of several runs, taken in interleaved rounds so
that a noisy machine slows every command alike; ratios compare commands of the
same round. Commands run in this interpreter's environment, with a private
cache folder that is warmed first (what a user meets from the second call on);
the cold figures (cache off) are printed too.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
FLOOR = [sys.executable, "-c", "import typer, pydantic; from pydantic import BaseModel"]
TYPER_REFERENCE = [sys.executable, str(HERE / "typer_reference.py"), "show", "6g", "--json"]


def miitfacts(*args: str) -> list[str]:
    script = BIN / "miitfacts"
    return [str(script), *args] if script.exists() else [sys.executable, "-m", "miitfacts", *args]


def run_child(command: list[str], env: dict[str, str]) -> tuple[float, Any]:
    """Wall seconds and the resource usage of one run (output discarded); a failure stops."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    assert process.stderr is not None
    error = process.stderr.read().decode("utf-8", "replace")
    process.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"benchmark command failed ({code}): {' '.join(command)}\n{error}")
    return elapsed, usage


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak resident MiB of one run."""
    elapsed, usage = run_child(command, env)
    return elapsed, usage.ru_maxrss / 1024


def measure(
    commands: dict[str, list[str]], env: dict[str, str], runs: int
) -> dict[str, tuple[float, float]]:
    """Median wall time and median peak memory of each command, in interleaved rounds."""
    return medians({name: (c, env) for name, c in commands.items()}, runs, run_once)


Measure = Callable[[list[str], dict[str, str]], tuple[float, float]]


def medians(
    commands: dict[str, tuple[list[str], dict[str, str]]], runs: int, run: Measure
) -> dict[str, tuple[float, float]]:
    """The median of each of the two figures ``run`` gives, per command, in
    interleaved rounds (after one warm-up run each: caches, page cache)."""
    firsts: dict[str, list[float]] = {name: [] for name in commands}
    seconds: dict[str, list[float]] = {name: [] for name in commands}
    for command, env in commands.values():
        run(command, env)
    for _ in range(runs):
        for name, (command, env) in commands.items():
            first, second = run(command, env)
            firsts[name].append(first)
            seconds[name].append(second)
    return {n: (statistics.median(firsts[n]), statistics.median(seconds[n])) for n in commands}


def verdict(ok: bool) -> str:
    return "meets" if ok else "MISSES"


def startup(env: dict[str, str], runs: int) -> dict[str, float]:
    results = measure(
        {
            "floor": FLOOR,
            "typer reference": TYPER_REFERENCE,
            "show 6g --json": miitfacts("show", "6g", "--json"),
            "show 6g (table)": miitfacts("show", "6g"),
        },
        env,
        runs,
    )
    floor = results["floor"][0]
    print(f"\nStart-up (median of {runs}; floor = {' '.join(FLOOR[1:])!r})")
    print(f"  {'command':<22} {'seconds':>8} {'x floor':>8}")
    for name, (seconds, _) in results.items():
        print(f"  {name:<22} {seconds:8.3f} {seconds / floor:8.2f}")
    json_ratio = results["show 6g --json"][0] / floor
    table_ratio = results["show 6g (table)"][0] / floor
    reference = results["typer reference"][0]
    print(f"  target show --json <= 1.3x floor: {json_ratio:.2f}x, {verdict(json_ratio <= 1.3)}")
    print(f"  target show table  <= 1.6x floor: {table_ratio:.2f}x, {verdict(table_ratio <= 1.6)}")
    json_seconds, table_seconds = results["show 6g --json"][0], results["show 6g (table)"][0]
    print(
        "  against a bare Typer app with the same options (typer_reference.py): "
        f"--json {json_seconds / reference:.2f}x, table {table_seconds / reference:.2f}x"
    )
    print(
        f"  target show --json <= 1.05x Typer app: {json_seconds / reference:.2f}x, "
        f"{verdict(json_seconds / reference <= 1.05)}"
    )
    print(
        f"  target show table  <= 1.15x Typer app: {table_seconds / reference:.2f}x, "
        f"{verdict(table_seconds / reference <= 1.15)}"
    )
    return {"json_ratio": json_ratio, "table_ratio": table_ratio}


def ensure_pack(size: int) -> Path:
    folder = HERE / "out" / str(size)
    if not (folder / "pack.json").exists():
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), str(size), str(folder)], check=True
        )
    return folder / "pack.json"


def scale(sizes: list[int], env: dict[str, str], runs: int) -> None:
    jq = shutil.which("jq")
    print(f"\nScale (median of {runs}; generated packs through MIITFACTS_DATA; peak RSS)")
    columns = ("facts", "command", "seconds", "MiB", "jq s", "x jq", "cold s")
    print("  {:>7}  {:<10} {:>8} {:>7} {:>7} {:>6} {:>7}".format(*columns))
    previous: dict[str, float] = {}
    previous_size = 0
    for size in sizes:
        pack = ensure_pack(size)
        facts = json.loads(pack.read_bytes())["facts"]
        probe = facts[size // 2]
        phrase = probe["label_zh"][:6]
        scaled_env = {**env, "MIITFACTS_DATA": str(pack.parent)}
        ours = {
            "search": miitfacts("search", phrase, "--json"),
            "list": miitfacts("list", "--topic", probe["topic"], "--json"),
            "show": miitfacts("show", probe["id"], "--json"),
        }
        references = {
            "search": [
                jq or "jq",
                f"[.facts[] | select(.label_zh | contains({json.dumps(phrase)}))]",
                str(pack),
            ],
            "list": [
                jq or "jq",
                f"[.facts[] | select(.topic == {json.dumps(probe['topic'])})]",
                str(pack),
            ],
            "show": [
                jq or "jq",
                f"[.facts[] | select(.id == {json.dumps(probe['id'])})]",
                str(pack),
            ],
        }
        results = measure(ours, scaled_env, runs)
        reference = measure(references, env, runs) if jq else {}
        cold = measure(ours, {**scaled_env, "MIITFACTS_CACHE": "off"}, max(1, runs // 3))
        for name, (seconds, peak) in results.items():
            jq_seconds = reference.get(name, (float("nan"), 0.0))[0]
            print(
                f"  {size:>7}  {name:<10} {seconds:8.3f} {peak:7.0f} {jq_seconds:7.3f} "
                f"{seconds / jq_seconds:6.2f} {cold[name][0]:7.3f}"
            )
            if size == max(sizes) and name in ("search", "show") and jq:
                # Issue 15: search no slower than jq, show ID at most half as long.
                bound = 0.5 if name == "show" else 1.0
                ok = seconds <= bound * jq_seconds and peak < 500
                print(f"           target {name} <= {bound}x jq and < 500 MiB: {verdict(ok)}")
            if name in previous:
                growth = seconds / previous[name]
                print(f"           x{size // previous_size} facts -> x{growth:.2f} time")
            previous[name] = seconds
        previous_size = size


# Queries of the search benchmark: (name, query, the jq selection that finds the same
# facts). {phrase} and {word} come from the generated pack, {value} from a figure.
SEARCH_QUERIES = (
    ("chinese phrase", "{phrase}", "select(.label_zh | contains({phrase_json}))"),
    ("english word", "{word}", "select(.label | contains({word_json}))"),
    ("number", "{value}", "select(.value == {value})"),
    (
        "question",
        "how many {word} {phrase}",
        "select((.label | contains({word_json})) or (.label_zh | contains({phrase_json})))",
    ),
)
LENGTHS = (16, 64, 256)
# Search alone, in one process: CPU seconds (time.process_time), which other work on a
# busy machine does not inflate as it does wall time.
_IN_PROCESS = """
import json, statistics, sys, time
clock = time.process_time
start = clock()
import miitfacts
from miitfacts.search import search
registry = miitfacts.load()
loaded = clock()
search(registry, "warm")
opened = clock()
result = {"(load packs)": loaded - start, "(open index)": opened - loaded}
for query in json.loads(sys.argv[1]):
    times = []
    for _ in range(int(sys.argv[2])):
        begin = clock()
        search(registry, query, limit=10)
        times.append(clock() - begin)
    result[query] = statistics.median(times)
print(json.dumps(result))
"""


def run_cpu(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one run of a command."""
    elapsed, usage = run_child(command, env)
    return elapsed, usage.ru_utime + usage.ru_stime


def measure_cpu(
    commands: dict[str, tuple[list[str], dict[str, str]]], runs: int
) -> dict[str, tuple[float, float]]:
    """Median wall and CPU seconds of each command, in interleaved rounds."""
    return medians(commands, runs, run_cpu)


def search_benchmark(size: int, env: dict[str, str], runs: int) -> None:
    """search against jq on several kinds of query, and search time against query length."""
    jq = shutil.which("jq") or "jq"
    pack = ensure_pack(size)
    facts = json.loads(pack.read_bytes())["facts"]
    probe = facts[size // 2]
    figure = next(f for f in facts[size // 3 :] if f.get("value") is not None)
    fields = {
        "phrase": probe["label_zh"][:6],
        "word": probe["label"].split()[-1],  # lower case: only a label's first word is not
        "value": str(figure["value"]),
    }
    fields["phrase_json"] = json.dumps(fields["phrase"])
    fields["word_json"] = json.dumps(fields["word"])
    scaled_env = {**env, "MIITFACTS_DATA": str(pack.parent)}
    commands: dict[str, tuple[list[str], dict[str, str]]] = {}
    for name, query, selection in SEARCH_QUERIES:
        commands[name] = (miitfacts("search", query.format(**fields), "--json"), scaled_env)
        jq_filter = f"[.facts[] | {selection.format(**fields)}]"
        commands[f"jq {name}"] = ([jq, jq_filter, str(pack)], env)
    # Loading the packs, which every command pays: search's own cost is the rest.
    commands["show ID"] = (miitfacts("show", probe["id"], "--json"), scaled_env)
    commands["jq show ID"] = (
        [jq, f"[.facts[] | select(.id == {json.dumps(probe['id'])})]", str(pack)],
        env,
    )
    results = measure_cpu(commands, runs)
    print(f"\nSearch at {size:,} facts (median of {runs}, interleaved; cache warm)")
    print("  wall: elapsed seconds; cpu: user + system seconds (steadier on a busy machine)")
    header = ("query", "wall s", "jq wall", "x jq", "cpu s", "jq cpu", "x jq")
    print("  {:<15} {:>7} {:>8} {:>6} {:>7} {:>8} {:>6}".format(*header))
    worst_wall = worst_cpu = 0.0
    for name in [n for n in commands if not n.startswith("jq ")]:
        (wall, cpu), (jq_wall, jq_cpu) = results[name], results[f"jq {name}"]
        print(
            f"  {name:<15} {wall:7.3f} {jq_wall:8.3f} {wall / jq_wall:6.2f} "
            f"{cpu:7.3f} {jq_cpu:8.3f} {cpu / jq_cpu:6.2f}"
        )
        if name != "show ID":
            worst_wall = max(worst_wall, wall / jq_wall)
            worst_cpu = max(worst_cpu, cpu / jq_cpu)
    print(
        f"  target search <= 1x jq: worst {worst_wall:.2f}x wall, {worst_cpu:.2f}x cpu, "
        f"{verdict(min(worst_wall, worst_cpu) <= 1.0)}"
    )

    # Search alone, against the query's length: Chinese of the corpus and English words.
    chinese = "".join(f["label_zh"] for f in facts[:50])
    english = " ".join(f["label"].lower() for f in facts[:50])
    queries = [text[:length] for text in (chinese, english) for length in LENGTHS]
    queries += [fields["phrase"], fields["word"], fields["value"]]
    command = [sys.executable, "-c", _IN_PROCESS, json.dumps(queries), str(max(runs, 5))]
    timed = json.loads(
        subprocess.run(command, env=scaled_env, capture_output=True, check=True).stdout
    )
    print("\n  in one process (cpu seconds): load the packs, open the search index, then a search")
    print(f"  {'load packs':<24} {timed['(load packs)']:8.4f}")
    print(f"  {'open index':<24} {timed['(open index)']:8.4f}")
    for name, key in (("chinese phrase", "phrase"), ("english word", "word"), ("number", "value")):
        print(f"  {name:<24} {timed[fields[key]]:8.4f}")
    for n, query in enumerate(queries[: 2 * len(LENGTHS)]):
        script = "chinese" if n < len(LENGTHS) else "english"
        print(f"  {script + ', ' + str(len(query)) + ' chars':<24} {timed[query]:8.4f}")
    for start in (0, len(LENGTHS)):
        short, long = timed[queries[start]], timed[queries[start + len(LENGTHS) - 1]]
        ratio = LENGTHS[-1] / LENGTHS[0]
        print(
            f"  x{ratio:.0f} length -> x{long / short:.1f} search time "
            f"({'no worse than' if long / short <= ratio else 'WORSE than'} linear)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=11, help="runs per command (median is quoted)")
    parser.add_argument(
        "--sizes", default="1000,10000,100000", help="pack sizes for the scale benchmark"
    )
    parser.add_argument("--skip-scale", action="store_true", help="start-up only")
    parser.add_argument("--skip-startup", action="store_true", help="no start-up figures")
    parser.add_argument(
        "--search-only", action="store_true", help="only the search benchmark (largest size)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="miitfacts-bench-") as cache:
        env = {**os.environ, "MIITFACTS_CACHE": cache, "MIITFACTS_DATA": ""}
        env.pop("NO_COLOR", None)
        # As installed for a user: modules compiled once, then loaded from bytecode.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        print(f"python {sys.version.split()[0]} on {os.uname().machine}, {os.cpu_count()} cores")
        sizes = [int(s) for s in args.sizes.split(",")]
        if args.search_only:
            search_benchmark(max(sizes), env, args.runs)
            return
        if not args.skip_startup:
            startup(env, args.runs)
        if not args.skip_scale:
            scale(sizes, env, args.runs)
            search_benchmark(max(sizes), env, args.runs)


if __name__ == "__main__":
    main()
