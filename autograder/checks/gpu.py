"""Hidden checks for 08_gpu (5.6 GPU).

Every check gives the same points on a CPU runner and on a CUDA runner:

* device placement is judged on *virtual* GPUs (``_VirtualGPU`` below), the same on every runner;
  a CUDA runner also runs the same probes on its real GPU, where they behave the same;
* the GPU count (``try_gpu``) and ``torch.cuda.synchronize`` (``benchmark``) are simulated inside
  the probe, so both branches are judged on every runner;
* the two-GPU case runs on two virtual GPUs everywhere, and on real GPUs only where there are >= 2.
"""

import torch

from autograder.checks.common import cuda_tagged
from autograder.registry import check, expect

# Probe-side: a stand-in for CUDA devices that costs nothing and exists on every runner. (The meta
# device is no substitute: the first computation on it imports torch._dynamo, about 5 s, and it lets a
# CPU and a meta operand meet in a matmul.) Inside ``with _VirtualGPU():`` a tensor "on cuda:k" is
# a CPU tensor tagged cuda:k; ``.device``, ``.to``, ``.cuda``, ``.cpu``, factories with ``device=``
# and ``Module.to`` follow the tag, and every op enforces CUDA's rule: one device per op, 0-dim CPU
# tensors excepted. Copies to the host (``.item()``, ``.tolist()``, ``.cpu()`` ...) are counted.
VIRTUAL_GPU = """
import torch as _torch
from torch.overrides import TorchFunctionMode as _Mode
from torch.utils._pytree import tree_flatten as _flatten


class _VirtualGPU(_Mode):
    '''The judge's stand-in for CUDA devices: data stays on the CPU, each tensor carries the
    CUDA device it would be on, and ops follow CUDA's device rules (one device per op, 0-dim
    CPU tensors excepted; .to() returns the tensor itself when it is already there).'''

    TAG = "_judge_virtual_device"
    HOST = {"item", "tolist", "numpy", "__float__", "__int__", "__bool__", "__index__", "__repr__",
            "__str__", "__format__", "__array__", "__complex__"}

    FREE = {"_parse_to", "_has_compatible_shallow_copy_type", "is_same_size", "_is_view", "is_set_to"}

    def __init__(self):
        super().__init__()
        self.transfers = 0

    # -- devices
    @staticmethod
    def norm(device):
        if isinstance(device, int):
            return f"cuda:{device}"
        device = _torch.device(device)
        if device.type == "cuda":
            return f"cuda:{device.index or 0}"
        return str(device)

    def dev(self, t):
        return getattr(t, self.TAG, None) or str(t.device)

    def tag(self, out, device):
        for t in _flatten(out)[0]:
            if isinstance(t, _torch.Tensor):
                if device.startswith("cuda"):
                    setattr(t, self.TAG, device)
                elif getattr(t, self.TAG, None):
                    delattr(t, self.TAG)
        return out

    def move(self, t, target, call):
        '''t moved to ``target``; ``call(copy)`` runs the real op on the CPU.'''
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
        T = _torch.Tensor
        if name in ("__get__", "__set__") and owner is not None:
            prop = getattr(owner, "__name__", "")
            self_ = args[0]
            if prop == "device" and name == "__get__":
                return _torch.device(self.dev(self_))
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
                self.tag(out, self.dev(self_))  # .T, .mT, .data, .grad, ... live where the tensor lives
            return out
        if func is T.get_device:
            d = self.dev(args[0])
            return int(d.split(":")[1]) if d.startswith("cuda") else -1
        if func is T.to:
            self_, rest = args[0], list(args[1:])
            target = None
            if rest and isinstance(rest[0], (str, _torch.device, int)) and not isinstance(rest[0], bool):
                target = self.norm(rest[0])
                rest[0] = _torch.device("cpu") if target.startswith("cuda") else rest[0]
            elif rest and isinstance(rest[0], _torch.Tensor):
                other = rest[0]
                target = self.dev(other)
            if kwargs.get("device") is not None:
                target = self.norm(kwargs["device"])
                kwargs["device"] = _torch.device("cpu") if target.startswith("cuda") else kwargs["device"]
            if target is None:
                return self.tag(func(self_, *rest, **kwargs), self.dev(self_))
            return self.move(self_, target, lambda copy: func(self_, *rest, **{**kwargs, "copy": copy or kwargs.get("copy", False)}))
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
            values = [t for t in _flatten((args[1:], kwargs))[0] if isinstance(t, _torch.Tensor)]
            if self.dev(dst) == "cpu" and any(self.dev(t).startswith("cuda") for t in values):
                self.transfers += 1
            return func(*args, **kwargs)
        if name in self.HOST and args and isinstance(args[0], _torch.Tensor):
            if self.dev(args[0]).startswith("cuda"):
                self.transfers += 1
            return func(*args, **kwargs)
        if name in self.FREE:
            return func(*args, **kwargs)
        if name in ("tensor", "as_tensor", "asarray") and args and isinstance(args[0], (list, tuple)):
            # built from Python data: every GPU scalar inside is read back to the host, one by one
            self.transfers += sum(1 for t in _flatten(args[0])[0]
                                  if isinstance(t, _torch.Tensor) and self.dev(t).startswith("cuda"))
            target = self.norm(kwargs["device"]) if kwargs.get("device") is not None else "cpu"
            if target.startswith("cuda"):
                kwargs["device"] = _torch.device("cpu")
            return self.tag(func(*args, **kwargs), target)
        # a factory asked for a CUDA device
        if kwargs.get("device") is not None:
            target = self.norm(kwargs["device"])
            kwargs["device"] = _torch.device("cpu") if target.startswith("cuda") else kwargs["device"]
            return self.tag(func(*args, **kwargs), target)
        tensors = [t for t in _flatten((args, kwargs))[0] if isinstance(t, _torch.Tensor)]
        if func is T.__getitem__:
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
"""


