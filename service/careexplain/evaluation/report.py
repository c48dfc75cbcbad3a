"""report.html: one self-contained page (inline CSS, plots as base64 PNG) people can read."""

from __future__ import annotations

import base64
import html
import io
import json
from collections.abc import Mapping
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from careexplain.evaluation.results import CaseResult, RunResults

CSS = """
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#1d2433;
 padding:0 1rem}
h1{margin-bottom:.2rem} h2{border-bottom:2px solid #dde3ee;padding-bottom:.2rem;margin-top:2rem}
table{border-collapse:collapse;margin:.6rem 0 1rem;font-size:.9rem;display:block;
 overflow-x:auto;max-width:100%}
th,td{border:1px solid #cfd6e4;padding:.3rem .55rem;text-align:left;vertical-align:top}
th{background:#eef2f8} td.num{text-align:right;font-variant-numeric:tabular-nums}
.pass{color:#0a7a3a;font-weight:600} .fail{color:#b3261e;font-weight:600}
tr.regression td{background:#fde7e7} tr.failed td{background:#fdf0e0}
.badge{display:inline-block;padding:.2rem .7rem;border-radius:1rem;color:#fff;font-weight:700}
.badge.pass{background:#0a7a3a;color:#fff} .badge.fail{background:#b3261e;color:#fff}
.muted{color:#5b6478} pre{white-space:pre-wrap;max-width:100%;font-size:.8rem}
img{max-width:100%} .plots{display:flex;flex-wrap:wrap;gap:1rem}
.plots figure{margin:0;flex:1 1 460px}
"""


def _e(value: Any) -> str:
    return html.escape(str(value))


