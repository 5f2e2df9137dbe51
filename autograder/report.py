"""Class report for instructors: one self-contained HTML file from a grading run's results.

    write_report(results, "report.html")

A summary table per assignment (submissions, mean and median score, full marks, statuses),
then plots: the score histogram and the pass rate of each check per assignment, and the
slowest submissions. Plots are matplotlib PNGs embedded as base64, so the file works offline.
Fonts with Chinese glyphs may be missing where this runs, so plot text is ASCII only (check
names, not titles; a student's name only when it is ASCII); the tables carry the rest.
"""
import base64
import html
import io
import statistics
from collections import Counter, defaultdict
from pathlib import Path

from matplotlib.figure import Figure  # no pyplot: no global backend or figure state

from .feedback import STATUS, kind

STATUSES = tuple(STATUS)  # ok, timeout, out of memory, crashed, unreadable, grader error
SLOWEST = 10

CSS = """
body{font-family:system-ui,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;
 max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:1em 0} th,td{border:1px solid #ddd;padding:.3em .6em;text-align:left}
th{background:#f5f5f5} td.n{text-align:right} img{max-width:100%;margin:.5em 1em .5em 0;vertical-align:top}
code{font-family:ui-monospace,monospace}
"""


def _ascii(text: str, fallback: str = "") -> str:
    return text if text.isascii() else fallback


def _img(fig: Figure, alt: str) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
    data = base64.b64encode(buf.getvalue()).decode()
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'


def summarize(rs: list[dict]) -> dict:
    scores = [r["score"] for r in rs]
    top = max(r["max_score"] for r in rs)
    statuses = Counter(kind(r["status"]) for r in rs)
    return dict(submissions=len(rs), max_score=top, mean=statistics.mean(scores),
                median=statistics.median(scores), full=sum(top > 0 and s == top for s in scores),
                **{s: statuses[s] for s in STATUSES})


def check_stats(rs: list[dict]) -> list[tuple]:
    """(check, title, points, passed) per check, in the notebook's order; a submission whose
    check did not run (unreadable) counts as not passed."""
    stats = {}
    for r in rs:
        for t in r["tests"]:
            row = stats.setdefault(t["check"], [t["check"], t["name"], t["max_score"], 0])
            row[3] += t["status"] == "passed"
    return [tuple(row) for row in stats.values()]


def histogram(assignment: str, rs: list[dict]) -> Figure:
    top = max(r["max_score"] for r in rs)
    fig = Figure(figsize=(5, 3))
    ax = fig.subplots()
    bins = [b - 0.5 for b in range(int(top) + 2)] if top <= 60 else 20  # one bar per point
    ax.hist([r["score"] for r in rs], bins=bins, color="#1976d2", edgecolor="white")
    ax.set(title=f"{_ascii(assignment, 'assignment')}: scores", xlabel=f"score (max {top:g})",
           ylabel="submissions")
    for axis in (ax.xaxis, ax.yaxis):
        axis.get_major_locator().set_params(integer=True)
    return fig


def pass_rates(assignment: str, rs: list[dict]) -> Figure:
    stats = check_stats(rs)
    fig = Figure(figsize=(6, 0.8 + 0.35 * len(stats)))
    ax = fig.subplots()
    rates = [100 * passed / len(rs) for *_, passed in stats]
    labels = [_ascii(name, f"check {i + 1}") for i, (name, *_) in enumerate(stats)]
    ax.barh(labels, rates, color="#2e7d32")
    ax.invert_yaxis()  # first check on top, as in the notebook
    ax.set(title=f"{_ascii(assignment, 'assignment')}: pass rate per check", xlabel="% of submissions",
           xlim=(0, 100))
    for y, rate in enumerate(rates):
        ax.text(min(rate, 88) + 1, y, f"{rate:.0f}%", va="center", fontsize=8)
    return fig


def slowest_chart(slow: list[dict]) -> Figure:
    fig = Figure(figsize=(6, 0.8 + 0.35 * len(slow)))
    ax = fig.subplots()
    labels = [f"#{i} " + _ascii(f"{r['student']}/{r['assignment']}") for i, r in enumerate(slow, 1)]
    ax.barh(labels, [r["execution_time"] for r in slow], color="#f57c00")
    ax.invert_yaxis()
    ax.set(title="slowest submissions", xlabel="seconds")
    return fig


def _table(header: list[str], rows: list[list], table_id: str = "") -> str:
    """Cells are escaped here; numbers are right-aligned."""
    def cell(v):
        return f'<td class="n">{v:g}</td>' if isinstance(v, (int, float)) else f"<td>{html.escape(str(v))}</td>"
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(map(cell, row)) + "</tr>" for row in rows)
    return f'<table{f" id={table_id!r}" if table_id else ""}><tr>{head}</tr>{body}</table>'


def write_report(results: list[dict], path) -> Path:
    by_assignment = defaultdict(list)
    for r in results:
        by_assignment[r["assignment"]].append(r)
    names = sorted(by_assignment)
    summary = {a: summarize(by_assignment[a]) for a in names}
    parts = [f"<h1>课堂评分报告</h1><p>{len(results)} 份提交，{len(names)} 次作业。</p>",
             "<h2>概览</h2>",
             _table(["作业", "提交数", "满分", "平均分", "中位数", "满分人数", *STATUSES],
                    [[a, s["submissions"], s["max_score"], round(s["mean"], 2), s["median"], s["full"],
                      *(s[k] for k in STATUSES)] for a, s in summary.items()], "summary")]
    for a in names:
        rs = by_assignment[a]
        parts.append(f"<h2>{html.escape(a)}</h2>" + _img(histogram(a, rs), f"{a} 分数分布"))
        stats = check_stats(rs)
        if stats:  # an unknown assignment's unreadable files have no checks to plot
            parts.append(_img(pass_rates(a, rs), f"{a} 各检查通过率"))
            parts.append(_table(["检查", "名称", "分值", "通过人数", "通过率"],
                                [[c, title, pts, ok, f"{100 * ok / len(rs):.0f}%"] for c, title, pts, ok in stats]))
    trouble = [r for r in results if r["status"] != "ok"]
    if trouble:
        parts.append("<h2>未正常完成的提交</h2>" + _table(
            ["学生", "作业", "状态", "得分", "输出（末行）"],
            [[r["student"], r["assignment"], r["status"], r["score"],
              (r["output"].strip().splitlines() or [""])[-1][:200]] for r in trouble]))
    slow = sorted(results, key=lambda r: r["execution_time"], reverse=True)[:SLOWEST]
    if slow:
        parts.append("<h2>最慢的提交</h2>" + _img(slowest_chart(slow), "最慢的提交") + _table(
            ["#", "学生", "作业", "秒", "状态"],
            [[i, r["student"], r["assignment"], round(r["execution_time"], 1), r["status"]] for i, r in enumerate(slow, 1)],
            "slowest"))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
                    f"<title>课堂评分报告</title><style>{CSS}</style></head>"
                    f'<body>{"".join(parts)}</body></html>\n', encoding="utf-8")
    return path