# ---- 1. try_gpu / try_all_gpus --------------------------------------------------------------

DEVICE_REPORT = '''
import torch


def _report():
    gpu = [try_gpu(i) for i in range(5)]
    everything = try_all_gpus()
    return dict(gpu=[str(d) for d in gpu], default=str(try_gpu()),
                gpu_types=all(isinstance(d, torch.device) for d in gpu),
                all_kind=type(everything).__name__,
                all=[str(d) for d in everything] if isinstance(everything, (list, tuple)) else str(everything),
                all_types=isinstance(everything, (list, tuple)) and all(isinstance(d, torch.device) for d in everything))


def _simulate(count):
    """Answer _report() as if the machine had ``count`` GPUs."""
    real = (torch.cuda.device_count, torch.cuda.is_available)
    fake = (lambda *a, **k: count, lambda *a, **k: count > 0)
    namespaces = [getattr(f, "__globals__", {}) for f in (try_gpu, try_all_gpus)]
    saved = [(g, name, value) for g in namespaces for name, value in list(g.items())
             if any(value is r for r in real)]
    torch.cuda.device_count, torch.cuda.is_available = fake
    for g, name, value in saved:
        g[name] = fake[0] if value is real[0] else fake[1]
    try:
        return _report()
    finally:
        torch.cuda.device_count, torch.cuda.is_available = real
        for g, name, value in saved:
            g[name] = value


# device_count() asks NVML, is_available() initializes CUDA: where CUDA cannot start (a memory cap),
# the first can say 1 and the second False. Either reading of such a machine is accepted.
real_counts = sorted({torch.cuda.device_count(), torch.cuda.device_count() if torch.cuda.is_available() else 0})
real = _report()
simulated = {str(k): _simulate(k) for k in (0, 1, 3)}
'''


def _expected_devices(count):
    return dict(gpu=[f"cuda:{i}" if i < count else "cpu" for i in range(5)],
                default="cuda:0" if count else "cpu",
                all=[f"cuda:{i}" for i in range(count)] or ["cpu"])


def _judge_devices(report, count, where):
    expect(report["gpu_types"] and report["all_types"],
           f"{where}try_gpu 应返回 torch.device 对象，try_all_gpus 应返回由 torch.device 组成的列表（不是字符串）。")
    want = _expected_devices(count)
    expect(report["gpu"] == want["gpu"] and report["default"] == want["default"],
           f"{where}try_gpu(0..4) 给出 {report['gpu']}，应为 {want['gpu']}。"
           "提示：GPU 从 0 开始编号，只有至少 i + 1 块 GPU 时才返回 cuda:i，否则返回 CPU。")
    expect(report["all"] == want["all"],
           f"{where}try_all_gpus() 给出 {report['all']}，应为 {want['all']}。"
           "提示：列出全部 GPU；一块都没有时返回只含 CPU 的列表。")


