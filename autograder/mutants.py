"""Mutation analysis of the checks: how many small wrong answers does each check catch?

    python -m autograder mutants NN_slug [--jobs N] [--json FILE] [--limit K] [--only CELL] [--list]

The solved notebook (the release with every answer cell filled in from ``solutions/``) is
mutated automatically, one small change at a time, in each answer cell; every mutant is graded
in one batch by the CI grader, and a mutant is *killed* when any check scores less than on the
solution or the notebook no longer runs to the end (status not ``ok``).

The mutator is this module's own, on Python's ``ast``: maintained mutation tools (mutmut,
cosmic-ray) mutate the files of a package and run its test suite, not the cells of a notebook
graded by hidden checks. Only the lines a student writes are mutated (between ``### BEGIN
SOLUTION`` and ``### END SOLUTION``; the scaffold around them comes with the release). The
operators are chosen per node, so that a notebook gets well under 120 mutants and ``make test``
can grade them all:

==================  =========================================================================
``Add-Sub`` ...     an arithmetic operator swapped (``+``/``-``, ``*``/``/``, ``@``/``*``, ...),
                    also in augmented assignments (not in a ``while`` body: that would hang)
``Lt-LtE`` ...      a comparison swapped at its boundary (``<``/``<=``, ``==``/``!=``, ``in``/...)
``And-Or``          a boolean operator swapped; ``drop-not``: ``not x`` -> ``x``; ``drop-neg``:
                    ``-x`` -> ``x``
``const``           a number changed: 0 -> 1, 1 -> 0, n -> n + 1, -1 -> 0, a float doubled (0.0
                    -> 1.0); True <-> False; ``"cuda:0"`` -> ``"cuda:1"``; ``"fan_in"`` <->
                    ``"fan_out"``, ``"relu"`` <-> ``"leaky_relu"``, ``"tanh"`` <-> ``"sigmoid"``
``dim``             a ``dim=``/``axis=`` argument changed: 0 -> 1, 1 -> 0, -1 -> 0
``drop-kwarg.K``    a keyword argument whose default differs dropped (``dim``, ``device``,
                    ``dtype``, ``map_location``, ``generator``, ``gain``, ``std`` ...)
``drop-stmt``       a statement replaced by ``pass`` (not the only one of its body, nor an
                    import, a ``print``, or an ``__init__`` that only calls ``super().__init__()``)
``drop-call.X``     ``.clone()``, ``.detach()``, ``.item()``, ``.to(...)``, ``.eval()``,
                    ``.train()``, ``.cpu()``, ``.float()`` ... dropped; ``f(x)`` -> ``x`` for
                    ``copy.deepcopy``, ``nn.Parameter``, ``nn.ModuleList``/``ModuleDict``,
                    ``F.relu``/``torch.tanh``..., and the conversions ``int``, ``float``,
                    ``tuple``, ``list``, ``str``, ``bool``
``drop-attr.data``  ``x.data`` -> ``x``
``out-of-place``    ``x.add_(y)`` -> ``x.add(y)`` (the result is lost); ``a.copy_(b)`` -> ``a = b``
``attr-buffer``     ``self.register_buffer("n", t)`` -> ``self.n = t``
``swap-args``       the first two positional arguments of a call swapped (or the first two
                    items of a tuple or list that is its only positional argument); not for
                    symmetric functions (``torch.equal`` ...) nor ``isinstance``-like builtins
``drop-item``       the last item of a set literal dropped (the quizzes' answers)
``share-items``     ``[f() for _ in range(n)]`` -> ``[f()] * n`` (one object n times)
``in-place``        arithmetic on a function's argument done in place: ``X - m`` -> ``X.sub_(m)``
``wrap-no_grad``    a function's body wrapped in ``with torch.no_grad():``: a ``forward``, or a
                    function that uses autograd (``.backward``, ``.grad``, ``.step`` ...)
``unwrap-no_grad``  a ``with torch.no_grad():`` block (or an ``@torch.no_grad()``) removed
==================  =========================================================================

A mutant's id is ``<answer cell grade_id>:<line>:<col>:<operator>``, its position in the
answer cell's source (``#2`` is appended only where two mutants would share an id), so ids stay
put while the solution does. A mutant whose code is identical to the original or to an earlier
mutant's, or does not compile, is skipped. A mutated cell's source is the unparsed module
(comments are lost; that changes nothing).

Survivors are either killed by a stronger check, or reviewed as *equivalent* (the mutant
behaves as the notebook's specification asks) and listed with the reason in
``EQUIVALENT = {"<id>": "reason", ...}`` in ``examples/mutants/<slug>.py``; the tests require
every mutant to be killed or listed there, and every entry there to be a generated survivor.
"""
import ast
import copy
import difflib
import json
import runpy
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from . import notebook
from .forkserver import JOBS
from .notebook import ROOT, grade_id, text


