"""Run one check against a Student and turn what happened into a verdict for the student."""
from dataclasses import dataclass

from .registry import Check, CheckFailed
from .student import StudentError


class SandboxGone(Exception):
    """The submission's process is no more (time limit, crash): no check can ask it anything."""


@dataclass
class Verdict:
    name: str
    title: str
    max_score: float
    score: float
    output: str
    # The cell's visible assertions failed: nbgrader stops the cell there, so the check scores 0.
    # They must be implied by the hidden check; ``hidden_passed`` lets the tests prove it.
    visible_failed: bool = False
    hidden_passed: bool = False

    @property
    def passed(self) -> bool:
        return self.score == self.max_score and not self.visible_failed


def judge(check: Check, student) -> Verdict:
    try:
        check.func(student)
    except (CheckFailed, AssertionError) as failure:  # expect(...) or a pytest-style assert
        message = str(failure) or f"{check.title}不成立。"
    except StudentError as error:
        message = f"检查运行你的代码时出错：{error}"
        if str(error).startswith("NameError"):
            message += "。提示：这个名字还没有定义——是否还没作答，或定义它的单元格运行出错了？"
    except SandboxGone:
        raise
    except Exception as error:  # the student's objects were not of the expected form
        message = f"你的代码给出的结果形式不对，检查无法继续({type(error).__name__})。"
    else:
        return Verdict(check.name, check.title, check.points, check.points, "通过")
    return Verdict(check.name, check.title, check.points, 0, f"未通过：{message}")