@check(points=2, title="try_gpu 与 try_all_gpus")
def try_devices(student):
    r = student.run(DEVICE_REPORT, "real_counts real simulated")
    count = next((n for n in r.real_counts if r.real["gpu"] == _expected_devices(n)["gpu"]), r.real_counts[-1])
    _judge_devices(r.real, count, f"在评分机器上（GPU 数量为 {count}）,")
    for k in ("0", "1", "3"):
        _judge_devices(r.simulated[k], int(k), f"假设机器上有 {k} 块 GPU 时，")


# ---- 2. the device-mismatch error ------------------------------------------------------------

@check(points=1, title="设备不一致时的报错")
def mismatch_error(student):
    r = student.run(VIRTUAL_GPU + '''
import torch


def _truth(a, b):
    try:
        a + b
    except RuntimeError:
        return True
    return False


def _label(a, b):
    return f"{tuple(a.shape)}@{a.device} + {tuple(b.shape)}@{b.device}"


labels, answers, truth = [], [], []
with _VirtualGPU():
    g0, g1 = torch.device("cuda:0"), torch.device("cuda:1")
    pairs = [(torch.ones(3), torch.ones(3)),
             (torch.ones(2, 3), torch.ones(2, 3, device=g0)),
             (torch.ones(3, device=g0), torch.ones(1)),
             (torch.tensor(2.0), torch.ones(3, device=g0)),
             (torch.ones(2, device=g0), torch.ones(2, device=g0)),
             (torch.ones(2, device=g0), torch.ones(2, device=g1))]
    for a, b in pairs:
        labels.append("模拟的 " + _label(a, b))
        answers.append(raises_on_mismatch(a, b))
        truth.append(_truth(a, b))
if torch.cuda.is_available():
    for a, b in [(torch.ones(3), torch.ones(3, device="cuda:0")),
                 (torch.tensor(2.0), torch.ones(3, device="cuda:0")),
                 (torch.ones(3, device="cuda:0"), torch.ones(3, device="cuda:0"))]:
        labels.append(_label(a, b))
        answers.append(raises_on_mismatch(a, b))
        truth.append(_truth(a, b))
''', "labels answers truth")
    expect(all(type(a) is bool for a in r.answers), "raises_on_mismatch 应返回 True 或 False（Python 的 bool）。")
    wrong = [label for label, a, t in zip(r.labels, r.answers, r.truth) if a != t]
    expect(not wrong,
           f"raises_on_mismatch 对这些组合判断错了：{wrong}。提示：真的去计算一次 a + b 并捕获 RuntimeError;"
           "设备不同不一定报错（0 维 CPU 张量是例外），不要只比较 device。")


# ---- 3. to_device: copies, and no copy when already there ------------------------------------

