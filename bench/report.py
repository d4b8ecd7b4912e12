"""The report: the table of pages and the verdicts, printed and written to bench/results/."""

import datetime
import json
import os
import platform
import sys
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"

# Limits beside the pages' targets.
RSS_LIMIT_MB = 120
SEED_LIMIT_S = 120
FIRST_LOAD_KB, FIRST_LOAD_REQUESTS = 80, 6
# Pages compared between the small and the large scale, and the slowdown allowed.
SCALE_PAGES = ("home", "profile", "talk", "search_common", "search_rare")
SCALE_LIMIT = 1.3


def say(message):
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def machine():
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} x {model}, Python {platform.python_version()}"


def verdict(ok):
    return "ok" if ok else "MISSED"


def missed_targets(row):
    """What `row` fell short of: its share of the reference, its p99 against its p50."""
    missed = []
    if row.target and row.ratio < row.target:
        missed.append(f"{row.ratio:.2f} x ref")
    if row.tail_limit and row.p99_ms > row.tail_limit * row.p50_ms:
        missed.append(f"p99 {row.p99_ms / row.p50_ms:.1f} x p50")
    return missed


def target_cell(row):
    cells = []
    if row.target:
        cells.append(f"≥ {row.target:g} {verdict(row.ratio >= row.target)}")
    if row.tail_limit:
        ok = row.p99_ms <= row.tail_limit * row.p50_ms
        cells.append(f"p99 ≤ {row.tail_limit:g}x p50 {verdict(ok)}")
    return ", ".join(cells)