# ---------------------------------------------------------------------------------------------
# The mutator

@dataclass(frozen=True)
class Mutant:
    id: str
    cell: str        # the answer cell's grade_id
    line: int        # 1-based, in the answer cell's source
    col: int
    operator: str
    original: str    # the original source line
    mutated: str     # what the mutant has instead (the changed lines of the unparsed code)
    source: str      # the mutated cell's whole code


_BINOP = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult,
          ast.FloorDiv: ast.Div, ast.Mod: ast.FloorDiv, ast.Pow: ast.Mult, ast.MatMult: ast.Mult}
_CMPOP = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq,
          ast.NotEq: ast.Eq, ast.Is: ast.IsNot, ast.IsNot: ast.Is, ast.In: ast.NotIn, ast.NotIn: ast.In}
_BOOLOP = {ast.And: ast.Or, ast.Or: ast.And}
# Methods whose call can be dropped (``x.clone()`` -> ``x``) and functions whose call can be
# dropped for their first argument (``copy.deepcopy(x)`` -> ``x``).
DROP_METHODS = {"clone", "detach", "item", "to", "eval", "train", "cpu", "cuda", "float", "double",
                "contiguous", "requires_grad_", "tolist", "numpy", "copy"}
DROP_FUNCTIONS = {"deepcopy", "clone", "detach", "Parameter", "ModuleList", "ModuleDict",
                  "relu", "sigmoid", "tanh", "int", "float", "tuple", "list", "str", "bool"}
MODULES = {"torch", "nn", "F", "copy", "torch.nn", "nn.functional", "torch.nn.functional", "init", "nn.init"}
# Functions whose first two arguments can be swapped without a change.
SYMMETRIC = {"equal", "allclose", "isclose", "maximum", "minimum", "max", "min", "add", "mul", "eq", "ne"}
# Keyword arguments whose omission changes what a call does (others have harmless defaults).
DROP_KEYWORDS = {"device", "dtype", "map_location", "keepdim", "dim", "axis", "generator",
                 "nonlinearity", "gain", "std", "a", "b", "requires_grad", "strict", "inplace"}
# String arguments with a plausible wrong twin.
STRINGS = {"fan_in": "fan_out", "fan_out": "fan_in", "relu": "leaky_relu", "leaky_relu": "relu",
           "tanh": "sigmoid", "sigmoid": "tanh"}
# In-place tensor methods whose out-of-place twin exists: the mutant computes and loses the result.
IN_PLACE = {"add_", "sub_", "mul_", "div_", "clamp_", "abs_", "neg_", "exp_", "pow_", "sqrt_",
            "relu_", "sigmoid_", "tanh_", "masked_fill_", "sign_", "t_", "squeeze_", "unsqueeze_"}
DIM_KEYWORDS = {"dim", "axis", "dims"}
# Calls whose arguments are not worth mutating: output only, or a swap that only raises.
QUIET_CALLS = {"print", "isinstance", "issubclass", "getattr", "setattr", "hasattr", "super"}


