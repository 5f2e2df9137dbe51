"""pytest as a runner of the hidden checks: ``pytest --submission PATH``.

    pytest --submission submitted/bob/01_blocks/01_blocks.ipynb -k mlp
    pytest --submission submitted/ -m "not cuda" --junitxml=grades.xml

Each submitted notebook becomes a pytest file and each check one test item, in the notebook's
order (``path::check``). The notebook runs once, in the same sandbox as the batch grader
(``python -m autograder grade``): cells run up to a check's test cell, then the cell's visible
assertions and the check itself (the very function nbgrader's hidden cell calls), judged by the
same ``judge``. Points travel as the items' ``user_properties`` (``points``, ``max_points``,
``title``, ``student``, ``assignment``), so they reach JUnit XML. Installed as a pytest plugin
(entry point ``pytest11``); without ``--submission`` it does nothing.
"""
from pathlib import Path

import pytest


def pytest_addoption(parser):
    group = parser.getgroup("autograder", "grading submitted notebooks")
    group.addoption("--submission", action="append", default=[], metavar="PATH",
                    help="a submitted notebook, or a folder laid out as nbgrader's submitted/ (repeatable)")
    group.addoption("--cell-timeout", type=float, metavar="S",
                    help="seconds per cell (default: nbgrader's Execute.timeout in nbgrader_config.py)")


def pytest_configure(config):
    config.addinivalue_line("markers", "cuda: moves data to a GPU (a virtual one where the runner has none)")
    paths = config.getoption("submission")
    if not paths:
        return
    for path in paths:
        if not Path(path).exists():
            raise pytest.UsageError(f"--submission {path}: no such file or folder")
        if Path(path).is_file() and Path(path).suffix != ".ipynb":
            raise pytest.UsageError(f"--submission {path}: not a notebook (.ipynb)")
    from .notebook import discover
    config._submissions = {sub.path.resolve(): sub for sub in discover(paths)}
    if not config._submissions:
        raise pytest.UsageError(f"--submission {' '.join(paths)}: no notebooks found")
    config.args[:] = [str(p) for p in config._submissions]  # the submissions, not the course's tests
    config._runs = {}


def pytest_collect_file(file_path, parent):
    submissions = getattr(parent.config, "_submissions", None)
    if submissions and file_path.resolve() in submissions:
        return SubmissionFile.from_parent(parent, path=file_path, submission=submissions[file_path.resolve()])


class SubmissionFile(pytest.File):
    def __init__(self, *, submission, **kwargs):
        super().__init__(**kwargs)
        self.submission = submission

    def collect(self):
        from .notebook import assignments, source_path, read, check_ids
        from .registry import checks_for
        assignment = self.submission.assignment
        if assignment not in assignments():
            raise pytest.UsageError(f"{self.path}: cannot tell which assignment this is")
        checks = checks_for(assignment)
        for name in check_ids(read(source_path(assignment))):
            item = CheckItem.from_parent(self, name=name, check=checks[name])
            item.user_properties += [("student", self.submission.student), ("assignment", assignment)]
            for mark in getattr(checks[name].func, "pytestmark", []):  # @pytest.mark.cuda on the check
                item.add_marker(getattr(pytest.mark, mark.name)(*mark.args, **mark.kwargs))
            yield item


class CheckFailure(Exception):
    """A check's verdict: the message a student reads, shown without a traceback."""


class CheckItem(pytest.Item):
    def __init__(self, *, check, **kwargs):
        super().__init__(**kwargs)
        self.check = check
        self.user_properties += [("title", check.title), ("max_points", check.points)]

    def runtest(self):
        run = _run_for(self.parent)
        verdict = run.verdict(self.check)
        self.user_properties.append(("points", verdict.score))
        if not verdict.passed:
            raise CheckFailure(f"{verdict.title}：{verdict.output}")

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, CheckFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, None, f"{self.check.name} ({self.check.points:g} 分)"


def _run_for(file: SubmissionFile):
    runs = file.config._runs
    if file.path not in runs:
        from .grade import Run
        runs[file.path] = Run(file.submission, _context(file.config), _limits(file.config))
    return runs[file.path]


def _context(config):
    if not hasattr(config, "_autograder_ctx"):
        import torch
        from .forkserver import start
        torch.set_num_threads(1)  # as in the batch grader: cores are for the submissions
        config._autograder_ctx = start(len(config._submissions))
    return config._autograder_ctx


def _limits(config):
    from .__main__ import course_limits
    return course_limits(config.getoption("cell_timeout"))


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session):
    """Close each submission's sandbox after its last selected check, not at the session's end."""
    last = {}
    for item in session.items:
        if isinstance(item, CheckItem):
            last[item.parent.path] = item
    session.config._last_items = set(last.values())


def pytest_runtest_teardown(item):
    if isinstance(item, CheckItem) and item in getattr(item.config, "_last_items", ()):
        run = item.config._runs.pop(item.parent.path, None)
        if run:
            run.close()


def pytest_unconfigure(config):
    for run in getattr(config, "_runs", {}).values():
        run.close()


def pytest_terminal_summary(terminalreporter, config):
    if not getattr(config, "_submissions", None):
        return
    totals = {}
    for report in terminalreporter.getreports("passed") + terminalreporter.getreports("failed"):
        props = dict(report.user_properties)
        if "max_points" in props and report.when == "call":
            key = report.nodeid.split("::")[0]
            got, out_of = totals.get(key, (0, 0))
            totals[key] = (got + props.get("points", 0), out_of + props["max_points"])
    if totals:
        terminalreporter.section("points")
        for key, (got, out_of) in totals.items():
            terminalreporter.write_line(f"{key}: {got:g}/{out_of:g}")
