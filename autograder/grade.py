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
    isolation: str = ""              # the protections its process had (confine.py), "" if none ran

    def to_json(self) -> dict:
        """Gradescope results.json fields, plus who and what."""
        data = asdict(self)
        data["tests"] = [dict(name=v.title, score=v.score, max_score=v.max_score,
                              status="passed" if v.passed else "failed", output=v.output,
                              check=v.name) for v in self.tests]
        return data


class Run:
    """One submission in its sandbox, step by step: its cells in nbgrader's order and, at each
    test cell, the cell's visible assertions and then its check. The batch grader walks the
    whole notebook; pytest asks for one check at a time (``-k`` skips the others' probes)."""

    def __init__(self, sub: Submission, ctx, limits: Limits, visible_only: bool = False):
        self.sub, self.ctx, self.limits = sub, ctx, limits
        self.visible_only = visible_only  # what Validate shows a student: the visible assertions alone
        self.checks = checks_for(sub.assignment)
        self.plan = notebook.steps(_source(sub.assignment), notebook.read(sub.path))  # BadNotebook
        self.sandbox, self.at, self.errors, self.status, self.verdicts = None, 0, [], "ok", {}
        self.timeouts = 0  # cells interrupted at the time limit, over every sandbox this run used
        self.isolation = ""

    def verdict(self, check) -> Verdict:
        """Run the notebook up to ``check``'s test cell, then judge that cell."""
        if check.name in self.verdicts:
            return self.verdicts[check.name]
        if self.status == "ok":
            if any(s.kind == "check" and s.text == check.name for s in self.plan[:self.at]):
                self.close()  # asked out of order (pytest may reorder): start the notebook again
                self.at, self.errors = 0, []
            try:
                step = self._run_until(check.name)
                if step:
                    self.verdicts[check.name] = self._judge(step)
                    return self.verdicts[check.name]
            except SandboxGone as gone:
                self.status = str(gone)
                self.errors.append(_GONE.get(self.status.split(" ")[0], "") + f"({self.status})")
                self.close()
        return Verdict(check.name, check.title, 0 if self.visible_only else check.points, 0,
                       redact(f"未运行：{self.errors[-1] if self.errors else ''}", self.sub.assignment),
                       visible_failed=self.visible_only)

    def _run_until(self, name):
        """Run code steps up to the test cell of check ``name`` (to the end if None); return its step."""
        if self.sandbox is None:
            self.sandbox = Sandbox(self.ctx, self.limits)
            self.isolation = self.sandbox.isolation  # the protections it had (confine.py)
        while self.at < len(self.plan):
            step = self.plan[self.at]
            self.at += 1
            if step.kind == "code":
                error, _ = self.sandbox.cell(step.text, step.label)
                if error:
                    self.errors.append(error)
            elif step.text == name:
                return step
        return None

    def _judge(self, step) -> Verdict:
        seen, _ = self.sandbox.cell(step.visible, f"<自检 {step.text}>") if step.visible else (None, "")
        if self.visible_only:  # no points: the visible assertions pass or fail
            check = self.checks[step.text]
            return Verdict(check.name, check.title, 0, 0, redact(f"未通过（可见自检）：{seen.strip()}" if seen else "通过",
                                                              self.sub.assignment), visible_failed=bool(seen))
        verdict = judge(self.checks[step.text], RemoteStudent(self.sandbox, step.text))
        if seen:  # as in nbgrader, a failing visible assertion fails the whole cell
            verdict = replace(verdict, score=0, output=f"未通过（可见自检）：{seen.strip()}",
                              visible_failed=True, hidden_passed=verdict.passed)
        verdict.output = redact(verdict.output, self.sub.assignment)
        return verdict

    def result(self, started: float) -> Result:
        """Every check, then the cells after the last one (nbgrader runs them too), then the Result."""
        for step in self.plan:
            if step.kind == "check":
                self.verdict(self.checks[step.text])
        if self.status == "ok":
            try:
                self._run_until(None)
            except SandboxGone as gone:
                self.status = str(gone)
        self.close()
        status = self.status
        if self.timeouts and status == "ok":
            status = "timeout"
        if status == "ok" and any(m in e for e in self.errors for m in _MEMORY_ERRORS):
            status = "out of memory"
        tests = [self.verdict(c) for c in self.checks.values()]
        return Result(self.sub.student, self.sub.assignment, sum(v.score for v in tests),
                      sum(v.max_score for v in tests), status, tests,
                      redact("\n".join(self.errors)[-4000:], self.sub.assignment),
                      round(time.monotonic() - started, 3), self.isolation)

    def close(self):
        if self.sandbox:
            self.timeouts += self.sandbox.timeouts
            self.sandbox.close()
            self.sandbox = None


def grade(sub: Submission, ctx, limits: Limits, visible_only: bool = False) -> Result:
    started = time.monotonic()
    if sub.assignment not in notebook.assignments():
        return Result(sub.student, sub.assignment, 0, 0, "unreadable",
                      output=f"无法判断这是哪一次作业：{sub.path.name}")
    try:
        run = Run(sub, ctx, limits, visible_only)
    except notebook.BadNotebook as error:
        max_score = 0 if visible_only else sum(c.points for c in checks_for(sub.assignment).values())
        return Result(sub.student, sub.assignment, 0, max_score, "unreadable", output=str(error))
    try:
        return run.result(started)
    finally:
        run.close()


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


def grade_all(submissions, ctx, limits: Limits, jobs: int = 1, on_done=None, visible_only=False) -> list[Result]:
    # The judge's tensors are small; more threads here would only spin on the cores that the
    # submissions' processes need.
    torch.set_num_threads(1)
    def one(sub):
        try:
            result = grade(sub, ctx, limits, visible_only)
        except Exception as error:  # a fault of the grader's: this submission says so, the batch goes on
            result = Result(sub.student, sub.assignment, 0, 0, "grader error",
                            output=f"评分程序出错，请联系教师：{type(error).__name__}：{error}"[:500])
        if on_done:
            on_done(result)
        return result
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(one, submissions))