def _name(node) -> str:
    """The dotted name of a function (``torch.no_grad``), or ''."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _name(node.value)
        return f"{base}.{node.attr}" if base else ""
    return ""


def _is_no_grad(node) -> bool:
    return (isinstance(node, ast.Call) and not node.args and not node.keywords
            and _name(node.func) in {"torch.no_grad", "no_grad"})


def _is_docstring(node, parent=None) -> bool:
    return (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str))


def _number(node):
    """A numeric literal, with its sign: ``3``, ``-1``, ``0.5``; None otherwise."""
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return node.value
    if (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub)
            and isinstance(node.operand, ast.Constant) and type(node.operand.value) in (int, float)):
        return -node.operand.value
    return None


def _literal(value):
    return ast.UnaryOp(ast.USub(), ast.Constant(-value)) if value < 0 else ast.Constant(value)


def _operators(node, parent, field):
    """``(operator, position node or (line, col), change)`` for every mutation of ``node``;
    ``change(node)`` returns its replacement: a node, or a list of statements to splice in."""
    ops = []
    if isinstance(node, (ast.BinOp, ast.AugAssign)) and type(node.op) in _BINOP:
        new = _BINOP[type(node.op)]
        at = (node.left.end_lineno, node.left.end_col_offset) if isinstance(node, ast.BinOp) else node
        def swap_bin(n, new=new):
            n.op = new()
            return n
        ops.append((f"{type(node.op).__name__}-{new.__name__}", at, swap_bin))
    elif isinstance(node, ast.Compare):
        for k, op in enumerate(node.ops):
            if type(op) in _CMPOP:
                new = _CMPOP[type(op)]
                left = node.left if k == 0 else node.comparators[k - 1]
                def swap_cmp(n, k=k, new=new):
                    n.ops[k] = new()
                    return n
                ops.append((f"{type(op).__name__}-{new.__name__}", (left.end_lineno, left.end_col_offset), swap_cmp))
    elif isinstance(node, ast.BoolOp):
        new = _BOOLOP[type(node.op)]
        def swap_bool(n, new=new):
            n.op = new()
            return n
        ops.append((f"{type(node.op).__name__}-{new.__name__}", (node.values[0].end_lineno, node.values[0].end_col_offset), swap_bool))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        ops.append(("drop-not", node, lambda n: n.operand))
    elif _number(node) is not None and not isinstance(parent, ast.UnaryOp):
        value = _number(node)
        if isinstance(parent, ast.keyword) and parent.arg in DIM_KEYWORDS:
            if isinstance(value, int):
                new = {0: 1, 1: 0, -1: 0}.get(value, value - 1)
                ops.append(("dim", node, lambda n, new=new: _literal(new)))
        elif isinstance(value, float):
            ops.append(("const", node, lambda n, new=value * 2 if value else 1.0: _literal(new)))
        elif isinstance(node, ast.UnaryOp) and value == -1:  # -1 is an index or a size: ...
            ops.append(("const", node, lambda n: _literal(0)))
        else:
            new = {0: 1, 1: 0}.get(value, value + 1)
            ops.append(("const", node, lambda n, new=new: _literal(new)))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        ops.append(("drop-neg", node, lambda n: n.operand))
    elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
        ops.append(("const", node, lambda n: ast.Constant(not n.value)))
    elif isinstance(node, ast.Constant) and isinstance(node.value, str) and "cuda:0" in node.value:
        ops.append(("const", node, lambda n: ast.Constant(n.value.replace("cuda:0", "cuda:1"))))
    elif isinstance(node, ast.Constant) and node.value in STRINGS and not isinstance(parent, ast.JoinedStr):
        ops.append(("const", node, lambda n: ast.Constant(STRINGS[n.value])))
    elif isinstance(node, ast.Set) and len(node.elts) >= 2:
        def drop_item(n):
            n.elts.pop()
            return n
        ops.append(("drop-item", node.elts[-1], drop_item))
    elif (isinstance(node, ast.ListComp) and len(node.generators) == 1 and not node.generators[0].ifs
          and isinstance(node.generators[0].iter, ast.Call) and _name(node.generators[0].iter.func) == "range"
          and len(node.generators[0].iter.args) == 1
          and not ({n.id for n in ast.walk(node.generators[0].target) if isinstance(n, ast.Name)}
                   & {n.id for n in ast.walk(node.elt) if isinstance(n, ast.Name)})):
        ops.append(("share-items", node, _share_items))  # [f() for _ in range(n)] -> [f()] * n
    elif isinstance(node, ast.Attribute) and node.attr == "data" and isinstance(node.ctx, ast.Load):
        ops.append(("drop-attr.data", (node.value.end_lineno, node.value.end_col_offset), lambda n: n.value))
    elif isinstance(node, ast.Call):
        ops += _call_operators(node, parent)
    elif isinstance(node, ast.With) and len(node.items) == 1 and _is_no_grad(node.items[0].context_expr):
        if isinstance(getattr(parent, field, None), list):
            ops.append(("unwrap-no_grad", node, lambda n: list(n.body)))
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        plain = [d for d in node.decorator_list if not _is_no_grad(d) and _name(d) not in {"torch.no_grad", "no_grad"}]
        if len(plain) < len(node.decorator_list):
            def undecorate(n):
                n.decorator_list = [d for d in n.decorator_list
                                    if not _is_no_grad(d) and _name(d) not in {"torch.no_grad", "no_grad"}]
                return n
            ops.append(("unwrap-no_grad", node, undecorate))
        elif node.name != "__init__" and _computes(node):
            first = node.body[1] if len(node.body) > 1 and _is_docstring(node.body[0], node) else node.body[0]
            ops.append(("wrap-no_grad", first, _wrap_no_grad))
    return ops


def _computes(func) -> bool:
    """Worth running under no_grad: a module's forward, or a function where autograd is at work
    (elsewhere, e.g. around integer arithmetic or a timer, the wrapper changes nothing)."""
    return func.name == "forward" or any(
        isinstance(sub, ast.Attribute) and sub.attr in AUTOGRAD for sub in ast.walk(func))


AUTOGRAD = {"backward", "grad", "requires_grad", "requires_grad_", "zero_grad", "step"}


def _wrap_no_grad(func):
    body = func.body
    doc = body[:1] if body and _is_docstring(body[0], func) else []
    rest = body[len(doc):]
    func.body = doc + [ast.With(items=[ast.withitem(ast.parse("torch.no_grad()", mode="eval").body)],
                                body=rest or [ast.Pass()])]
    return func


def _call_operators(node, parent):
    ops = []
    func = node.func
    if _name(func) in QUIET_CALLS:
        return ops
    method = func.attr if isinstance(func, ast.Attribute) else None
    at = (func.end_lineno, func.end_col_offset)
    statement = isinstance(parent, ast.Expr)  # a call whose result is dropped: drop-stmt covers it
    function = method is None or _name(func.value) in MODULES  # f(x), torch.f(x): not x.f()
    last = _name(func).split(".")[-1]
    if not function and method in DROP_METHODS and not statement:
        ops.append((f"drop-call.{method}", at, lambda n: n.func.value))
    elif function and last in DROP_FUNCTIONS and node.args and not isinstance(node.args[0], ast.Starred) \
            and not statement:
        ops.append((f"drop-call.{last}", at, lambda n: n.args[0]))
    for k, keyword in enumerate(node.keywords):
        if keyword.arg in DROP_KEYWORDS:
            def drop_keyword(n, k=k):
                del n.keywords[k]
                return n
            ops.append((f"drop-kwarg.{keyword.arg}", keyword, drop_keyword))
    if method in IN_PLACE:
        def out_of_place(n):
            n.func.attr = n.func.attr[:-1]
            return n
        ops.append(("out-of-place", at, out_of_place))
    if method == "copy_" and statement and len(node.args) == 1 and isinstance(
            func.value, (ast.Name, ast.Attribute, ast.Subscript)):
        ops.append(("out-of-place", at, lambda n: ("stmt", ast.Assign(
            targets=[_store(n.func.value)], value=n.args[0], lineno=0))))
    if (method == "register_buffer" and statement and len(node.args) >= 2
            and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
            and node.args[0].value.isidentifier()):
        ops.append(("attr-buffer", at, lambda n: ("stmt", ast.Assign(
            targets=[ast.Attribute(n.func.value, n.args[0].value, ast.Store())], value=n.args[1], lineno=0))))
    positional = [a for a in node.args if not isinstance(a, ast.Starred)]
    if last in SYMMETRIC:
        pass
    elif len(node.args) >= 2 and len(positional) >= 2 and not any(isinstance(a, ast.Starred) for a in node.args[:2]):
        def swap_args(n):
            n.args[0], n.args[1] = n.args[1], n.args[0]
            return n
        ops.append(("swap-args", at, swap_args))
    elif len(node.args) == 1 and isinstance(node.args[0], (ast.Tuple, ast.List)) and len(node.args[0].elts) >= 2 \
            and not any(isinstance(e, ast.Starred) for e in node.args[0].elts[:2]):
        def swap_items(n):
            elts = n.args[0].elts
            elts[0], elts[1] = elts[1], elts[0]
            return n
        ops.append(("swap-args", at, swap_items))
    return ops


def _store(target):
    target = copy.deepcopy(target)
    target.ctx = ast.Store()
    return target


def _drop_statement_points(tree):
    """``(stmt, parent, field)`` for every statement that can become ``pass``."""
    for parent in ast.walk(tree):
        for field in ("body", "orelse", "finalbody"):
            body = getattr(parent, field, None)
            if not isinstance(body, list) or len(body) < 2:
                continue
            for stmt in body:
                if _is_docstring(stmt, parent) or isinstance(stmt, (ast.Pass, ast.Import, ast.ImportFrom)):
                    continue
                if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) and _name(stmt.value.func) == "print":
                    continue
                if _only_super_init(stmt):  # nn.Module's own __init__ does the same
                    continue
                yield stmt


IN_PLACE_OF = {ast.Add: "add_", ast.Sub: "sub_", ast.Mult: "mul_", ast.Div: "div_"}


def _on_inputs(tree):
    """Arithmetic on a function's argument (``X - X.mean()``): done in place, it changes the
    caller's tensor, a side effect the checks must see."""
    for func in ast.walk(tree):
        if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            args = func.args.posonlyargs + func.args.args
            numbers = {a.arg for a, d in zip(args[len(args) - len(func.args.defaults):], func.args.defaults)
                       if _number(d) is not None}  # lr=0.2, i=0: plain numbers, no in-place methods
            names = {a.arg for a in args + func.args.kwonlyargs} - {"self"} - numbers
            for node in ast.walk(func):
                if (isinstance(node, ast.BinOp) and type(node.op) in IN_PLACE_OF
                        and isinstance(node.left, ast.Name) and node.left.id in names):
                    yield node


