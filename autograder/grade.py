"""Grade submissions: each in its own sandboxed process, checks judged here, in the parent."""
import functools
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import torch

from . import notebook
from .judge import SandboxGone, Verdict, judge
from .notebook import Submission
from .registry import checks_for
from .sandbox import Limits, RemoteStudent, Sandbox


@dataclass
class Result:
    student: str
    assignment: str
    score: float
    max_score: float
    status: str  # ok | timeout | out of memory | crashed (...) | unreadable | grader error
    tests: list = field(default_factory=list)
    output: str = ""                 # what went wrong in the student's own cells
    execution_time: float = 0.0

    def to_json(self) -> dict:
        """Gradescope results.json fields, plus who and what."""
        data = asdict(self)
        data["tests"] = [dict(name=v.title, score=v.score, max_score=v.max_score,
                              status="passed" if v.passed else "failed", output=v.output,
                              check=v.name) for v in self.tests]
        return data


def grade(sub: Submission, ctx, limits: Limits) -> Result:
    started = time.monotonic()
    checks = checks_for(sub.assignment) if sub.assignment in notebook.assignments() else None
    if checks is None:
        return Result(sub.student, sub.assignment, 0, 0, "unreadable",
                      output=f"无法判断这是哪一次作业：{sub.path.name}")
    max_score = sum(c.points for c in checks.values())
    try:
        plan = notebook.steps(_source(sub.assignment), notebook.read(sub.path))
    except notebook.BadNotebook as error:
        return Result(sub.student, sub.assignment, 0, max_score, "unreadable", output=str(error))

    verdicts, errors, status = {}, [], "ok"
    sandbox = Sandbox(ctx, limits)
    try:
        for step in plan:
            if step.kind == "code":
                error, _ = sandbox.cell(step.text, step.label)
                if error:
                    errors.append(error)
            else:
                seen, _ = sandbox.cell(step.visible, f"<自检 {step.text}>") if step.visible else (None, "")
                verdict = judge(checks[step.text], RemoteStudent(sandbox, step.text))
                if seen:  # as in nbgrader, a failing visible assertion fails the whole cell
                    verdict = replace(verdict, score=0, output=f"未通过（可见自检）：{seen.strip()}",
                                      visible_failed=True, hidden_passed=verdict.passed)
                verdicts[step.text] = verdict
    except SandboxGone as gone:
        status = str(gone)
        errors.append(_GONE.get(status.split(" ")[0], "") + f"({status})")
    finally:
        sandbox.close()
    if sandbox.timeouts and status == "ok":
        status = "timeout"
    if status == "ok" and any(m in e for e in errors for m in _MEMORY_ERRORS):
        status = "out of memory"
    tests = [verdicts.get(name) or Verdict(name, c.title, c.points, 0, f"未运行:{errors[-1] if errors else ''}")
             for name, c in checks.items()]
    for verdict in tests:
        verdict.output = redact(verdict.output, sub.assignment)
    return Result(sub.student, sub.assignment, sum(v.score for v in tests), max_score, status,
                  tests, redact("\n".join(errors)[-4000:], sub.assignment), round(time.monotonic() - started, 3))


_MEMORY_ERRORS = ("MemoryError", "can't allocate memory")  # Python's and torch's, at the cap


@functools.cache
def _source(assignment: str):
    return notebook.read(notebook.source_path(assignment))


@functools.cache
def _hidden_lines(assignment: str) -> frozenset:
    """Lines of the assignment's hidden checks: never shown back to a student."""
    check = next(iter(checks_for(assignment).values()))
    text = Path(sys.modules[check.func.__module__].__file__).read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if len(line.strip()) >= 12)


def redact(text: str, assignment: str) -> str:
    """Whatever a submission printed of the hidden checks (it could run `cat`) is blanked out."""
    hidden = _hidden_lines(assignment)
    return "\n".join("[已隐藏]" if line.strip() in hidden else line for line in text.split("\n"))


_GONE = {
    "timeout": "笔记本运行超时且无法中断，之后的检查没有运行。",
    "crashed": "运行笔记本的进程意外退出，之后的检查没有运行。",
}


def grade_all(submissions, ctx, limits: Limits, jobs: int = 1, on_done=None) -> list[Result]:
    # The judge's tensors are small; more threads here would only spin on the cores that the
    # submissions' processes need.
    torch.set_num_threads(1)
    def one(sub):
        try:
            result = grade(sub, ctx, limits)
        except Exception as error:  # a fault of the grader's: this submission says so, the batch goes on
            result = Result(sub.student, sub.assignment, 0, 0, "grader error",
                            output=f"评分程序出错，请联系教师：{type(error).__name__}：{error}"[:500])
        if on_done:
            on_done(result)
        return result
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(one, submissions))
