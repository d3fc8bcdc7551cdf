"""Bench runs before and after a change, side by side, as a Markdown table.

    .venv/bin/python tests/bench/compare.py --before A1.json A2.json --after B1.json B2.json [--scale 1m]

Each file is a run's ``results/<date>.json`` (``run.py`` writes it); give one run or more per side. Run them
back to back as ABBA (before, after, after, before), so that a drift of the machine falls on both sides. For
every query and connection count it prints the app's requests per second in each run, the app's share of the
raw baseline (app/raw, which the machine's load moves less than req/s) and the app's median latency, each
side's mean and the after/before ratio of the means; then the CSV export's rows per second and the SQL
queries per request.
"""

import argparse
import json
from pathlib import Path
from statistics import mean


def runs(values: list[float], form: str) -> str:
    return ", ".join(format(value, form) for value in values)


def ratio(before: list[float], after: list[float]) -> str:
    return f"{mean(after) / mean(before):.2f}"


def query_line(name: str, connections: str, before: list[dict], after: list[dict]) -> str:
    figures = {
        "req/s": lambda run: run["app"]["rps"],
        "app/raw": lambda run: run["app"]["rps"] / run["raw"]["rps"],
        "p50": lambda run: run["app"]["p50_ms"],
    }
    cells = []
    for figure, form in zip(figures.values(), (".1f", ".2f", ".1f"), strict=True):
        old, new = [figure(run) for run in before], [figure(run) for run in after]
        cells += [runs(old, form), runs(new, form), ratio(old, new)]
    return f"| {name} | {connections} | " + " | ".join(cells) + " |"


def rows(before: list[dict], after: list[dict]) -> list[str]:
    lines = [
        "| Query | conn | app req/s before | app req/s after | after/before | app/raw before | app/raw after "
        "| after/before | app p50 ms before | app p50 ms after | after/before |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, by_connections in before[0]["queries"].items():
        for connections in by_connections:
            lines.append(
                query_line(
                    name,
                    connections,
                    [run["queries"][name][connections] for run in before],
                    [run["queries"][name][connections] for run in after],
                )
            )
    old_csv, new_csv = ([run["csv_export"]["app"]["rows_per_s"] for run in side] for side in (before, after))
    lines.append(
        f"| CSV export, rows/s | 1 | {runs(old_csv, ',.0f')} | {runs(new_csv, ',.0f')} | {ratio(old_csv, new_csv)} "
        "| | | | | | |"
    )
    queries = [
        f"{name} {count['queries']}→{after[0]['sql_queries'][name]['queries']}"
        for name, count in before[0]["sql_queries"].items()
    ]
    return [*lines, "", "SQL queries per request, before→after: " + ", ".join(queries) + "."]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", type=Path, nargs="+", required=True)
    parser.add_argument("--after", type=Path, nargs="+", required=True)
    parser.add_argument("--scale", default="1m")
    args = parser.parse_args()
    before, after = (
        [json.loads(path.read_text())["scales"][args.scale] for path in paths] for paths in (args.before, args.after)
    )
    print("\n".join(rows(before, after)))


if __name__ == "__main__":
    main()
