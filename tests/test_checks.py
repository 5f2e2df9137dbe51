"""The checks are right: the solution gets full marks, the release 0, and every check can fail."""
import re

import nbformat
import pytest

from autograder.notebook import assignments, grade_id, is_test, source_path, visible_part
from autograder.registry import checks_for
from examples import sample_class

MUTANTS = [(a, label) for a in assignments() for label in sample_class.mutants(a)]
ALTERNATIVES = [(a, name) for a in assignments() for name in sample_class.alternatives(a)]


@pytest.mark.parametrize("assignment", assignments())
def test_solution_scores_full_marks(graded, assignment):
    result = graded[assignment, "solution"]
    failed = {t.name: t.output for t in result.tests if not t.passed}
    assert result.status == "ok" and not failed and result.score == result.max_score > 0, failed


@pytest.mark.parametrize("assignment", assignments())
def test_untouched_release_scores_zero(graded, assignment):
    assert graded[assignment, "release"].score == 0


@pytest.mark.parametrize("assignment,name", ALTERNATIVES)
def test_alternative_solution_scores_full_marks(graded, assignment, name):
    result = graded[assignment, f"alternative:{name}"]
    failed = {t.name: t.output for t in result.tests if not t.passed}
    assert result.status == "ok" and not failed and result.score == result.max_score, failed


@pytest.mark.parametrize("assignment", assignments())
def test_at_least_six_alternatives(assignment):
    assert len(sample_class.alternatives(assignment)) >= 6


@pytest.mark.parametrize("assignment,label", MUTANTS)
def test_wrong_answer_loses_exactly_its_check(graded, assignment, label):
    check = sample_class.mutants(assignment)[label][0]
    result = graded[assignment, f"mutant:{label}"]
    failed = [t.name for t in result.tests if not t.passed]
    assert failed == [check], [(t.name, t.output) for t in result.tests if not t.passed]
    assert result.score == result.max_score - checks_for(assignment)[check].points


@pytest.mark.parametrize("assignment", assignments())
def test_every_check_has_a_wrong_answer(assignment):
    assert set(checks_for(assignment)) == {check for check, _ in sample_class.mutants(assignment).values()}


@pytest.mark.parametrize("assignment", assignments())
def test_each_test_cell_runs_its_check_for_its_points(assignment):
    """nbgrader's points and the checks' points are the same numbers, cell for cell."""
    cells = [c for c in nbformat.read(source_path(assignment), 4).cells if is_test(c)]
    checks = checks_for(assignment)
    assert [grade_id(c) for c in cells] == list(checks), "test cells and checks differ or are out of order"
    for cell in cells:
        name = grade_id(cell)
        assert cell.metadata.nbgrader.points == checks[name].points, name
        call = f'autograder.run("{assignment}", "{name}", globals())'
        hidden = re.search(r"### BEGIN HIDDEN TESTS\n(.*)### END HIDDEN TESTS", cell.source, re.S)
        assert hidden and hidden.group(1).strip() == f"import autograder; {call}", name


@pytest.mark.parametrize("assignment", assignments())
def test_visible_assertions_are_implied_by_the_hidden_check(graded, assignment):
    """nbgrader stops a test cell at its first failing visible assertion, and the CI grader
    scores that cell 0 too; that is right only if the hidden check fails as well, on every
    submission graded here (solutions, wrong answers, alternatives, automatic mutants)."""
    graded[assignment, "solution"]  # grades the whole batch
    results = graded.results[assignment]
    wrong = [(label, v.name) for label, r in results.items() for v in r.tests if v.visible_failed and v.hidden_passed]
    assert not wrong, wrong
    source = nbformat.read(source_path(assignment), 4)
    assert any(visible_part(c) for c in source.cells if is_test(c)), "no visible assertions for students"