def _in_place(node):
    return ast.Call(ast.Attribute(node.left, IN_PLACE_OF[type(node.op)], ast.Load()), [node.right], [])


def _share_items(node):
    return ast.BinOp(ast.List([node.elt], ast.Load()), ast.Mult(), node.generators[0].iter.args[0])


def _only_super_init(stmt) -> bool:
    return (isinstance(stmt, ast.FunctionDef) and stmt.name == "__init__" and len(stmt.body) == 1
            and ast.unparse(stmt.body[0]) == "super().__init__()")


def _parents(tree):
    out = {}
    for parent in ast.walk(tree):
        for field, value in ast.iter_fields(parent):
            for child in value if isinstance(value, list) else [value]:
                if isinstance(child, ast.AST):
                    out[id(child)] = (parent, field)
    return out


def _replace(parent, field, old, new):
    value = getattr(parent, field)
    if isinstance(value, list):
        k = next(i for i, v in enumerate(value) if v is old)
        value[k:k + 1] = new if isinstance(new, list) else [new]
    else:
        setattr(parent, field, new)


def _quiet(node, parents) -> bool:
    """Inside a ``print(...)`` call or a docstring: not worth mutating. An augmented assignment
    in a ``while`` loop's body neither: ``X /= 2`` -> ``X *= 2`` hangs the loop, and a hanging
    mutant costs the cell time limit in every check that calls it."""
    child = node
    while id(child) in parents:
        parent, field = parents[id(child)]
        if isinstance(parent, ast.Call) and _name(parent.func) == "print":
            return True
        if _is_docstring(parent, None):
            return True
        if isinstance(node, ast.AugAssign) and isinstance(parent, ast.While) and field == "body":
            return True
        child = parent
    return False


BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"


def solution_lines(code: str) -> set:
    """The lines a student writes: between ``### BEGIN SOLUTION`` and ``### END SOLUTION``
    (the whole cell if it has no such markers). The scaffold around them (a class or ``def``
    line, default arguments) comes with the release and is not mutated."""
    lines = code.splitlines()
    inside, found, out = False, False, set()
    for number, line in enumerate(lines, 1):
        if line.strip() == BEGIN:
            inside = found = True
        elif line.strip() == END:
            inside = False
        elif inside:
            out.add(number)
    return out if found else set(range(1, len(lines) + 1))


def mutate_code(code: str, cell: str = "cell") -> list[Mutant]:
    """Every mutant of one answer cell's code, in a fixed order; [] if the code does not parse."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    original = ast.unparse(tree)
    lines = code.splitlines()
    nodes = list(ast.walk(tree))
    index = {id(n): i for i, n in enumerate(nodes)}
    parents = _parents(tree)
    points = []  # (node index, operator, (line, col), change)
    for i, node in enumerate(nodes):
        if _quiet(node, parents):
            continue
        parent, field = parents.get(id(node), (None, None))
        for operator, at, change in _operators(node, parent, field):
            line, col = at if isinstance(at, tuple) else (at.lineno, at.col_offset)
            points.append((i, operator, line, col, change))
    for stmt in _drop_statement_points(tree):
        points.append((index[id(stmt)], "drop-stmt", stmt.lineno, stmt.col_offset, lambda n: ast.Pass()))
    for binop in _on_inputs(tree):
        if not _quiet(binop, parents):
            points.append((index[id(binop)], "in-place", binop.left.end_lineno, binop.left.end_col_offset, _in_place))
    mine = solution_lines(code)
    points = sorted((p for p in points if p[2] in mine), key=lambda p: (p[2], p[3], p[0]))

    out, seen, ids = [], {original}, {}
    for i, operator, line, col, change in points:
        clone = copy.deepcopy(tree)
        target = list(ast.walk(clone))[i]
        parent, field = _parents(clone)[id(target)]
        new = change(target)
        if isinstance(new, tuple):  # ("stmt", node): the call's statement is replaced
            new = new[1]
            target, (parent, field) = parent, _parents(clone)[id(parent)]
        if new is not target:
            _replace(parent, field, target, new)
        try:
            ast.fix_missing_locations(clone)
            mutated = ast.unparse(clone)
            compile(mutated, f"<{cell}>", "exec")
        except (SyntaxError, ValueError, TypeError, AttributeError):
            continue
        if mutated in seen:
            continue
        seen.add(mutated)
        base = f"{cell}:{line}:{col}:{operator}"
        ids[base] = ids.get(base, 0) + 1
        mid = base if ids[base] == 1 else f"{base}#{ids[base]}"
        out.append(Mutant(mid, cell, line, col, operator,
                          lines[line - 1].strip() if 0 < line <= len(lines) else "",
                          _changed(original, mutated), mutated + "\n"))
    return out


def _changed(original: str, mutated: str, width: int = 140) -> str:
    """The mutant's changed lines, in one line."""
    added = [line[1:].strip() for line in difflib.unified_diff(original.splitlines(), mutated.splitlines(), lineterm="", n=0)
             if line.startswith("+") and not line.startswith("+++")]
    shown = " ⏎ ".join(added[:2]) + (" ⏎ …" if len(added) > 2 else "")
    return shown if len(shown) <= width else shown[:width - 1] + "…"


