"""Mutation analysis: every automatic mutant of a solution is caught by a check, or reviewed.

The mutants are graded with the other variants, in one batch per assignment (``ast:<id>`` in
``conftest.variants``). A survivor is either killed by a stronger check or listed, with the
reason it is equivalent, in ``EQUIVALENT`` in ``examples/mutants/<slug>.py``.
"""
import functools

import pytest

from autograder import mutants
from autograder.__main__ import main
from autograder.notebook import assignments


@functools.cache
def generated(assignment):
    return mutants.generate(assignment)


def _line(m):
    return f"{m.id}\n      {m.original}\n    → {m.mutated}"


@pytest.mark.parametrize("assignment", assignments())
def test_every_mutant_is_killed_or_reviewed_equivalent(graded, assignment):
    baseline = graded[assignment, "solution"]
    equivalent = mutants.equivalent(assignment)
    survivors = [m for m in generated(assignment) if m.id not in equivalent
                 and not mutants.killed(graded[assignment, f"ast:{m.id}"], baseline)]
    assert not survivors, (f"{len(survivors)} surviving mutants of {assignment}: strengthen a check, or list "
                           "them in EQUIVALENT with the reason they are equivalent\n"
                           + "\n".join(map(_line, survivors)))


@pytest.mark.parametrize("assignment", assignments())
def test_equivalent_entries_are_current(graded, assignment):
    """Every reviewed-equivalent mutant is still generated and still survives, with a reason."""
    baseline = graded[assignment, "solution"]
    ids = {m.id for m in generated(assignment)}
    equivalent = mutants.equivalent(assignment)
    gone = [i for i in equivalent if i not in ids]
    assert not gone, f"EQUIVALENT lists mutants no longer generated: {gone}"
    now_killed = [i for i in equivalent if mutants.killed_for_sure(graded[assignment, f"ast:{i}"], baseline)]
    assert not now_killed, f"EQUIVALENT lists mutants that a check now kills: {now_killed}"
    assert all(isinstance(why, str) and why.strip() for why in equivalent.values())


CODE = '''import torch


class Layer(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("scale", torch.ones(3))

    def forward(self, x, y):
        """Docstrings are left alone."""
        z = x + y * 2
        if z.sum() > 0 and not y.requires_grad:
            z = z.clone()
        with torch.no_grad():
            self.scale.copy_(z.mean(dim=0))
        print("z", z.sum(1))
        return torch.cat((x, z), dim=-1)
'''

EXPECTED = {  # id: the changed line(s)
    "c:4:0:drop-stmt": "pass",
    "c:7:28:attr-buffer": "self.scale = torch.ones(3)",
    "c:7:28:swap-args": "self.register_buffer(torch.ones(3), 'scale')",
    "c:7:49:const": "self.register_buffer('scale', torch.ones(4))",
    "c:11:13:Add-Sub": "z = x - y * 2",
    "c:11:17:Mult-Div": "z = x + y / 2",
    "c:11:20:const": "z = x + y * 3",
    "c:12:18:Gt-GtE": "if z.sum() >= 0 and (not y.requires_grad):",
    "c:12:21:const": "if z.sum() > 1 and (not y.requires_grad):",
    "c:12:22:And-Or": "if z.sum() > 0 or not y.requires_grad:",
    "c:12:27:drop-not": "if z.sum() > 0 and y.requires_grad:",
    "c:13:23:drop-call.clone": "z = z",
    "c:14:8:unwrap-no_grad": "self.scale.copy_(z.mean(dim=0))",
    "c:15:28:out-of-place": "self.scale = z.mean(dim=0)",
    "c:15:36:drop-kwarg.dim": "self.scale.copy_(z.mean())",
    "c:15:40:dim": "self.scale.copy_(z.mean(dim=1))",
    "c:17:24:swap-args": "return torch.cat((z, x), dim=-1)",
    "c:17:37:dim": "return torch.cat((x, z), dim=0)",
}


