"""Autograder for the d2l chapter 5 course: hidden checks, a sandboxed CI grader, reports.

In a notebook, a hidden test cell calls ``autograder.run(assignment, check, globals())``:
nbgrader then scores that cell exactly as the CI grader scores that check.
"""


def run(assignment: str, name: str, namespace: dict) -> None:
    from .judge import judge
    from .registry import checks_for
    from .student import LocalStudent

    verdict = judge(checks_for(assignment)[name], LocalStudent(namespace, name))
    if not verdict.passed:
        raise AssertionError(f"{verdict.title}:{verdict.output}") from None
    print(f"{verdict.title}：通过")
