"""Two bench runs side by side, as a Markdown table: the app's figures before and after a change.

    .venv/bin/python tests/bench/compare.py BEFORE.json AFTER.json [--scale 1m]

Each file is a run's ``results/<date>.json`` (``run.py`` writes it). For every query and connection count
it prints the app's requests per second in both runs and their change, the app's share of the raw baseline
(app/raw, which the machine's load moves less than req/s), and the app's median latency; then the CSV
export's rows per second and the SQL queries per request.
"""

import argparse
import json
from pathlib import Path


def change(before: float, after: float) -> str:
    return f"{(after / before - 1) * 100:+.1f} %" if before else "—"


def rows(before: dict, after: dict) -> list[str]:
    lines = [
        "| Query | conn | app req/s before | app req/s after | change | app/raw before | app/raw after "
        "| app p50 ms before | app p50 ms after |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, by_connections in before["queries"].items():
        for connections, old in by_connections.items():
            new = after["queries"].get(name, {}).get(connections)
            if new is None:
                continue
            ratios = [run["app"]["rps"] / run["raw"]["rps"] for run in (old, new)]
            lines.append(
                f"| {name} | {connections} | {old['app']['rps']:.1f} | {new['app']['rps']:.1f} "
                f"| {change(old['app']['rps'], new['app']['rps'])} | {ratios[0]:.2f} | {ratios[1]:.2f} "
                f"| {old['app']['p50_ms']:.1f} | {new['app']['p50_ms']:.1f} |"
            )
    old_csv, new_csv = before["csv_export"]["app"]["rows_per_s"], after["csv_export"]["app"]["rows_per_s"]
    lines.append(f"| CSV export, rows/s | 1 | {old_csv:,.0f} | {new_csv:,.0f} | {change(old_csv, new_csv)} | | | | |")
    queries = [
        f"{name} {count['queries']}→{after['sql_queries'].get(name, {}).get('queries')}"
        for name, count in before["sql_queries"].items()
    ]
    return [*lines, "", "SQL queries per request, before→after: " + ", ".join(queries) + "."]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--scale", default="1m")
    args = parser.parse_args()
    before, after = (json.loads(path.read_text())["scales"][args.scale] for path in (args.before, args.after))
    print("\n".join(rows(before, after)))


if __name__ == "__main__":
    main()
