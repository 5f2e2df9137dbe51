"""Hidden checks: plain functions with points and a title, one module per assignment.

    @check(points=2, title="MySequential 按顺序调用子块")
    def mysequential_order(student):
        X = torch.randn(2, 20, generator=student.rng)
        r = student.run("net = MySequential(nn.Linear(20, 3)); out = net(X)", "net out", X=X)
        expect(r.out.shape == (2, 3), "…中文提示…")

A check judges plain data that the student's code returned (see plain.py) and fails by raising
CheckFailed through ``expect`` (or an ``assert`` with a message, as in any pytest test). The
function name is the nbgrader ``grade_id`` of the hidden test cell that runs it; the module is
``autograder/checks/<slug>.py`` for ``NN_<slug>``. pytest runs the same functions as tests
(``pytest --submission``, see pytest_plugin.py); pytest marks on a check
(``@pytest.mark.cuda``) become the marks of its test.
"""
import importlib
from dataclasses import dataclass
from typing import Callable


class CheckFailed(Exception):
    """The verdict of a failing check; its message is shown to the student."""


def expect(condition, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


@dataclass(frozen=True)
class Check:
    name: str
    points: float
    title: str
    func: Callable


def check(points: float, title: str):
    def register(func):
        func.check = Check(func.__name__, points, title, func)
        return func
    return register


def checks_for(assignment: str) -> dict[str, Check]:
    """The checks of ``NN_slug``, in the order they are defined."""
    slug = assignment.split("_", 1)[1]
    module = importlib.import_module(f"autograder.checks.{slug}")
    return {f.check.name: f.check for f in vars(module).values() if hasattr(f, "check")}