# ---------------------------------------------------------------------------------------------
# An assignment's mutants

def _answer_cells(nb) -> list:
    return [c for c in nb["cells"] if c.get("cell_type") == "code"
            and ((c.get("metadata") or {}).get("nbgrader") or {}).get("solution")]


def solved(assignment: str) -> dict:
    """The release with every answer cell filled in from solutions/ (what a perfect student
    hands in), as notebook JSON."""
    release = notebook.read(ROOT / "assignments" / assignment / f"{assignment}.ipynb")
    solution = notebook.read(ROOT / "solutions" / assignment / f"{assignment}.ipynb")
    answers = {grade_id(c): text(c) for c in _answer_cells(solution)}
    nb = copy.deepcopy(release)
    for cell in nb["cells"]:
        if grade_id(cell) in answers:
            cell["source"] = answers[grade_id(cell)]
    return nb


def generate(assignment: str, nb=None) -> list[Mutant]:
    """Every mutant of the assignment's answer cells, in the notebook's order."""
    nb = solved(assignment) if nb is None else nb
    out = []
    for cell in _answer_cells(nb):
        out += mutate_code(text(cell), grade_id(cell))
    return out


def apply(nb, mutant: Mutant):
    """A copy of the notebook (JSON or nbformat's) with the mutant's answer cell replaced."""
    nb = copy.deepcopy(nb)
    for cell in nb["cells"]:
        if grade_id(cell) == mutant.cell:
            cell["source"] = mutant.source
    return nb