def markdown_table(headers, rows):
    """The lines of a Markdown table: the first column to the left, the others to the right."""
    widths = [max(len(cell) for cell in column) for column in zip(headers, *rows, strict=True)]

    def line(cells):
        padded = [
            cell.ljust(width) if index == 0 else cell.rjust(width)
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "| " + " | ".join(padded) + " |"

    rule = "|".join(
        "-" * (width + 2) if index == 0 else "-" * (width + 1) + ":"
        for index, width in enumerate(widths)
    )
    return [line(headers), f"|{rule}|", *(line(row) for row in rows)]


def report(summary, rows, mail_result, first_load):
    counts = summary["counts"]
    out = [
        "",
        f"Talks benchmark, {summary['date']}: {counts['speakers']:,} speakers, "
        f"{counts['talks']:,} talks, {counts['comments']:,} comments ({summary['scale']}), "
        f"{summary['database']}",
        f"gunicorn {summary['workers']} workers x {summary['threads']} threads, "
        f"{summary['client']} with {summary['connections']} connections for "
        f"{summary['seconds']:g} s a page, on {summary['machine']}",
        "",
    ]
    table = [
        [
            row.label,
            f"{row.rps:.0f}",
            f"{row.ratio:.2f}",
            target_cell(row),
            f"{row.p50_ms:.1f}",
            f"{row.p99_ms:.1f}",
            "" if row.queries is None else str(row.queries),
            f"{row.rss_mb:.0f}",
            f"{row.cpu_ms:.2f}",
            f"{row.cpu_ratio:.2f}",
        ]
        for row in rows
    ]
    out += markdown_table(
        [
            "page",
            "req/s",
            "x ref",
            "target",
            "p50 ms",
            "p99 ms",
            "queries",
            "RSS MB",
            "CPU ms",
            "CPU x ref",
        ],
        table,
    )
    out.append(
        "(CPU ms: the server's median CPU time per request, sent one at a time; CPU x ref is "
        "the reference page's over the page's, a cross-check that moves less with the load "
        "of other processes.)"
    )
    out.append("")
    missed = [
        f"{row.label}: {', '.join(missed_targets(row))}" for row in rows if missed_targets(row)
    ]
    out.append(
        f"Pages at their targets: {verdict(not missed)}"
        + (f" (missed: {'; '.join(missed)})" if missed else "")
    )
    final_rss = summary["final_rss_mb"]
    out.append(
        f"Largest worker RSS after the run: {final_rss:.0f} MB "
        f"(limit {RSS_LIMIT_MB} MB): {verdict(final_rss <= RSS_LIMIT_MB)}"
    )
    if summary["seed_seconds"] is not None:
        out.append(
            f"seed_demo: {summary['seed_seconds']:.0f} s "
            f"(limit {SEED_LIMIT_S} s at the default scale): "
            f"{verdict(summary['seed_seconds'] < SEED_LIMIT_S)}"
        )
    if mail_result is not None:
        out.append(
            f"Notification delivery, {mail_result.emails:,} emails of {mail_result.message_bytes:,}"
            f" bytes over one connection: flush {mail_result.flush_rate:,.0f}/s, plain smtplib "
            f"{mail_result.smtplib_rate:,.0f}/s, ratio {mail_result.ratio:.2f}; "
            f"{mail_result.flush_cpu_ms_per_email:.2f} ms of CPU per email"
        )
        out.append(
            f"    Django's mail API alone (fixed text, no database, no templates): "
            f"{mail_result.django_rate:,.0f}/s, ratio {mail_result.django_ratio:.2f}"
        )
    kb = first_load.wire_bytes / 1024
    ok = kb <= FIRST_LOAD_KB and first_load.requests <= FIRST_LOAD_REQUESTS
    out.append(
        f"Home page first load: {first_load.requests} requests, {kb:.1f} KB on the wire "
        f"(limit {FIRST_LOAD_REQUESTS} requests, {FIRST_LOAD_KB} KB): {verdict(ok)}"
    )
    for asset in [first_load.page, *first_load.assets]:
        out.append(
            f"    {asset.url:<60} {asset.status} {asset.encoding:<8} "
            f"{asset.wire_bytes / 1024:>6.1f} KB  {asset.cache_control}"
        )
    out.append(
        "Static files hashed, cached a year as immutable, no render-blocking script: "
        + ("ok" if not first_load.problems else "MISSED: " + "; ".join(first_load.problems))
    )
    print("\n".join(out), flush=True)


def compare_scales(vendor):
    """The small and large runs side by side, when both have been made on this database."""
    paths = [RESULTS / f"{scale}-{vendor}.json" for scale in ("small", "large")]
    if not all(path.exists() for path in paths):
        return
    small, large = (json.loads(path.read_text()) for path in paths)
    small_rows = {row["key"]: row for row in small["rows"]}
    large_rows = {row["key"]: row for row in large["rows"]}
    table = []
    for key in ("reference", *SCALE_PAGES):
        if key not in small_rows or key not in large_rows:
            continue
        small_row, large_row = small_rows[key], large_rows[key]
        # A page's share of its own run's reference absorbs a change of machine load between
        # the two runs; the slowdown compares those shares. The CPU one compares the pages'
        # CPU time per request against the reference's, which other processes disturb less.
        slowdown = small_row["ratio"] / large_row["ratio"]
        cpu_slowdown = small_row["cpu_ratio"] / large_row["cpu_ratio"]
        table.append(
            [
                small_row["label"],
                f"{small_row['rps']:.0f}",
                f"{small_row['ratio']:.2f}",
                f"{large_row['rps']:.0f}",
                f"{large_row['ratio']:.2f}",
                "" if key == "reference" else f"{slowdown:.2f} {verdict(slowdown <= SCALE_LIMIT)}",
                "" if key == "reference" else f"{cpu_slowdown:.2f}",
            ]
        )
    setup = ("client", "connections", "seconds", "workers", "threads")
    differs = [name for name in setup if small.get(name) != large.get(name)]
    out = [
        "",
        f"Scale comparison on {vendor}: {small['counts']['talks']:,} talks ({small['date']}) "
        f"against {large['counts']['talks']:,} ({large['date']}); slowdown is the small run's "
        f"x ref over the large run's (limit {SCALE_LIMIT}); CPU slowdown the same with CPU x ref",
        "",
        *markdown_table(
            ["page", "small req/s", "x ref", "large req/s", "x ref", "slowdown", "CPU slowdown"],
            table,
        ),
    ]
    if differs:
        out.append(f"(The two runs differ in {', '.join(differs)}: run both the same way.)")
    print("\n".join(out), flush=True)


def summarize(run, rows, final_rss, mail_result, first_load):
    """Everything the run found, as written to its results file; `run` tells how it was made."""
    return {
        "date": datetime.date.today().isoformat(),
        **run,
        "machine": machine(),
        "reference_rps": rows[0].rps,
        "rows": [{**asdict(row), "ratio": row.ratio, "cpu_ratio": row.cpu_ratio} for row in rows],
        "final_rss_mb": final_rss,
        "mail": None
        if mail_result is None
        else {
            **asdict(mail_result),
            "ratio": mail_result.ratio,
            "django_ratio": mail_result.django_ratio,
            "flush_cpu_ms_per_email": mail_result.flush_cpu_ms_per_email,
        },
        "first_load": {
            "requests": first_load.requests,
            "kb": first_load.wire_bytes / 1024,
            "problems": first_load.problems,
            "assets": [asdict(asset) for asset in [first_load.page, *first_load.assets]],
        },
    }


def write_results(summary):
    """The run's results in bench/results/<scale>-<database>.json, then the comparison of the
    small and the large scale when this run is one of them and the other has been run."""
    RESULTS.mkdir(exist_ok=True)
    result_path = RESULTS / f"{summary['scale']}-{summary['database']}.json"
    result_path.write_text(json.dumps(summary, indent=2) + "\n")
    say(f"Results written to {result_path.relative_to(ROOT)}")
    if summary["scale"] in ("small", "large"):
        compare_scales(summary["database"])
