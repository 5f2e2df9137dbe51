"""Feedback for students: one HTML page and one Markdown page per graded submission.

    write_feedback(results, "feedback/")  ->  feedback/<student>/<assignment>.html and .md

Pages are built from the fields of ``Result.to_json()`` only (scores, the checks' hints, the
student's own error output), never from the checks' source. Students write part of that text
(names, output, the values a hint quotes), so every string is escaped. The HTML is one file
with inline CSS, readable offline.
"""
import hashlib
import html
import re
from pathlib import Path

STATUS = {
    "ok": "笔记本完整运行，所有检查都已执行。",
    "timeout": "有单元格运行超过了时间限制，已被中断（与 nbgrader 相同）。之后的代码可能没有运行，"
               "依赖它的检查因此未通过。提示：检查是否有死循环，或计算量是否过大。",
    "out of memory": "代码用到的内存超过了上限（默认 4 GiB），相应的单元格报错。提示：检查张量是否过大。",
    "crashed": "运行笔记本的进程意外退出（例如内存用尽或进程被强制结束），之后的检查没有运行。",
    "unreadable": "无法读取这份提交：它不是有效的 .ipynb 笔记本，或无法判断是哪一次作业。"
                  "请提交从 JupyterLab 保存的原始笔记本文件。",
    "grader error": "评分程序自身出错，这不是你的问题：请联系教师重新评分。",
}


def kind(status: str) -> str:
    """``crashed (signal SIGKILL)`` is of kind ``crashed``: one of the keys of ``STATUS``."""
    return status.split(" (")[0]


def explain(status: str) -> str:
    """The status in Chinese (the page shows the raw status too, e.g. ``crashed (signal SIGKILL)``)."""
    return STATUS.get(kind(status), "评分状态未知。")


def _safe_name(name: str) -> str:
    """A file name from untrusted text: no separators, no '..'; a hash keeps altered names apart."""
    safe = re.sub(r"[^\w.-]", "_", name).strip(".") or "_"
    if safe != name:
        safe += "-" + hashlib.sha1(name.encode()).hexdigest()[:8]
    return safe


def _passed(test) -> bool:
    return test["status"] == "passed"


# ---- HTML --------------------------------------------------------------------------------

CSS = """
body{font-family:system-ui,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;
 max-width:860px;margin:2em auto;padding:0 1em;color:#222;line-height:1.6}
h1{font-size:1.5em;margin-bottom:.2em} .meta{color:#666}
.score{font-size:2.2em;font-weight:bold} .bar{background:#eee;border-radius:4px;height:10px}
.bar div{background:#2e7d32;height:10px;border-radius:4px}
.status{padding:.6em 1em;border-radius:6px;margin:1em 0}
.status.ok{background:#e8f5e9} .status.bad{background:#fff3e0}
table{border-collapse:collapse;width:100%} th,td{border-bottom:1px solid #ddd;padding:.4em;text-align:left}
tr.passed td.mark{color:#2e7d32} tr.failed td.mark{color:#c62828}
.hint{border-left:4px solid #c62828;background:#fafafa;padding:.5em 1em;margin:.8em 0}
pre{background:#f5f5f5;padding:.8em;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
code{font-family:ui-monospace,monospace}
"""


def page_html(r: dict) -> str:
    e = html.escape
    fraction = r["score"] / r["max_score"] if r["max_score"] else 0
    rows = "".join(
        f'<tr class="{"passed" if _passed(t) else "failed"}"><td>{e(t["name"])}</td>'
        f'<td><code>{e(t["check"])}</code></td><td>{t["score"]:g}/{t["max_score"]:g}</td>'
        f'<td class="mark">{"✔ 通过" if _passed(t) else "✘ 未通过"}</td></tr>'
        for t in r["tests"])
    hints = "".join(
        f'<div class="hint"><b>{e(t["name"])}</b>(<code>{e(t["check"])}</code>)<br>'
        f'{e(t["output"]).replace(chr(10), "<br>")}</div>'
        for t in r["tests"] if not _passed(t))
    parts = [
        f'<h1>{e(r["assignment"])} 评分反馈</h1>',
        f'<div class="meta">学生：{e(r["student"])} · 运行用时 {r["execution_time"]:.1f} 秒</div>',
        f'<p class="score">{r["score"]:g} / {r["max_score"]:g}</p>',
        f'<div class="bar"><div style="width:{100 * fraction:.0f}%"></div></div>',
        f'<div class="status {"ok" if r["status"] == "ok" else "bad"}"><b>状态:</b>'
        f'<code>{e(r["status"])}</code> — {e(explain(r["status"]))}</div>',
    ]
    if rows:
        parts.append("<h2>各项检查</h2><table><tr><th>检查</th><th>名称</th><th>得分</th><th>结果</th></tr>"
                     f"{rows}</table>")
    if hints:
        parts.append(f"<h2>未通过的检查与提示</h2>{hints}")
    if r["output"]:
        parts.append(f'<h2>你的代码的报错输出</h2><pre>{e(r["output"])}</pre>')
    return ('<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{e(r["assignment"])} — {e(r["student"])}</title><style>{CSS}</style></head>'
            f'<body>{"".join(parts)}</body></html>\n')


# ---- Markdown ----------------------------------------------------------------------------

def _md(text: str) -> str:
    """Inline Markdown from untrusted text: HTML escaped, Markdown's markup characters inert."""
    return re.sub(r"([\\`*_\[\]|#])", r"\\\1", html.escape(str(text))).replace("\n", "  \n")


def _fenced(text: str) -> str:
    """A code block that the text cannot close: the fence is longer than any backtick run in it."""
    fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", text)), default=0))
    return f"{fence}text\n{text}\n{fence}"


def page_markdown(r: dict) -> str:
    lines = [f"# {_md(r['assignment'])} 评分反馈", "",
             f"学生:{_md(r['student'])} · 得分 **{r['score']:g} / {r['max_score']:g}**"
             f" · 运行用时 {r['execution_time']:.1f} 秒", "",
             f"**状态:**`{r['status'].replace('`', '')}` — {_md(explain(r['status']))}", ""]
    if r["tests"]:
        lines += ["## 各项检查", "", "| 检查 | 名称 | 得分 | 结果 |", "| --- | --- | --- | --- |"]
        lines += [f"| {_md(t['name'])} | {_md(t['check'])} | {t['score']:g}/{t['max_score']:g} | "
                  f"{'✔ 通过' if _passed(t) else '✘ 未通过'} |" for t in r["tests"]]
        lines.append("")
    failed = [t for t in r["tests"] if not _passed(t)]
    if failed:
        lines += ["## 未通过的检查与提示", ""]
        for t in failed:
            lines += [f"### {_md(t['name'])}({_md(t['check'])})", "", _md(t["output"]), ""]
    if r["output"]:
        lines += ["## 你的代码的报错输出", "", _fenced(r["output"]), ""]
    return "\n".join(lines)


def write_feedback(results: list[dict], folder) -> list[Path]:
    """Write ``folder/<student>/<assignment>.html`` and ``.md`` per result; return the paths."""
    written = []
    for r in results:
        base = Path(folder) / _safe_name(r["student"]) / _safe_name(r["assignment"])
        base.parent.mkdir(parents=True, exist_ok=True)
        for suffix, text in ((".html", page_html(r)), (".md", page_markdown(r))):
            path = base.with_name(base.name + suffix)
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written