@check(points=2, title="to_device 的复制与“不复制”")
def to_device_identity(student):
    x = torch.randn(2, 3, generator=student.rng)
    y = torch.randint(0, 10, (4,), generator=student.rng)
    r = student.run(VIRTUAL_GPU + '''
import contextlib
import torch


def _batch():
    return {"X": x, "pair": [y, 7], "info": ("id", x), "rate": 1.5}


batch = _batch()
same = to_device(batch, torch.device("cpu"))
same_kinds = (type(same).__name__, type(same["pair"]).__name__, type(same["info"]).__name__)
same_identity = [same["X"] is x, same["pair"][0] is y, same["info"][1] is x]
same_plain = [same["pair"][1], same["info"][0], same["rate"]]

moved = {}
runs = [("模拟的 cuda:1", _VirtualGPU, "cuda:1")]
if torch.cuda.is_available():
    runs.append(("cuda:0", contextlib.nullcontext, "cuda:0"))
for label, context, name in runs:
    with context():
        device = torch.device(name)
        batch = _batch()
        out = to_device(batch, device)
        moved[label] = dict(
            target=name,
            kinds=(type(out).__name__, type(out["pair"]).__name__, type(out["info"]).__name__),
            devices=[str(out["X"].device), str(out["pair"][0].device), str(out["info"][1].device)],
            dtypes=[str(out["X"].dtype), str(out["pair"][0].dtype)],
            plain=[out["pair"][1], out["info"][0], out["rate"]],
            untouched=[batch["X"] is x, batch["pair"][0] is y, str(x.device), str(y.device)],
            again=[to_device(out["X"], device) is out["X"],
                   to_device(out, device)["pair"][0] is out["pair"][0]])
    moved[label]["values"] = [out["X"], out["pair"][0]]
''', "same_kinds same_identity same_plain moved", x=x, y=y)
    expect(r.same_kinds == ("dict", "list", "tuple") and r.same_plain == [7, "id", 1.5],
           f"to_device 应保持容器类型（字典、列表、元组）并原样返回非张量的值；得到的容器类型为 {r.same_kinds}。")
    expect(all(r.same_identity),
           "张量已经在目标设备上时，to_device 应直接返回原张量对象本身，而不是复制一份。"
           "提示：回想 .to(device) 在张量已位于目标设备上时返回什么。")
    for label, m in r.moved.items():
        name = m["target"]
        expect(m["kinds"] == ("dict", "list", "tuple") and m["plain"] == [7, "id", 1.5],
               f"把数据放到 {label} 上时,容器类型或非张量的值变了:{m['kinds']}。")
        expect(m["devices"] == [name] * 3,
               f"to_device(data, {label}) 之后张量所在的设备是 {m['devices']},应全部为 {name}(包括嵌套在列表、元组里的)。")
        expect(m["dtypes"] == ["torch.float32", "torch.int64"], "to_device 只应改变设备，不应改变张量的类型(dtype)。")
        expect(m["untouched"] == [True, True, "cpu", "cpu"],
               "to_device 修改了传入的数据：原来的字典或张量不应被改动。提示：张量的 .to() 返回新张量，返回新的容器即可。")
        expect(all(m["again"]),
               f"对已经在 {label} 上的数据再次调用 to_device 时复制了张量；已在目标设备上的张量应原样返回（同一个对象）。")
        expect(torch.equal(m["values"][0], x) and torch.equal(m["values"][1], y), f"复制到 {label} 上的张量数值不对。")


# ---- 4. a model on a device -------------------------------------------------------------------

def _prefix_mean(X, w, b):
    H = X @ w.T + b
    return H.cumsum(dim=1) / torch.arange(1, H.shape[1] + 1, dtype=H.dtype)


@check(points=2, title="PrefixMean 在任何设备上都能运行")
def model_on_device(student):
    X = torch.randn(4, 5, generator=student.rng)
    r = student.run(VIRTUAL_GPU + '''
import contextlib
import torch

net = PrefixMean(5)
names = [name for name, _ in net.named_parameters()]
out = net(X)
weight, bias = net.linear.weight, net.linear.bias

runs = {}
cases = [("模拟的 cuda:0", _VirtualGPU, "cuda:0")]
if torch.cuda.is_available():
    cases.append(("cuda:0", contextlib.nullcontext, "cuda:0"))
for label, context, name in cases:
    run = dict(target=name, error=None)
    try:
        with context():
            device = torch.device(name)
            moved = PrefixMean(5).to(device)
            run["params"] = sorted({str(p.device) for p in moved.parameters()})
            y = moved(X.to(device))
            run.update(device=str(y.device), shape=tuple(y.shape))
    except Exception as error:
        run["error"] = f"{type(error).__name__}: {error}"
    else:
        run.update(out=y, weight=moved.linear.weight, bias=moved.linear.bias)
    runs[label] = run
''', "names out weight bias runs", X=X)
    expect(r.names == ["linear.weight", "linear.bias"],
           f"PrefixMean 的参数应只有子层 linear = nn.Linear(n, n) 的 weight 和 bias，你的是 {r.names}。")
    expect(isinstance(r.out, torch.Tensor) and r.out.shape == (4, 5),
           "PrefixMean(5)(X) 应返回与 X 同形状（批量大小，5）的张量。")
    expect(torch.allclose(r.out, _prefix_mean(X, r.weight, r.bias), atol=1e-5),
           "PrefixMean 在 CPU 上的输出不对。提示：先 H = linear(X)，输出第 j 列是 H 每行前 j + 1 个数的平均值。")
    for label, run in r.runs.items():
        name = run["target"]
        expect(run["error"] is None,
               f"把 PrefixMean 和输入一起放到 {label} 上运行时出错:{run['error']}。"
               "提示：forward 中新建的张量默认在 CPU 上，要让它和输入在同一个设备上。")
        expect(run["params"] == [name], f"net.to({label}) 之后参数所在的设备是 {run['params']},应全部在 {name} 上。")
        expect(run["device"] == name and run["shape"] == (4, 5),
               f"模型和输入在 {label} 上时,输出应留在 {name} 上,形状为 (4, 5);你的在 {run['device']} 上。")
        expect(torch.allclose(run["out"], _prefix_mean(X, run["weight"], run["bias"]), atol=1e-4),
               f"PrefixMean 在 {label} 上的输出数值不对。")


