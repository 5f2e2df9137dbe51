"""Plain data (autograder/plain.py): what the judge reads back is what was sent, and crafted bytes
(a submission can write anything to its end of the pipe) build nothing but plain data."""
import os
import pickle

import pytest
import torch

from autograder import plain

X = torch.randn(4)
ROUND_TRIP = {
    "cell reply": (None, "output"),
    "probe answer": (True, {"a": [torch.randn(5, 3) for _ in range(3)], "n": 3, "s": "x", "f": 0.5, "b": b"\0"}),
    "scalar tensor": torch.tensor(3.5),
    "empty tensor": torch.zeros(0, 3),
    "bool": torch.ones(2, 3, dtype=torch.bool),
    "complex": torch.randn(2, 2, dtype=torch.complex64),
    "bfloat16": torch.randn(3, dtype=torch.bfloat16),
    "int keys": {1: (1, 2.5), "a": None},
    "transposed": torch.arange(6.0).reshape(2, 3).t(),
    "requires grad": {"x": torch.randn(3, requires_grad=True)},
    "dtype and device": [torch.float64, torch.device("cpu"), torch.Size([2, 3])],
    "parameter": torch.nn.Parameter(torch.ones(2)),
    "one tensor twice": [X, X],
    "a view of another": [X, X[1:]],
}
FAST = {"cell reply", "probe answer", "scalar tensor", "empty tensor", "bool", "complex", "bfloat16", "int keys",
        "one tensor twice"}


def same(a, b) -> bool:
    if isinstance(a, torch.Tensor):
        return (type(a) is type(b) and a.dtype == b.dtype and a.shape == b.shape and a.stride() == b.stride()
                and a.requires_grad == b.requires_grad and torch.equal(a.detach(), b.detach()))
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(same(p, q) for p, q in zip(a, b))
    if isinstance(a, dict):
        return type(a) is type(b) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


@pytest.mark.parametrize("name", ROUND_TRIP)
def test_round_trip(name):
    data = plain.dump(ROUND_TRIP[name])
    assert data[:1] == (b"P" if name in FAST else b"T")  # the rest keeps torch.save's exact semantics
    back = plain.load(data)
    assert same(ROUND_TRIP[name], back)
    if name == "one tensor twice":
        assert back[0] is back[1]
    if name == "a view of another":
        back[0][1] = 42.0
        assert back[1][0] == 42.0  # still one storage


class Reduce:
    def __init__(self, *reduced):
        self.reduced = reduced

    def __reduce__(self):
        return self.reduced


cycle = []
cycle.append(cycle)
CRAFTED = {
    "a call": pickle.dumps(Reduce(os.system, ("echo reached",))),
    "a class": pickle.dumps(torch.nn.Linear(2, 2)),
    "the builder itself": pickle.dumps(plain._tensor),
    "a set": pickle.dumps({1, 2}),
    "a bytearray": pickle.dumps(bytearray(b"x")),
    "a cycle": pickle.dumps(cycle),
    "a shape that lies": pickle.dumps(Reduce(plain._tensor, ("float32", (3,), b"\0" * 8))),
    "a negative shape": pickle.dumps(Reduce(plain._tensor, ("float32", (-1,), b""))),
    "not a dtype": pickle.dumps(Reduce(plain._tensor, ("_dynamo", (1,), b"\0"))),
    "truncated": b"garbage",
}


@pytest.mark.parametrize("name", CRAFTED)
def test_crafted_bytes_are_refused(name):
    with pytest.raises(pickle.UnpicklingError):
        plain.load(b"P" + CRAFTED[name])


def test_unknown_encoding_is_refused():
    with pytest.raises(pickle.UnpicklingError):
        plain.load(b"X" + pickle.dumps(1))
