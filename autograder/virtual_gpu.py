"""Virtual GPUs: the judge's stand-in for CUDA devices, used by 08_gpu's probes.

Probes import it inside the student's process (``from autograder.virtual_gpu import VirtualGPU``),
so it lives outside ``autograder/checks/``, which that process may not read. It holds nothing a
student could not read in the notebook: how the virtual devices behave.

Inside ``with VirtualGPU():`` a tensor "on cuda:k" is a CPU tensor tagged cuda:k. ``.device``,
``.is_cuda``, ``.get_device()``, ``.to``, ``.cuda``, ``.cpu``, ``.type_as``, factories with
``device=`` and ``Module.to`` follow the tag; every op enforces CUDA's rule (one device per op,
0-dim CPU tensors excepted), and ``.to()``/``.cuda()`` return the tensor itself when it is already
there. Copies to the host (``.item()``, ``.tolist()``, ``.cpu()``, ``float()``, ``print`` ...) are
counted in ``transfers``. It costs nothing and exists on every runner, so a check gives the same
verdict on a CPU and on a CUDA machine. (The meta device is no substitute: the first computation on
it imports torch._dynamo, about 5 s, and it lets a CPU and a meta operand meet in a matmul.)
"""
import torch
from torch.overrides import TorchFunctionMode

__all__ = ["VirtualGPU"]


def tensors_in(obj, found=None) -> list:
    """The tensors in ``obj`` and the lists, tuples and dicts it holds (what an op takes or returns);
    a few times faster than torch's pytree, which every op of a probe would pay."""
    found = [] if found is None else found
    if isinstance(obj, torch.Tensor):
        found.append(obj)
    elif isinstance(obj, (list, tuple)):
        for item in obj:
            if isinstance(item, (torch.Tensor, list, tuple, dict)):
                tensors_in(item, found)
    elif isinstance(obj, dict):
        for item in obj.values():
            tensors_in(item, found)
    return found