# ---- 5. parameters saved on a GPU, loaded anywhere ---------------------------------------------

@check(points=1, title="把 GPU 上保存的参数读到指定设备")
def load_on_device(student):
    state = {"0.weight": torch.randn(2, 3, generator=student.rng), "0.bias": torch.randn(2, generator=student.rng)}
    data = cuda_tagged(state)
    r = student.run('''
import io
import torch
loaded = load_to(io.BytesIO(data), torch.device("cpu"))
devices = {k: str(v.device) for k, v in loaded.items()}
cuda_devices = None
if torch.cuda.is_available():
    cuda_devices = {k: str(v.device) for k, v in load_to(io.BytesIO(data), torch.device("cuda:0")).items()}
''', "loaded devices cuda_devices", data=data)
    expect(isinstance(r.loaded, dict) and sorted(r.loaded) == sorted(state),
           "load_to 应返回读出来的 state_dict（一个字典）。")
    expect(r.devices == {k: "cpu" for k in state},
           f"load_to(file, cpu) 读出的张量在 {r.devices} 上，应全部在 CPU 上。"
           "提示：文件里记录的是保存时的设备(cuda:0)，读取时要告诉 torch.load 放到哪里。")
    expect(all(torch.equal(r.loaded[k], v) for k, v in state.items()), "load_to 读出的参数数值与保存的不一致。")
    if r.cuda_devices is not None:
        expect(r.cuda_devices == {k: "cuda:0" for k in state},
               f"load_to(file, cuda:0) 读出的张量在 {r.cuda_devices} 上，应全部在 cuda:0 上。")


# ---- 6. benchmark: warm-up and synchronize ------------------------------------------------------

BENCHMARK_TRACE = '''
import threading
import time
import timeit
import torch

_main = threading.get_ident()
_events = []
_clocks = {n: getattr(time, n) for n in ("perf_counter", "time", "monotonic", "perf_counter_ns", "time_ns", "monotonic_ns")}
_real_sync = torch.cuda.synchronize
_real_timer = timeit.default_timer


def _clock(name, fn):
    scale = 1e-9 if name.endswith("_ns") else 1.0

    def clock(*args, **kwargs):
        value = fn(*args, **kwargs)
        if threading.get_ident() == _main:
            _events.append(("clock", value * scale))
        return value
    return clock


_fake_clocks = {n: _clock(n, fn) for n, fn in _clocks.items()}


def _sync(*args, **kwargs):
    if threading.get_ident() == _main:
        _events.append(("sync", None))


def _job():
    _events.append(("f", None))
    time.sleep(0.002)


def _trace(device, repeat):
    """benchmark(_job, device, repeat) with the clocks and torch.cuda.synchronize recorded."""
    _events.clear()
    g = getattr(benchmark, "__globals__", {})
    swaps = {}
    for name, value in list(g.items()):
        for n, fn in _clocks.items():
            if value is fn:
                swaps[name] = _fake_clocks[n]
        if value is _real_timer and name not in swaps:
            swaps[name] = _clock("perf_counter", _real_timer)
        if value is _real_sync:
            swaps[name] = _sync
    saved = {name: g[name] for name in swaps}
    for n, fn in _fake_clocks.items():
        setattr(time, n, fn)
    timeit.default_timer = _clock("perf_counter", _real_timer)
    torch.cuda.synchronize = _sync
    g.update(swaps)
    try:
        value = benchmark(_job, device, repeat)
    finally:
        for n, fn in _clocks.items():
            setattr(time, n, fn)
        timeit.default_timer = _real_timer
        torch.cuda.synchronize = _real_sync
        g.update(saved)
    return dict(value=value, events=list(_events))


on_cuda = _trace(torch.device("cuda:0"), 5)
on_cpu = _trace(torch.device("cpu"), 3)
'''

