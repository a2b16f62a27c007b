"""Report figures as inline SVG (matplotlib, Agg): the page needs no network and no image files."""

from __future__ import annotations

import io
from collections import defaultdict

MAX_LINES = 8  # checks drawn in the failure-rate plot: the ones that failed most


def _svg(fig) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    text = buf.getvalue()
    return text[text.index("<svg"):]  # drop the XML prolog and DOCTYPE: the SVG sits inside HTML


def _figure(width=7.5, height=3.0):
    # a bare Figure, not pyplot: no backend or GUI machinery to import (about half a second of every run's
    # report), and nothing global to close afterwards
    import matplotlib  # noqa: PLC0415
    from matplotlib.figure import Figure  # noqa: PLC0415

    matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text (smaller, searchable)
    matplotlib.rcParams["svg.hashsalt"] = "notestar"  # stable ids: the same data gives the same page
    fig = Figure(figsize=(width, height))
    return fig, fig.subplots()


def _run_label(run: dict, i: int) -> str:
    started = run.get("started_at")
    return started.strftime("%m-%d %H:%M") if hasattr(started, "strftime") else f"run {i + 1}"


def facts_per_run(runs: list[dict]) -> str | None:
    if not runs:
        return None
    fig, ax = _figure()
    labels = [_run_label(r, i) for i, r in enumerate(runs)]
    loaded = [int(r.get("facts_loaded") or 0) for r in runs]
    quarantined = [int(r.get("quarantined") or r.get("facts_quarantined") or 0) for r in runs]
    xs = range(len(runs))
    ax.bar([x - 0.2 for x in xs], loaded, width=0.4, label="facts loaded", color="#2b6cb0")
    ax.bar([x + 0.2 for x in xs], quarantined, width=0.4, label="rows quarantined", color="#c05621")
    ax.set_xticks(list(xs), labels, rotation=30, ha="right", fontsize=8)
    ax.set_ylabel("rows")
    ax.set_title("Facts loaded per run")
    ax.legend(fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    return _svg(fig)


def failure_rate_per_check(runs: list[dict], results: list[dict]) -> str | None:
    if not runs or not results:
        return None
    order = {r.get("run_id"): i for i, r in enumerate(runs)}
    rates: dict[str, dict[int, float]] = defaultdict(dict)
    for r in results:
        i = order.get(r.get("run_id"))
        evaluated = r.get("evaluated") or 0
        if i is None or not evaluated:
            continue
        rates[r["check_name"]][i] = 100.0 * (r.get("failed") or 0) / evaluated
    failing = sorted((name for name, by_run in rates.items() if any(v > 0 for v in by_run.values())),
                     key=lambda n: -max(rates[n].values()))[:MAX_LINES]
    fig, ax = _figure(height=3.4)
    labels = [_run_label(r, i) for i, r in enumerate(runs)]
    for name in failing:
        xs = sorted(rates[name])
        ax.plot(xs, [rates[name][x] for x in xs], marker="o", label=name)
    if not failing:
        ax.text(0.5, 0.5, "no check failed in any run", ha="center", va="center", transform=ax.transAxes)
    ax.set_xticks(range(len(runs)), labels, rotation=30, ha="right", fontsize=8)
    ax.set_xlim(-0.5, len(runs) - 0.5)
    ax.set_ylabel("% of evaluated rows failing")
    ax.set_title("Failure rate per check over runs")
    ax.grid(alpha=0.3)
    if failing:
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return _svg(fig)


def quarantine_by_check(quarantine: list[dict]) -> str | None:
    counts: dict[str, int] = defaultdict(int)
    for q in quarantine:
        counts[q.get("check_name") or "?"] += 1
    if not counts:
        return None
    top = sorted(counts.items(), key=lambda kv: -kv[1])[:12]
    fig, ax = _figure(height=0.35 * len(top) + 1.0)
    ax.barh([k for k, _ in reversed(top)], [v for _, v in reversed(top)], color="#c05621")
    ax.set_xlabel("rows in quarantine")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_title("Quarantine by check")
    ax.tick_params(axis="y", labelsize=8)
    return _svg(fig)