def sample(mutants: list, limit: int | None) -> list:
    """At most ``limit`` mutants, evenly spread over the list (deterministic)."""
    if not limit or limit >= len(mutants):
        return mutants
    return [mutants[k * len(mutants) // limit] for k in range(limit)]


def cell_of_check(assignment: str) -> dict:
    """Each check's answer cell: the nearest answer cell above its test cell in the source."""
    out, current = {}, None
    for cell in notebook.read(notebook.source_path(assignment))["cells"]:
        meta = (cell.get("metadata") or {}).get("nbgrader") or {}
        if cell.get("cell_type") == "code" and meta.get("solution"):
            current = grade_id(cell)
        elif notebook.is_test(cell):
            out[grade_id(cell)] = current
    return out


def equivalent(assignment: str) -> dict:
    """Reviewed equivalent mutants: ``EQUIVALENT`` in ``examples/mutants/<slug>.py``."""
    path = ROOT / "examples" / "mutants" / f"{assignment.split('_', 1)[1]}.py"
    if not path.exists():
        return {}
    return dict(runpy.run_path(str(path)).get("EQUIVALENT", {}))


def lost(result, baseline) -> list[str]:
    """The checks that scored less than on the solution (results as grade.Result)."""
    before = {t.name: t.score for t in baseline.tests}
    return [t.name for t in result.tests if t.score < before.get(t.name, t.max_score)]


def killed(result, baseline) -> bool:
    return bool(lost(result, baseline)) or result.status != baseline.status


def killed_for_sure(result, baseline) -> bool:
    """Killed, and not merely by the cell time limit: on a busy machine a slow but equivalent
    mutant can time out, so a reviewed-equivalent mutant is reported stale only for this."""
    return killed(result, baseline) and result.status != "timeout"


# ---------------------------------------------------------------------------------------------
# The report

def analyse(assignment: str, mutants: list, results: dict, baseline, equivalents: dict, generated_ids) -> dict:
    """Scores per check, per answer cell and overall; survivors; stale EQUIVALENT entries."""
    rows = []
    for m in mutants:
        r = results[m.id]
        rows.append(dict(asdict(m), killed=killed(r, baseline), lost=lost(r, baseline), status=r.status,
                         seconds=r.execution_time,
                         equivalent=m.id in equivalents))
    checks = cell_of_check(assignment)
    per_check = {}
    for check, cell in checks.items():
        mine = [r for r in rows if r["cell"] == cell and not r["equivalent"]]
        per_check[check] = dict(cell=cell, mutants=len(mine),
                                killed=sum(1 for r in mine if check in r["lost"] or r["status"] != baseline.status))
    per_cell = {}
    for r in rows:
        c = per_cell.setdefault(r["cell"], dict(mutants=0, killed=0, equivalent=0, surviving=0))
        c["mutants"] += 1
        c["killed"] += r["killed"]
        c["equivalent"] += (not r["killed"]) and r["equivalent"]
        c["surviving"] += not r["killed"] and not r["equivalent"]
    judged = [r for r in rows if not (r["equivalent"] and not r["killed"])]
    killed_count = sum(r["killed"] for r in judged)
    graded = {m.id for m in mutants}
    stale = {i: "no longer generated" for i in equivalents if i not in generated_ids}
    stale.update({r["id"]: "now killed" for r in rows if r["equivalent"] and r["killed"] and r["status"] != "timeout"})
    return dict(assignment=assignment, mutants=len(rows), generated=len(generated_ids), killed=killed_count,
                equivalent=sum(1 for r in rows if r["equivalent"] and not r["killed"]),
                score=killed_count / len(judged) if judged else 1.0,
                solution_status=baseline.status, solution_score=[baseline.score, baseline.max_score],
                checks=per_check, cells=per_cell,
                survivors=[r for r in rows if not r["killed"] and not r["equivalent"]],
                stale=stale, graded_all=len(graded) == len(generated_ids), rows=rows)


def render(report: dict) -> str:
    out = [f"Mutation analysis of {report['assignment']}: {report['mutants']} mutants, "
           f"{report['killed']} killed, {report['equivalent']} equivalent, {len(report['survivors'])} surviving"]
    if not report["graded_all"]:
        out.append(f"(a selection: {report['mutants']} of {report['generated']} mutants; "
                   "without --only and --limit all are graded)")
    if report["solution_status"] != "ok" or report["solution_score"][0] != report["solution_score"][1]:
        out.append(f"WARNING: the solution itself scores {report['solution_score'][0]:g}/"
                   f"{report['solution_score'][1]:g} ({report['solution_status']}): fix that first")
    out += ["", "per check (mutants of its answer cell killed by this check):"]
    width = max([len(c) for c in list(report["checks"]) + list(report["cells"])] + [5])
    for check, c in report["checks"].items():
        if not c["mutants"] and not report["graded_all"]:
            continue
        score = f"{c['killed'] / c['mutants']:6.1%}" if c["mutants"] else "     -"
        out.append(f"  {check:<{width}}  {score}  {c['killed']:>3}/{c['mutants']:<3}  ({c['cell']})")
    out += ["", "per answer cell:", f"  {'cell':<{width}}  mutants  killed  equivalent  surviving"]
    for cell, c in report["cells"].items():
        out.append(f"  {cell:<{width}}  {c['mutants']:>7}  {c['killed']:>6}  {c['equivalent']:>10}  {c['surviving']:>9}")
    out += ["", f"mutation score: {report['score']:.1%} ({report['killed']} of "
                f"{report['mutants'] - report['equivalent']} non-equivalent mutants killed)"]
    if report["survivors"]:
        out += ["", f"surviving mutants ({len(report['survivors'])}): kill them with a stronger check, "
                    "or list them with a reason in EQUIVALENT"]
        for r in report["survivors"]:
            out += [f"  {r['id']}", f"      {r['original']}", f"    → {r['mutated']}"]
    if report["stale"]:
        out += ["", "stale EQUIVALENT entries (remove them):"]
        out += [f"  {i}: {why}" for i, why in report["stale"].items()]
    return "\n".join(out)


def select(assignment: str, mutants: list, only=None, limit=None) -> list:
    """``only``: mutants of one answer cell (its grade_id, or a check's name: its answer cell);
    ``limit``: at most that many, spread evenly."""
    if only:
        cells = {m.cell for m in mutants}
        cell = only if only in cells else cell_of_check(assignment).get(only)
        if cell is None:
            raise ValueError(f"{only!r} is neither an answer cell with mutants nor a check of {assignment}")
        mutants = [m for m in mutants if m.cell == cell]
    return sample(mutants, limit)


def run(assignment: str, jobs: int, limit=None, timeout: float = 10, progress=None, only=None) -> dict:
    """Generate, grade in one batch, analyse."""
    from .__main__ import course_limits
    from .forkserver import start
    from .notebook import Submission

    nb = solved(assignment)
    everything = generate(assignment, nb)
    chosen = select(assignment, everything, only, limit)
    ctx = start(len(chosen) + 1)
    from .grade import grade_all
    with tempfile.TemporaryDirectory(prefix="mutants-") as folder:
        subs = []
        for k, (label, variant) in enumerate([("solution", nb)] + [(m.id, apply(nb, m)) for m in chosen]):
            path = Path(folder) / f"{k:04d}" / assignment / f"{assignment}.ipynb"
            path.parent.mkdir(parents=True)
            with open(path, "w", encoding="utf-8") as f:
                json.dump(variant, f, ensure_ascii=False)
            subs.append(Submission(label, assignment, path))
        graded = grade_all(subs, ctx, course_limits(timeout), jobs, progress)
    results = {r.student: r for r in graded}
    return analyse(assignment, chosen, results, results["solution"], equivalent(assignment),
                   {m.id for m in everything})


def main(args) -> int:
    if args.assignment not in notebook.assignments():
        print(f"error: unknown assignment {args.assignment!r}; the course has: "
              f"{' '.join(notebook.assignments())}", file=sys.stderr)
        return 2
    try:
        chosen = select(args.assignment, generate(args.assignment), args.only, args.limit)
    except ValueError as error:
        print(f"error: --only {error}", file=sys.stderr)
        return 2
    if args.list:  # no grading: what would be graded, with ids
        for m in chosen:
            print(f"{m.id}\n      {m.original}\n    → {m.mutated}")
        print(f"{len(chosen)} mutants")
        return 0
    from .__main__ import Progress
    started = time.monotonic()
    report = run(args.assignment, args.jobs, args.limit, args.timeout, Progress(len(chosen) + 1), args.only)
    report["seconds"] = round(time.monotonic() - started, 1)
    print(render(report))
    print(f"\n{report['mutants']} mutants graded in {report['seconds']:.0f} s")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(report, out, ensure_ascii=False, indent=1)
    return 0


def add_parser(commands):
    p = commands.add_parser("mutants", help="mutation analysis: mutate the solution, grade, list survivors")
    p.add_argument("assignment", help="NN_slug, e.g. 01_blocks")
    p.add_argument("--jobs", type=int, default=JOBS, help="mutants graded at once")
    p.add_argument("--json", help="write the whole report (every mutant) here")
    p.add_argument("--limit", type=int, help="grade at most K mutants, spread evenly (for a quick look)")
    p.add_argument("--only", metavar="CELL_OR_CHECK",
                   help="only the mutants of this answer cell (a grade_id, or a check: its answer cell)")
    p.add_argument("--list", action="store_true", help="list the mutants with their ids, grade nothing")
    p.add_argument("--timeout", type=float, default=10, help="seconds per cell (default 10: mutants can loop)")
    return p