SLEEP = 0.002  # seconds each call of the judge's f sleeps


def _judge_trace(trace, repeat, cuda, where):
    kinds = [kind for kind, _ in trace["events"]]
    clocks = [i for i, k in enumerate(kinds) if k == "clock"]
    calls = [i for i, k in enumerate(kinds) if k == "f"]
    syncs = [i for i, k in enumerate(kinds) if k == "sync"]
    expect(len(clocks) >= 2, f"{where}benchmark 没有用 time.perf_counter() 在计时前后各读一次时钟。")
    start, end = clocks[0], clocks[-1]
    warm = [i for i in calls if i < start]
    timed = [i for i in calls if start < i < end]
    expect(warm, f"{where}benchmark 在开始计时之前没有先调用一次 f() 预热。")
    expect(len(timed) == repeat and calls[-1] < end,
           f"{where}两次读时钟之间应正好调用 repeat = {repeat} 次 f()，实际 {len(timed)} 次。")
    if cuda:
        expect(any(warm[-1] < s < start for s in syncs),
               f"{where}预热之后、读开始时间之前没有调用 torch.cuda.synchronize：预热排队的运算会被算进计时。")
        expect(any(timed[-1] < s < end for s in syncs),
               f"{where}最后一次 f() 之后、读结束时间之前没有调用 torch.cuda.synchronize:GPU 运算是异步的，"
               "不同步的话量到的只是排队时间。")
    else:
        expect(not syncs, f"{where}device 是 CPU 时不应调用 torch.cuda.synchronize（没有 GPU 的机器上它会报错）。"
                          "提示：根据传入的 device 判断，而不是根据机器上有没有 GPU。")
    value = trace["value"]
    expect(isinstance(value, float) and value > 0, f"{where}benchmark 应返回一个正的 Python float（秒），得到 {value!r}。")
    elapsed = trace["events"][end][1] - trace["events"][start][1]
    expect(SLEEP * 0.95 <= value <= elapsed / repeat * (1 + 1e-6) + 1e-9,
           f"{where}benchmark 返回 {value:.6f} 秒，而每次 f() 至少耗时 {SLEEP} 秒、计时区间共 {elapsed:.6f} 秒，"
           f"调用了 {repeat} 次。提示：应返回平均每次调用的秒数。")


@check(points=2, title="benchmark 的预热与同步")
def benchmark_sync(student):
    r = student.run(BENCHMARK_TRACE, "on_cuda on_cpu")
    _judge_trace(r.on_cuda, 5, True, "device 为 cuda:0 时，")
    _judge_trace(r.on_cpu, 3, False, "device 为 cpu 时，")


# ---- 7. per-step .item() vs a log kept on the device --------------------------------------------

