"""Plain data: the only things that cross from a student's code to the judge.

A check never touches a student's objects. What the student's code produced is turned into
tensors, numbers, strings and containers of them, and read back by an unpickler that builds
nothing else. An object that "equals everything", a tensor subclass or a patched method cannot
survive the trip.

Two encodings, told apart by the first byte. The usual one (``P``) is a pickle in which each
tensor is its dtype, shape and bytes; its unpickler resolves no global but ``_tensor``, which
checks them (Python's own "restricting globals" recipe, at C speed). Anything else (a view, a
tensor that requires grad, a dtype, a generator ...) goes through ``torch.save`` and
``torch.load(weights_only=True)`` (``T``), which keeps their exact form but whose unpickler,
written in Python, takes about 0.2 ms a tensor (``P``: 0.02 ms).
"""
import io
import math
import pickle

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
    if _simple(value, {}):
        return b"P" + _dumps(value)
    buffer = io.BytesIO()
    buffer.write(b"T")
    torch.save(value, buffer)
    return buffer.getvalue()


def load(data: bytes):
    if len(data) > LIMIT:
        raise ValueError(f"answer of {len(data)} bytes is over the {LIMIT} byte limit")
    kind, body = data[:1], io.BytesIO(memoryview(data)[1:])
    if kind == b"P":
        value = _Unpickler(body).load()
        _only_plain(value)
        return value
    if kind == b"T":
        return torch.load(body, weights_only=True)
    raise pickle.UnpicklingError("not plain data")


def _simple(value, storages: dict, depth=0) -> bool:
    """Only builtin values and whole, contiguous CPU tensors that share no memory: what
    ``_tensor`` rebuilds exactly."""
    kind = type(value)
    if value is None or kind in (bool, int, float, str, bytes):
        return True
    if depth > 20:
        return False
    if kind in (list, tuple):
        return all(_simple(v, storages, depth + 1) for v in value)
    if kind is dict:
        return all(type(k) in (str, int) and _simple(v, storages, depth + 1) for k, v in value.items())
    if kind is not torch.Tensor or value.layout != torch.strided or value.device.type != "cpu" \
            or value.requires_grad or value._base is not None or value.storage_offset() != 0 \
            or not value.is_contiguous() or value.is_quantized or value.is_conj() or value.is_neg() \
            or value.untyped_storage().nbytes() != value.numel() * value.element_size():
        return False
    pointer = value.untyped_storage().data_ptr()
    return not pointer or storages.setdefault(pointer, id(value)) == id(value)


def _only_plain(value, depth=0) -> None:
    """A pickle can still hold a set, a bytearray, a cycle or ``_tensor`` itself: refuse them."""
    kind = type(value)
    if value is None or kind in (bool, int, float, str, bytes, torch.Tensor):
        return
    if depth > 40 or kind not in (list, tuple, dict):
        raise pickle.UnpicklingError(f"not plain data: {kind.__name__}")
    for item in (value if kind is not dict else [*value.keys(), *value.values()]):
        _only_plain(item, depth + 1)


_DTYPES = {str(t).removeprefix("torch."): t for t in vars(torch).values() if isinstance(t, torch.dtype)}


def _tensor(dtype: str, shape: tuple, data: bytes) -> torch.Tensor:
    kind = _DTYPES.get(dtype) if type(dtype) is str else None
    if kind is None or type(shape) is not tuple or not all(type(n) is int and n >= 0 for n in shape) \
            or type(data) is not bytes or len(data) != math.prod(shape) * kind.itemsize:
        raise pickle.UnpicklingError("not a plain tensor")
    if not data:
        return torch.empty(shape, dtype=kind)
    return torch.frombuffer(bytearray(data), dtype=torch.uint8).view(kind).reshape(shape)


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj):
        if type(obj) is torch.Tensor:
            data = obj.reshape(-1).view(torch.uint8).numpy().tobytes() if obj.numel() else b""
            return _tensor, (str(obj.dtype).removeprefix("torch."), tuple(obj.shape), data)
        return NotImplemented


def _dumps(value) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=5).dump(value)
    return buffer.getvalue()


class _Unpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if (module, name) == (__name__, "_tensor"):
            return _tensor
        raise pickle.UnpicklingError(f"not plain data: {module}.{name}")