def _num(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1000 else f"{value:,.0f}"
    return _e(value)


def _png(fig: Any) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img alt="plot" src="data:image/png;base64,{data}">'


def _matrix_tables(scores: Mapping[str, Any], path: str = "") -> list[str]:
    """Nested scores → tables: each dict whose children are flat number dicts is one table."""
    out: list[str] = []
    leaves = {k: v for k, v in scores.items() if not isinstance(v, Mapping)}
    rows = {
        k: v
        for k, v in scores.items()
        if isinstance(v, Mapping) and all(not isinstance(x, Mapping) for x in v.values())
    }
    deeper = {k: v for k, v in scores.items() if isinstance(v, Mapping) and k not in rows}
    if leaves:
        out.append(_table(path or "scores", {"": leaves}))
    if rows:
        out.append(_table(path or "scores", rows))
    for key, value in deeper.items():
        out += _matrix_tables(value, f"{path}.{key}" if path else key)
    return out


def _table(title: str, rows: Mapping[str, Mapping[str, Any]]) -> str:
    columns: list[str] = []
    for row in rows.values():
        columns += [c for c in row if c not in columns]
    head = "".join(f"<th>{_e(c)}</th>" for c in columns)
    body = "".join(
        f"<tr><th>{_e(name)}</th>"
        + "".join(f'<td class="num">{_num(row.get(c, ""))}</td>' for c in columns)
        + "</tr>"
        for name, row in rows.items()
    )
    return f"<h4>{_e(title)}</h4><table><tr><th></th>{head}</tr>{body}</table>"


def _plots(results: RunResults) -> list[str]:
    figures: list[str] = []
    answers = results.suites.get("answers")
    if answers and answers.distributions.get("fk_grade"):
        fig, ax = plt.subplots(figsize=(5.5, 3))
        ax.hist(answers.distributions["fk_grade"], bins=12, color="#4a78c2")
        level = results.config.get("suites", {}).get("answers", {}).get("reading_level", 6)
        ax.axvline(level, color="#b3261e", linestyle="--", label=f"requested grade {level}")
        ax.set(
            title="Readability of answers (Flesch-Kincaid grade)", xlabel="grade", ylabel="answers"
        )
        ax.legend()
        figures.append(_png(fig))
    if answers and answers.distributions.get("score"):
        fig, ax = plt.subplots(figsize=(5.5, 3))
        for key, color in (("score", "#4a78c2"), ("relevance", "#e39b2d")):
            if answers.distributions.get(key):
                ax.hist(
                    answers.distributions[key],
                    bins=10,
                    range=(0, 1),
                    alpha=0.6,
                    label=key,
                    color=color,
                )
        ax.set(title="Answer score distribution", xlabel="score (0-1)", ylabel="answers")
        ax.legend()
        figures.append(_png(fig))
    latencies = _latencies(results)
    if latencies:
        fig, ax = plt.subplots(figsize=(5.5, 3))
        names = list(latencies)
        xs = range(len(names))
        ax.bar([x - 0.2 for x in xs], [latencies[n][0] for n in names], 0.4, label="p50")
        ax.bar([x + 0.2 for x in xs], [latencies[n][1] for n in names], 0.4, label="p95")
        ax.set_xticks(list(xs), names, rotation=30, ha="right", fontsize=8)
        ax.set(title="Latency percentiles", ylabel="ms")
        ax.set_yscale("log")
        ax.legend()
        figures.append(_png(fig))
    retrieval = results.suites.get("retrieval")
    if retrieval and retrieval.distributions:
        fig, ax = plt.subplots(figsize=(5.5, 3))
        for key, values in retrieval.distributions.items():
            ax.hist(values, bins=10, range=(0, 1), histtype="step", label=key, linewidth=1.5)
        ax.set(title="Reciprocal rank per query", xlabel="1/rank", ylabel="queries")
        ax.legend(fontsize=7)
        figures.append(_png(fig))
    safety = results.suites.get("safety")
    if safety and safety.scores:
        cats = [c for c in safety.scores if c != "all"]
        fig, ax = plt.subplots(figsize=(5.5, 3))
        ax.barh(cats, [safety.scores[c]["pass_rate"] for c in cats], color="#0a7a3a")
        ax.set(title="Safety pass rate by category", xlim=(0, 1))
        figures.append(_png(fig))
    return figures


def _latencies(results: RunResults) -> dict[str, tuple[float, float]]:
    out: dict[str, tuple[float, float]] = {}
    for name, value in results.metrics().items():
        if name.endswith("latency_p50_ms"):
            base = name.removesuffix(".latency_p50_ms")
            p95 = results.metrics().get(f"{base}.latency_p95_ms")
            if p95 is not None and ".all" not in base:
                out[base] = (max(value, 0.01), max(p95, 0.01))
    return out


def _cases(cases: list[CaseResult], worst: int) -> str:
    ranked = sorted(
        (c for c in cases if c.score is not None or c.passed is False),
        key=lambda c: (c.passed is not False, c.score if c.score is not None else 1.0),
    )[:worst]
    if not ranked:
        return "<p class='muted'>No scored cases.</p>"
    rows = "".join(
        f"<tr class='{'failed' if c.passed is False else ''}'><td>{_e(c.group)}<br>"
        f"<span class='muted'>{_e(c.id)}</span></td>"
        f"<td class='num'>{_num(c.score)}</td><td>{_e(c.input)}</td>"
        f"<td><pre>{_e(c.output)}</pre></td><td>{'<br>'.join(_e(s) for s in c.sources)}</td>"
        f"<td>{_e(c.expected)}<br><span class='muted'>{_e(_short(c.details))}</span></td></tr>"
        for c in ranked
    )
    return (
        "<table class='cases'><tr><th>case</th><th>score</th><th>input</th><th>answer</th>"
        f"<th>sources</th><th>expected / details</th></tr>{rows}</table>"
    )


def _short(details: Mapping[str, Any]) -> str:
    keep = {k: v for k, v in details.items() if not isinstance(v, dict | list) or k == "problems"}
    return json.dumps(keep, ensure_ascii=False, default=str)[:400]


def render(results: RunResults, worst: int = 5) -> str:
    """The whole page."""
    status = "pass" if results.passed else "fail"
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>CareExplain evaluation {_e(results.run_id)}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>CareExplain evaluation <span class='badge {status}'>{status.upper()}</span></h1>",
        f"<p class='muted'>run {_e(results.run_id)} · {_e(results.config.get('name'))} · target "
        f"{_e(results.environment.target)} · {results.duration_s:.0f} s · commit "
        f"{_e(results.environment.git.get('commit', '?')[:10])} · generator "
        f"{_e(results.environment.models.get('generator', {}).get('name'))}</p>",
        "<h2>Thresholds</h2>",
    ]
    if results.thresholds:
        rows = "".join(
            f"<tr class='{'' if t.passed else 'failed'}'><td>{_e(t.metric)}</td>"
            f"<td>{_e(t.rule)}</td>"
            f"<td class='num'>{_num(t.value)}</td><td class='{'pass' if t.passed else 'fail'}'>"
            f"{'pass' if t.passed else 'FAIL'} {_e(t.reason)}</td></tr>"
            for t in results.thresholds
        )
        parts.append(
            f"<table><tr><th>metric</th><th>rule</th><th>value</th><th></th></tr>{rows}</table>"
        )
    else:
        parts.append("<p class='muted'>No thresholds configured.</p>")
    parts.append("<h2>Plots</h2><div class='plots'>")
    parts += [f"<figure>{p}</figure>" for p in _plots(results)]
    parts.append("</div>")
    for name, suite in results.suites.items():
        parts.append(
            f"<h2>{_e(name)} <span class='muted'>({suite.status}, {suite.seconds:.0f} s)"
            "</span></h2>"
        )
        if suite.reason:
            parts.append(f"<p class='muted'>{_e(suite.status)}: {_e(suite.reason)}</p>")
        parts += _matrix_tables(suite.scores)
        if suite.cases:
            parts.append(f"<h3>Worst cases</h3>{_cases(suite.cases, worst)}")
    parts.append("<h2>Against the baseline</h2>")
    if results.baseline is None:
        parts.append("<p class='muted'>No baseline given (--baseline).</p>")
    else:
        regressions = sum(1 for d in results.diff if d.regression)
        parts.append(f"<p>Baseline {_e(results.baseline)}: {regressions} regression(s).</p>")
        rows = "".join(
            f"<tr class='{'regression' if d.regression else ''}'><td>{_e(d.metric)}</td>"
            f"<td class='num'>{_num(d.baseline)}</td><td class='num'>{_num(d.current)}</td>"
            f"<td class='num'>{_num(d.delta)}</td>"
            f"<td>{'REGRESSION' if d.regression else ''}</td></tr>"
            for d in results.diff
        )
        parts.append(
            "<table class='diff'><tr><th>metric</th><th>baseline</th><th>current</th>"
            "<th>change</th>"
            f"<th></th></tr>{rows}</table>"
        )
    parts.append(
        "<h2>Configuration</h2><details><summary>suite config, settings, models, "
        "indexes, versions</summary><pre>"
    )
    parts.append(
        _e(
            json.dumps(
                {"config": results.config, "environment": results.environment.model_dump()},
                indent=2,
                default=str,
            )
        )
    )
    parts.append("</pre></details></body></html>")
    return "\n".join(parts)