@check(points=2, title="逐步 .item() 与日志留在设备上")
def log_on_device(student):
    mats = [torch.randn(6, 6, generator=student.rng) for _ in range(5)]
    r = student.run(VIRTUAL_GPU + '''
import torch
a = norms_item(mats)
a_kinds = [type(v).__name__ for v in a] if isinstance(a, list) else type(a).__name__
b = norms_on_device(mats)
gpu, gpu_error = None, None
try:
    with _VirtualGPU() as judge:
        on_gpu = [M.to("cuda:0") for M in mats]
        before = judge.transfers
        g = norms_on_device(on_gpu)
        gpu = dict(transfers=judge.transfers - before, tensor=isinstance(g, torch.Tensor))
        if gpu["tensor"]:
            gpu.update(device=str(g.device), shape=tuple(g.shape), values=g)
except Exception as error:
    gpu_error = f"{type(error).__name__}: {error}"
cuda_device = None
if torch.cuda.is_available():
    cuda_device = str(norms_on_device([M.to("cuda:0") for M in mats]).device)
''', "a a_kinds b gpu gpu_error cuda_device", mats=mats)
    expected = torch.stack([torch.linalg.norm(M @ M) for M in mats])
    expect(r.a_kinds == ["float"] * 5,
           f"norms_item 应返回由 Python float 组成的列表（每步用 .item() 取出），得到的元素类型是 {r.a_kinds}。")
    expect(torch.allclose(torch.tensor(r.a), expected, rtol=1e-4),
           "norms_item 的数值不对。提示：记录的是 M @ M 的 Frobenius 范数 torch.linalg.norm(M @ M)。")
    expect(isinstance(r.b, torch.Tensor) and r.b.shape == (5,),
           "norms_on_device 应返回一个一维张量，长度等于矩阵个数（可以用 torch.stack 拼接每一步的 0 维张量）。")
    expect(torch.allclose(r.b, expected, rtol=1e-4), "norms_on_device 的数值与逐步记录的结果不一致。")
    expect(r.gpu_error is None,
           f"对（模拟的）GPU cuda:0 上的矩阵运行 norms_on_device 时出错：{r.gpu_error}。"
           "提示：新建的张量要和 mats 在同一个设备上。")
    expect(r.gpu["transfers"] == 0,
           f"对 GPU 上的矩阵,norms_on_device 把数据传回了 CPU {r.gpu['transfers']} 次,应为 0 次。"
           "提示：.item()、float()、.tolist()、.cpu()、print 都会触发传输；把每步的 0 维张量留在设备上再拼接。")
    expect(r.gpu["tensor"] and r.gpu["device"] == "cuda:0" and r.gpu["shape"] == (5,),
           f"对 GPU cuda:0 上的矩阵，norms_on_device 应返回留在 cuda:0 上、形状为 (5,) 的张量；"
           f"得到的在 {r.gpu.get('device')} 上，形状 {r.gpu.get('shape')}。")
    expect(torch.allclose(r.gpu["values"], expected, rtol=1e-4), "GPU 上 norms_on_device 的数值不对。")
    if r.cuda_device is not None:
        expect(r.cuda_device == "cuda:0", f"对 GPU 上的矩阵，norms_on_device 的结果应留在 cuda:0 上，而不是 {r.cuda_device}。")


# ---- 8. two devices vs one ----------------------------------------------------------------------

@check(points=2, title="两个设备与单个设备")
def two_devices(student):
    A = torch.randn(6, 6, generator=student.rng)
    B = torch.randn(6, 6, generator=student.rng)
    r = student.run(VIRTUAL_GPU + '''
import contextlib
import torch

cases = [("cpu", contextlib.nullcontext, ["cpu"]),
         ("模拟的 cuda:0", _VirtualGPU, ["cuda:0"]),
         ("模拟的 cuda:0, cuda:1", _VirtualGPU, ["cuda:0", "cuda:1"])]
if torch.cuda.is_available() and torch.cuda.device_count() >= 2:
    cases.append(("cuda:0, cuda:1", contextlib.nullcontext, ["cuda:0", "cuda:1"]))
results = {}
for label, context, names in cases:
    try:
        with context():
            out = matmul_on_two(A, B, [torch.device(n) for n in names])
            res = dict(error=None, names=names, kind=type(out).__name__, n=len(out),
                       devices=[str(t.device) for t in out], shapes=[tuple(t.shape) for t in out])
        res["values"] = list(out)
    except Exception as error:
        res = dict(error=f"{type(error).__name__}: {error}")
    results[label] = res
''', "results", A=A, B=B)
    products = [A @ A, B @ B]
    for label, res in r.results.items():
        where = f"devices = [{label}] 时，"
        expect(res["error"] is None, f"{where}matmul_on_two 出错:{res['error']}。")
        expect(res["kind"] in ("tuple", "list") and res["n"] == 2, f"{where}matmul_on_two 应返回两个结果组成的元组。")
        want = (res["names"] * 2)[:2]
        expect(res["devices"] == want,
               f"{where}两个乘积应分别在 {want} 上,你的在 {res['devices']} 上。"
               "提示：A 放到第一个设备；有第二个设备时 B 放到第二个设备，否则也放到第一个；结果留在原地。")
        expect(res["shapes"] == [(6, 6), (6, 6)], f"{where}两个乘积的形状应为 (6, 6)。")
        for got, product in zip(res["values"], products):
            expect(torch.allclose(got, product, atol=1e-4), f"{where}乘积的数值不对：应返回 (A @ A, B @ B)。")