class VirtualGPU(TorchFunctionMode):
    """Data stays on the CPU, each tensor carries the CUDA device it would be on, and ops follow
    CUDA's device rules (one device per op, 0-dim CPU tensors excepted; .to() returns the tensor
    itself when it is already there)."""

    TAG = "_judge_virtual_device"
    # Tensor methods that copy a GPU tensor's data to the host.
    HOST = {"item", "tolist", "numpy", "__float__", "__int__", "__bool__", "__index__", "__repr__",
            "__str__", "__format__", "__array__", "__complex__"}
    # Bookkeeping that touches no data: no device rule applies.
    FREE = {"_parse_to", "_has_compatible_shallow_copy_type", "is_same_size", "_is_view", "is_set_to"}

    def __init__(self):
        super().__init__()
        self.transfers = 0

    # -- devices
    @staticmethod
    def norm(device) -> str:
        """A device argument as ``cuda:k`` or its plain name (``cuda`` means ``cuda:0``)."""
        if isinstance(device, int):
            return f"cuda:{device}"
        device = torch.device(device)
        if device.type == "cuda":
            return f"cuda:{device.index or 0}"
        return str(device)

    def dev(self, t) -> str:
        """Where tensor ``t`` is: its tag, or its real device."""
        return getattr(t, self.TAG, None) or str(t.device)

    def tag(self, out, device: str):
        """Mark every tensor in ``out`` as living on ``device`` (untag it for a real device)."""
        for t in tensors_in(out):
            if device.startswith("cuda"):
                setattr(t, self.TAG, device)
            elif getattr(t, self.TAG, None):
                delattr(t, self.TAG)
        return out

    def move(self, t, target: str, call):
        """``t`` moved to ``target``; ``call(copy)`` runs the real op on the CPU."""
        source = self.dev(t)
        if target == source:
            return self.tag(call(False), target)
        if source.startswith("cuda") and target == "cpu":
            self.transfers += 1
        return self.tag(call(True), target)

    # -- the mode
    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = dict(kwargs or {})
        name = getattr(func, "__name__", "")
        owner = getattr(func, "__self__", None)
        T = torch.Tensor
        if name in ("__get__", "__set__") and owner is not None:
            return self._attribute(func, getattr(owner, "__name__", ""), name, args, kwargs)
        if func is T.get_device:
            d = self.dev(args[0])
            return int(d.split(":")[1]) if d.startswith("cuda") else -1
        if func is T.to:
            return self._to(func, args, kwargs)
        if func is T.cuda:
            device = args[1] if len(args) > 1 else kwargs.get("device")
            target = self.norm(0 if device is None else device)
            return self.move(args[0], target, lambda copy: args[0].clone() if copy else args[0])
        if func is T.cpu:
            return self.move(args[0], "cpu", lambda copy: args[0].clone() if copy else args[0])
        if func is T.type_as:
            return self.move(args[0], self.dev(args[1]), lambda copy: args[0].to(args[1].dtype, copy=copy))
        if func in (T.copy_, T.__setitem__):
            dst = args[0]
            values = tensors_in((args[1:], kwargs))
            if self.dev(dst) == "cpu" and any(self.dev(t).startswith("cuda") for t in values):
                self.transfers += 1
            return func(*args, **kwargs)
        if name in self.HOST and args and isinstance(args[0], torch.Tensor):
            if self.dev(args[0]).startswith("cuda"):
                self.transfers += 1
            return func(*args, **kwargs)
        if name in self.FREE:
            return func(*args, **kwargs)
        if name in ("tensor", "as_tensor", "asarray") and args and isinstance(args[0], (list, tuple)):
            # built from Python data: every GPU scalar inside is read back to the host, one by one
            self.transfers += sum(1 for t in tensors_in(args[0]) if self.dev(t).startswith("cuda"))
            target = self.norm(kwargs["device"]) if kwargs.get("device") is not None else "cpu"
            if target.startswith("cuda"):
                kwargs["device"] = torch.device("cpu")
            return self.tag(func(*args, **kwargs), target)
        # a factory asked for a CUDA device
        if kwargs.get("device") is not None:
            target = self.norm(kwargs["device"])
            kwargs["device"] = torch.device("cpu") if target.startswith("cuda") else kwargs["device"]
            return self.tag(func(*args, **kwargs), target)
        return self._op(func, args, kwargs)

    def _attribute(self, func, prop, name, args, kwargs):
        """A tensor property: ``device``, ``is_cuda`` and ``is_cpu`` answer the tag; ``.data = ``
        takes its value's device; other properties (.T, .mT, .data, .grad ...) live where the tensor lives."""
        self_ = args[0]
        if prop == "device" and name == "__get__":
            return torch.device(self.dev(self_))
        if prop == "is_cuda" and name == "__get__":
            return self.dev(self_).startswith("cuda")
        if prop == "is_cpu" and name == "__get__":
            return self.dev(self_) == "cpu"
        if prop == "data" and name == "__set__":
            out = func(*args, **kwargs)
            self.tag(self_, self.dev(args[1]))
            return out
        out = func(*args, **kwargs)
        if name == "__get__" and self.dev(self_).startswith("cuda"):
            self.tag(out, self.dev(self_))
        return out

    def _to(self, func, args, kwargs):
        """``Tensor.to``: the device may come first, as a keyword or from another tensor."""
        self_, rest = args[0], list(args[1:])
        target = None
        if rest and isinstance(rest[0], (str, torch.device, int)) and not isinstance(rest[0], bool):
            target = self.norm(rest[0])
            rest[0] = torch.device("cpu") if target.startswith("cuda") else rest[0]
        elif rest and isinstance(rest[0], torch.Tensor):
            target = self.dev(rest[0])
        if kwargs.get("device") is not None:
            target = self.norm(kwargs["device"])
            kwargs["device"] = torch.device("cpu") if target.startswith("cuda") else kwargs["device"]
        if target is None:
            return self.tag(func(self_, *rest, **kwargs), self.dev(self_))
        return self.move(self_, target,
                         lambda copy: func(self_, *rest, **{**kwargs, "copy": copy or kwargs.get("copy", False)}))

    def _op(self, func, args, kwargs):
        """Any other op: its tensors must share one device (0-dim CPU tensors excepted), as on CUDA."""
        tensors = tensors_in((args, kwargs))
        if func is torch.Tensor.__getitem__:
            found = {self.dev(args[0])}
        else:
            found = {self.dev(t) for t in tensors if not (t.dim() == 0 and self.dev(t) == "cpu")}
            if not found and tensors:
                found = {"cpu"}
        if len(found) > 1:
            raise RuntimeError("Expected all tensors to be on the same device, but found at least two devices, "
                               + " and ".join(sorted(found)) + "!")
        out = func(*args, **kwargs)
        if found:
            device = found.pop()
            if device.startswith("cuda"):
                self.tag(out, device)
        return out
