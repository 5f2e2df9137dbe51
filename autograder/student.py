"""What a check sees of a submission: a ``Student`` that runs probe code in the student's
namespace and returns plain data.

Two kinds, one behaviour: ``LocalStudent`` probes the namespace of the running kernel (a hidden
test cell under nbgrader); ``RemoteStudent`` (sandbox.py) probes a sandboxed child process.
Both go through ``probe`` and the plain-data round trip, so a check judges the same way in both.
"""
import hashlib
import traceback
from types import SimpleNamespace

import torch

from . import plain


class StudentError(Exception):
    """The student's code raised while a check ran it; the message names the error."""


def describe(error: BaseException) -> str:
    return "".join(traceback.format_exception_only(type(error), error)).strip()


# torch.manual_seed also seeds each device's generator; in a torch built without CUDA or MPS that
# only queues lazy calls, each with a traceback (0.2 ms a probe): the CPU generator is all there is.
_seed = torch.manual_seed if torch.backends.cuda.is_built() or torch.backends.mps.is_built() \
    else torch.default_generator.manual_seed


def probe(namespace: dict, code: str, inputs: dict, returns: list, seed: int) -> bytes:
    """Run ``code`` over a copy of ``namespace`` and answer the values named in ``returns``.

    The copy keeps a probe's own names (``net``, ``X``) out of the student's namespace.
    Always returns ``dump((ok, payload))``: the values, or the error's one-line description.
    """
    try:
        scope = dict(namespace)
        scope.update(inputs)
        _seed(seed)
        exec(compile(code, "<检查代码>", "exec"), scope)
        missing = [name for name in returns if name not in scope]
        if missing:
            raise NameError(f"name {missing[0]!r} is not defined")
        return plain.dump((True, {name: plain.plain(scope[name]) for name in returns}))
    except BaseException as error:  # a student's SystemExit is an error like any other
        if isinstance(error, KeyboardInterrupt):
            raise
        return plain.dump((False, describe(error)))


class Student:
    """Base: ``run`` code with inputs, get back a namespace of plain values."""

    def __init__(self, check_name: str = ""):
        # The judge's own random inputs: a generator per check, never the global one.
        seed = int.from_bytes(hashlib.sha256(check_name.encode()).digest()[:4], "little")
        self.rng = torch.Generator().manual_seed(seed)

    def run(self, code: str, returns: str = "", seed: int = 0, **inputs) -> SimpleNamespace:
        names = returns.split()
        ok, payload = plain.load(self._probe(code, plain.dump(inputs), names, seed))
        if not ok:
            raise StudentError(payload)
        return SimpleNamespace(**payload)

    def eval(self, expression: str, seed: int = 0, **inputs):
        return self.run(f"_value_ = ({expression})", "_value_", seed, **inputs)._value_

    def _probe(self, code, inputs: bytes, returns, seed) -> bytes:
        raise NotImplementedError


class LocalStudent(Student):
    """The namespace of this very process (nbgrader's kernel)."""

    def __init__(self, namespace: dict, check_name: str = ""):
        super().__init__(check_name)
        self.namespace = namespace

    def _probe(self, code, inputs, returns, seed):
        return probe(self.namespace, code, plain.load(inputs), returns, seed)
