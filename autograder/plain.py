"""Plain data: the only things that cross from a student's code to the judge.

A check never touches a student's objects. What the student's code produced is turned into
tensors, numbers, strings and containers of them, saved with ``torch.save`` and read back with
``torch.load(weights_only=True)``, whose unpickler builds nothing else. An object that
"equals everything", a tensor subclass or a patched method cannot survive the trip.
"""
import io

import torch

LIMIT = 64 * 2**20  # bytes: a probe answer larger than this is refused


class NotPlain(str):
    """Stands for a value that is not plain data; it travels as the string ``<TypeName>``."""


def plain(value, _depth=0):
    if _depth > 20:
        return "<too deep>"
    if value is None or type(value) in (bool, int, float, str, bytes):
        return value
    if isinstance(value, torch.Tensor):
        if isinstance(value, torch.nn.parameter.UninitializedTensorMixin):
            return "<UninitializedParameter>"
        return value.detach().cpu().clone().as_subclass(torch.Tensor)
    if isinstance(value, torch.Size):
        return tuple(int(n) for n in value)
    if isinstance(value, (torch.dtype, torch.device)):
        return str(value)
    if isinstance(value, (list, tuple)):
        items = [plain(v, _depth + 1) for v in value]
        return items if isinstance(value, list) else tuple(items)
    if isinstance(value, dict):
        return {str(k): plain(v, _depth + 1) for k, v in value.items()}
    for kind in (bool, int, float, str):  # numpy scalars and other subclasses
        if isinstance(value, kind):
            return kind(value)
    return f"<{type(value).__name__}>"


def dump(value) -> bytes:
    buffer = io.BytesIO()
    torch.save(value, buffer)
    return buffer.getvalue()


def load(data: bytes):
    if len(data) > LIMIT:
        raise ValueError(f"answer of {len(data)} bytes is over the {LIMIT} byte limit")
    return torch.load(io.BytesIO(data), weights_only=True)