def test_mutator_operators_and_ids():
    found = {m.id: m for m in mutants.mutate_code(CODE, "c")}
    for mid, line in EXPECTED.items():
        assert mid in found and found[mid].mutated == line, (mid, found.get(mid))
    assert found["c:11:13:Add-Sub"].original == "z = x + y * 2"
    wrapped = found["c:11:8:wrap-no_grad"].source
    assert '"""Docstrings are left alone."""\n        with torch.no_grad():\n            z = x + y * 2' in wrapped
    # Not mutated: the import (a notebook imported it already), the docstring, print's arguments,
    # and statements that are alone in their body.
    assert not any(m.line in (1, 10, 16) for m in found.values())
    assert "c:13:12:drop-stmt" not in found
    assert [m.id for m in found.values() if m.operator == "wrap-no_grad"] == ["c:11:8:wrap-no_grad"]  # not __init__
    # Each mutant differs from the original and from the others, and compiles.
    sources = [m.source for m in found.values()]
    assert len(set(sources)) == len(sources)
    for source in sources:
        compile(source, "<mutant>", "exec")
    # Ids are stable: the same code gives the same ids in the same order.
    assert [m.id for m in mutants.mutate_code(CODE, "c")] == list(found)
    assert mutants.mutate_code("def broken(:\n", "c") == []


def test_only_the_students_lines_are_mutated():
    """The scaffold around ``### BEGIN SOLUTION`` comes with the release: not mutated."""
    code = ("def f(x, n=3):\n    ### BEGIN SOLUTION\n    y = x + 1\n    return y * n\n"
            "    ### END SOLUTION\n\n\ndef g(k=4):\n    return k\n")
    found = {m.id: m.mutated for m in mutants.mutate_code(code, "c")}
    assert found == {"c:3:4:drop-stmt": "pass", "c:3:9:Add-Sub": "y = x - 1", "c:3:9:in-place": "y = x.add_(1)",
                     "c:3:12:const": "y = x + 0",
                     "c:4:4:drop-stmt": "pass", "c:4:12:Mult-Div": "return y / n"}, found


def test_every_assignment_has_mutants_within_budget():
    """Kept small by design: make test grades them all."""
    for assignment in assignments():
        ms = generated(assignment)
        assert 20 <= len(ms) <= 150, (assignment, len(ms))
        assert len({m.id for m in ms}) == len(ms)


def test_checks_map_to_their_answer_cells():
    cells = mutants.cell_of_check("01_blocks")
    assert cells["mlp_forward"] == "mlp" and cells["parallel_block"] == "parallel_block_answer"


def test_unknown_assignment_is_a_usage_error(capsys):
    assert main(["mutants", "99_nothing"]) == 2
    assert "unknown assignment" in capsys.readouterr().err


def test_select_by_cell_or_check():
    everything = generated("01_blocks")
    by_check = mutants.select("01_blocks", everything, only="parallel_block")
    assert by_check and {m.cell for m in by_check} == {"parallel_block_answer"}
    assert by_check == mutants.select("01_blocks", everything, only="parallel_block_answer")
    assert mutants.select("01_blocks", everything, limit=5) == mutants.select("01_blocks", everything, limit=5)
    assert len(mutants.select("01_blocks", everything, limit=5)) == 5
    with pytest.raises(ValueError):
        mutants.select("01_blocks", everything, only="nothing")


def test_side_effect_and_sharing_operators():
    code = ("def center(X, lr=0.1):\n    return X - X.mean() * lr\n\n\n"
            "def stack(make, n):\n    return nn.Sequential(*[make() for _ in range(n)])\n")
    found = {m.id: m.mutated for m in mutants.mutate_code(code, "c")}
    assert found["c:2:12:in-place"] == "return X.sub_(X.mean() * lr)"
    assert found["c:6:26:share-items"] == "return nn.Sequential(*[make()] * n)"
    assert not any("lr.mul_" in line for line in found.values())  # a number's default: no tensor
