"""Hidden checks for 08_gpu (5.6 GPU).

Every check gives the same points on a CPU runner and on a CUDA runner:

* device placement is judged on *virtual* GPUs (``autograder/virtual_gpu.py``, imported by the
  probes inside the student's process), the same on every runner, on several device indices
  (cuda:0, cuda:1, cuda:2) and device lists; a CUDA runner also runs some probes on its real GPU,
  where they behave the same;
* the GPU count (``try_gpu``) and ``torch.cuda.synchronize`` (``benchmark``, ``matmul_on_two``) are
  simulated inside the probe, so every branch is judged on every runner;
* the two-GPU case runs on virtual GPUs everywhere, and on real GPUs only where there are >= 2.

No check here is statistical: every verdict is deterministic (false-fail probability 0).
"""
import pytest
import torch

from autograder.checks.common import cuda_tagged, saved
from autograder.registry import check, expect

# Probe-side: the virtual GPUs (see autograder/virtual_gpu.py).
VIRTUAL_GPU = "from autograder.virtual_gpu import VirtualGPU\n"


# ---- 1. try_gpu / try_all_gpus --------------------------------------------------------------

# The GPU count is simulated by replacing torch.cuda.device_count / is_available and re-running the
# cells that define try_gpu and try_all_gpus (their source is in linecache, under IPython and the CI
# grader alike): a count read once when the cell runs is then read again, as on a machine with that
# many GPUs. Where a cell's source cannot be found or re-run, the functions are called as they are,
# with the names in their globals that hold the real functions swapped.
DEVICE_REPORT = '''
import linecache
import torch

_INDICES = [0, 1, 2, 3, 4, 10]


def _report(try_gpu, try_all_gpus):
    gpu = [try_gpu(i) for i in _INDICES]
    default = try_gpu()
    everything = try_all_gpus()
    listed = isinstance(everything, (list, tuple))
    return dict(gpu=[str(d) for d in gpu], default=str(default),
                gpu_types=[type(d).__name__ for d in gpu + [default]],
                all_kind=type(everything).__name__,
                all=[str(d) for d in everything] if listed else str(everything),
                all_types=[type(d).__name__ for d in everything] if listed else [])


def _cells(functions):
    """(filename, source) of the cells that define ``functions``, once each, in order."""
    out = []
    for f in functions:
        code = getattr(f, "__code__", None)
        if code is None:
            return None
        lines = linecache.getlines(code.co_filename)
        if not lines:
            return None
        if all(name != code.co_filename for name, _ in out):
            out.append((code.co_filename, "".join(lines)))
    return out


def _simulate(count):
    """Answer _report() as if the machine had ``count`` GPUs."""
    cuda, accel = torch.cuda, getattr(torch, "accelerator", None)
    fake_count, fake_available = (lambda *a, **k: count), (lambda *a, **k: count > 0)
    real = {(cuda, "device_count"): fake_count, (cuda, "is_available"): fake_available}
    if accel is not None and hasattr(accel, "device_count") and hasattr(accel, "is_available"):
        real.update({(accel, "device_count"): fake_count, (accel, "is_available"): fake_available})
    originals = {key: getattr(*key) for key in real}
    swap = {id(originals[key]): fake for key, fake in real.items()}
    scope = dict(try_gpu.__globals__)
    for name, value in list(scope.items()):
        if id(value) in swap:
            scope[name] = swap[id(value)]
    for (module, name), fake in real.items():
        setattr(module, name, fake)
    try:
        functions = (try_gpu, try_all_gpus)
        cells = _cells(functions)
        try:
            for filename, source in cells or []:
                exec(compile(source, filename, "exec"), scope)
            if cells:
                functions = (scope["try_gpu"], scope["try_all_gpus"])
        except Exception:
            cells = None
        if not cells:  # call the functions as they are, their globals' references swapped
            namespaces = [getattr(f, "__globals__", {}) for f in functions]
            saved = [(g, name, value) for g in namespaces for name, value in list(g.items())
                     if id(value) in swap]
            for g, name, value in saved:
                g[name] = swap[id(value)]
            try:
                return _report(*functions)
            finally:
                for g, name, value in saved:
                    g[name] = value
        return _report(*functions)
    finally:
        for key, value in originals.items():
            setattr(*key, value)


# device_count() asks NVML, is_available() initializes CUDA: where CUDA cannot start (a memory cap),
# the first can say 1 and the second False. Either reading of such a machine is accepted.
real_counts = sorted({torch.cuda.device_count(), torch.cuda.device_count() if torch.cuda.is_available() else 0})
real = _report(try_gpu, try_all_gpus)
simulated = {str(k): _simulate(k) for k in (0, 1, 3)}
'''

INDICES = [0, 1, 2, 3, 4, 10]


def _expected_devices(count):
    return dict(gpu=[f"cuda:{i}" if i < count else "cpu" for i in INDICES],
                default="cuda:0" if count else "cpu",
                all=[f"cuda:{i}" for i in range(count)] or ["cpu"])


def _judge_devices(report, count, where):
    expect(all(t == "device" for t in report["gpu_types"]),
           f"{where}try_gpu 应返回 torch.device 对象，得到的类型是 {sorted(set(report['gpu_types']))}。")
    expect(report["all_kind"] == "list" and report["all_types"] and all(t == "device" for t in report["all_types"]),
           f"{where}try_all_gpus 应返回由 torch.device 组成的非空列表，得到 {report['all_kind']} {report['all']}。")
    want = _expected_devices(count)
    expect(report["gpu"] == want["gpu"] and report["default"] == want["default"],
           f"{where}try_gpu(i) 对 i = {INDICES} 给出 {report['gpu']}，try_gpu() 给出 {report['default']}；"
           f"应为 {want['gpu']} 和 {want['default']}。"
           "提示：GPU 从 0 开始编号，只有至少 i + 1 块 GPU 时才返回 cuda:i，否则返回 CPU。")
    expect(report["all"] == want["all"],
           f"{where}try_all_gpus() 给出 {report['all']}，应为 {want['all']}。"
           "提示：列出全部 GPU；一块都没有时返回只含 CPU 的列表。")


@check(points=2, title="try_gpu 与 try_all_gpus")
def try_devices(student):
    r = student.run(DEVICE_REPORT, "real_counts real simulated")
    count = next((n for n in r.real_counts if r.real["gpu"] == _expected_devices(n)["gpu"]), r.real_counts[-1])
    _judge_devices(r.real, count, f"在评分机器上（GPU 数量为 {count}），")
    for k in ("0", "1", "3"):
        _judge_devices(r.simulated[k], int(k), f"假设机器上有 {k} 块 GPU 时（模拟 torch.cuda.device_count() = {k}），")


# ---- 2. the device-mismatch error ------------------------------------------------------------

MISMATCH = VIRTUAL_GPU + '''
import torch


def _truth(a, b):
    try:
        a + b
    except RuntimeError:
        return True
    return False


def _label(a, b):
    return f"{tuple(a.shape)}@{a.device} + {tuple(b.shape)}@{b.device}"


def _ask(a, b, label):
    before = (str(a.device), str(b.device), a.detach().clone(), b.detach().clone())
    answer = raises_on_mismatch(a, b)
    labels.append(label + _label(a, b))
    answers.append(answer if type(answer) is bool else type(answer).__name__)
    truth.append(_truth(a, b))
    changed.append(not (str(a.device), str(b.device)) == before[:2]
                   or not (torch.equal(a, before[2]) and torch.equal(b, before[3])))


labels, answers, truth, changed = [], [], [], []
with VirtualGPU():
    g0, g1, g2 = torch.device("cuda:0"), torch.device("cuda:1"), torch.device("cuda:2")
    pairs = [(torch.ones(3), torch.ones(3)),
             (torch.ones(2, 3), torch.ones(2, 3, device=g0)),
             (torch.ones(3, device=g0), torch.ones(1)),
             (torch.tensor(2.0), torch.ones(3, device=g0)),
             (torch.ones(3, device=g1), torch.tensor(2.0)),
             (torch.tensor(1.0, device=g0), torch.ones(2)),
             (torch.tensor(1.0, device=g2), torch.tensor(2.0)),
             (torch.ones(2, device=g0), torch.ones(2, device=g0)),
             (torch.ones(2, device=g2), torch.ones(2, device=g2)),
             (torch.ones(2, device=g0), torch.ones(2, device=g1)),
             (torch.ones(2, device=g2), torch.ones(2, device=g1)),
             # bool tensors add (logical or) but do not subtract: the sum itself is what is asked for
             (torch.ones(2, dtype=torch.bool, device=g1), torch.zeros(2, dtype=torch.bool, device=g1))]
    for a, b in pairs:
        _ask(a, b, "模拟的 ")
if torch.cuda.is_available():
    for a, b in [(torch.ones(3), torch.ones(3, device="cuda:0")),
                 (torch.tensor(2.0), torch.ones(3, device="cuda:0")),
                 (torch.ones(3, device="cuda:0"), torch.ones(3, device="cuda:0"))]:
        _ask(a, b, "")
'''


@pytest.mark.cuda  # moves data to a GPU (a virtual one where the runner has none)
@check(points=1, title="设备不一致时的报错")
def mismatch_error(student):
    r = student.run(MISMATCH, "labels answers truth changed")
    bad = sorted({a for a in r.answers if type(a) is not bool})
    expect(not bad, f"raises_on_mismatch 应返回 True 或 False（Python 的 bool），得到的类型有 {bad}。")
    changed = [label for label, c in zip(r.labels, r.changed) if c]
    expect(not changed, f"raises_on_mismatch 修改了传入的张量：{changed[:3]}。提示：计算 a + b 而不是 a += b。")
    wrong = [label for label, a, t in zip(r.labels, r.answers, r.truth) if a != t]
    expect(not wrong,
           f"raises_on_mismatch 对这些组合判断错了：{wrong}。提示：真的去计算一次 a + b 并捕获 RuntimeError；"
           "设备不同不一定报错（0 维 CPU 张量是例外），不要只比较 device。")


# ---- 3. to_device: copies, and no copy when already there ------------------------------------

TO_DEVICE = VIRTUAL_GPU + '''
import contextlib
import torch

_MARK = object()


def _batch(x, y, z):
    """A nested batch: every kind of container the notebook names, and plain values."""
    return {"X": x, "pair": [y, 7], "info": ("id", z), "rate": 1.5, 3: {"deep": [(x, None), _MARK]},
            "empty": ([], (), {})}


def _walk(out, ref, path, records):
    """Compare the output with the input it came from, leaf by leaf. Records are tuples (they
    travel back to the judge): ("tensor", path, type, device, device before, same object, dtype
    kept, values kept), (container kind, path, type, same keys or length, expected, got) or
    ("plain", path, type, same object)."""
    got = type(out).__name__
    if isinstance(ref, torch.Tensor):
        ok = isinstance(out, torch.Tensor)
        records.append(("tensor", path, got, str(out.device) if ok else None, str(ref.device), out is ref,
                        ok and out.dtype == ref.dtype,
                        ok and out.shape == ref.shape and torch.equal(out.to(ref.device), ref)))
    elif isinstance(ref, (list, tuple, dict)):
        if isinstance(ref, dict):
            keys = isinstance(out, dict) and set(out) == set(ref)
        else:
            keys = isinstance(out, (list, tuple)) and len(out) == len(ref)
        want = have = ""
        if not keys:
            want = repr(list(ref)) if isinstance(ref, dict) else f"长度 {len(ref)}"
            have = (repr(list(out)) if isinstance(out, dict) else
                    f"长度 {len(out)}" if isinstance(out, (list, tuple)) else got)
        records.append((type(ref).__name__, path, got, keys, want, have))
        if type(out) is type(ref) and keys:
            pairs = ref.items() if isinstance(ref, dict) else enumerate(ref)
            for k, v in pairs:
                _walk(out[k], v, f"{path}[{k!r}]", records)
    else:
        records.append(("plain", path, got, out is ref))


def _snapshot(batch):
    flat = []
    def walk(obj):
        flat.append((id(obj), str(obj.device), obj.detach().clone()) if isinstance(obj, torch.Tensor) else id(obj))
        if isinstance(obj, (list, tuple)):
            for v in obj:
                walk(v)
        elif isinstance(obj, dict):
            flat.append(list(obj))
            for v in obj.values():
                walk(v)
    walk(batch)
    return flat


def _same(a, b):
    return len(a) == len(b) and all(
        (p == q) if not isinstance(p, tuple) else
        (isinstance(q, tuple) and p[:2] == q[:2] and torch.equal(p[2], q[2])) for p, q in zip(a, b))


def _move(label, context, make, target):
    """to_device(batch, target) in ``context``; batch made by ``make()`` inside it."""
    with context():
        batch = make()
        before = _snapshot(batch)
        out = to_device(batch, torch.device(target))
        records = []
        _walk(out, batch, "data", records)
        untouched = _same(before, _snapshot(batch))
        again = to_device(out, torch.device(target))
        again_records = []
        _walk(again, out, "data", again_records)
    return dict(label=label, target=target, records=records, untouched=untouched,
                again=all(r[5] for r in again_records if r[0] == "tensor"))


runs = [_move("CPU 上的数据放到 cpu", contextlib.nullcontext, lambda: _batch(x, y, x), "cpu"),
        _move("CPU 上的数据放到 cuda:1（模拟）", VirtualGPU, lambda: _batch(x, y, x), "cuda:1"),
        _move("分散在 cuda:0、cuda:2（模拟）和 CPU 上的数据放到 cuda:2", VirtualGPU,
              lambda: _batch(x.to("cuda:0"), y.to("cuda:2"), x), "cuda:2"),
        _move("cuda:1（模拟）上的数据放回 cpu", VirtualGPU,
              lambda: _batch(x.to("cuda:1"), y, x.to("cuda:1")), "cpu")]
if torch.cuda.is_available():
    runs.append(_move("CPU 上的数据放到 cuda:0", contextlib.nullcontext, lambda: _batch(x, y, x), "cuda:0"))
'''


@pytest.mark.cuda  # moves data to a GPU (a virtual one where the runner has none)
@check(points=2, title="to_device 的复制与“不复制”")
def to_device_identity(student):
    x = torch.randn(2, 3, generator=student.rng)
    y = torch.randint(0, 10, (4,), generator=student.rng)
    r = student.run(TO_DEVICE, "runs", x=x, y=y)
    for run in r.runs:
        where, target = f"{run['label']} 时，", run["target"]
        for kind, path, got, *rest in run["records"]:
            if kind in ("list", "tuple", "dict"):
                keys, want, have = rest
                expect(got == kind, f"{where}{path} 是 {kind}，to_device 应返回同类型的新容器，得到的是 {got}。"
                                    "提示：列表和元组逐个元素递归处理，字典的键不变、值递归处理。")
                expect(keys, f"{where}{path} 的键或长度变了：输入是 {want}，得到 {have}。"
                             "提示：字典的键不变，只递归处理值；列表和元组的每个元素都要保留。")
            elif kind == "plain":
                expect(rest[0], f"{where}{path} 不是张量，to_device 应原样返回它（同一个对象），得到的是 {got}。")
            else:
                device, was, same, dtype_kept, values_kept = rest
                expect(got == "Tensor", f"{where}{path} 是张量，to_device 却返回了 {got}。")
                expect(device == target,
                       f"{where}{path} 在 {device} 上，应在 {target} 上（嵌套在列表、元组、字典里的张量也要放过去）。")
                expect(dtype_kept and values_kept, f"{where}{path} 的类型（dtype）、形状或数值变了：to_device 只应改变设备。")
                if was == target:
                    expect(same, f"{where}{path} 本来就在 {target} 上，to_device 应直接返回原张量对象本身，而不是复制一份。"
                                 "提示：回想 .to(device) 在张量已位于目标设备上时返回什么。")
        expect(run["untouched"],
               f"{where}to_device 修改了传入的数据：原来的容器或张量不应被改动。提示：返回新的容器，不要在原容器里替换元素。")
        expect(run["again"],
               f"{where}对已经在 {target} 上的结果再调用一次 to_device，张量被复制了；已在目标设备上的张量应原样返回（同一个对象）。")


# ---- 4. a model on a device -------------------------------------------------------------------

def _prefix_mean(X, w, b):
    H = X @ w.T + b
    return H.cumsum(dim=1) / torch.arange(1, H.shape[1] + 1, dtype=H.dtype)


MODEL = VIRTUAL_GPU + '''
import contextlib
import torch

names = [name for name, _ in PrefixMean(5).named_parameters()]
cases = [("cpu", contextlib.nullcontext, "cpu", 5, torch.float32),
         ("cpu（n = 1）", contextlib.nullcontext, "cpu", 1, torch.float32),
         ("cuda:1（模拟，float64）", VirtualGPU, "cuda:1", 3, torch.float64)]
if torch.cuda.is_available():
    cases.append(("cuda:0", contextlib.nullcontext, "cuda:0", 5, torch.float32))
runs = []
if names == ["linear.weight", "linear.bias"]:
    for label, context, name, n, dtype in cases:
        X, W, b, G = inputs[n]
        run = dict(label=label, target=name, n=n, dtype=str(dtype), error=None, backward_error=None)
        try:
            with context():
                device = torch.device(name)
                net = PrefixMean(n)
                net.linear.load_state_dict({"weight": W, "bias": b})  # known parameters
                net = net.to(dtype)
                net.to(device)
                run["params"] = sorted({str(p.device) for p in net.parameters()})
                Xd = X.to(device, dtype).detach().clone().requires_grad_()
                kept = Xd.detach().clone()
                y = net(Xd)
                run.update(kind=type(y).__name__, device=str(y.device), shape=tuple(y.shape), dtype=str(y.dtype),
                           out=y, untouched=torch.equal(Xd.detach(), kept))
                try:
                    (y * G.to(device, dtype)).sum().backward()
                except Exception as error:
                    run["backward_error"] = f"{type(error).__name__}: {error}"
                run.update(grad_X=Xd.grad, grad_W=net.linear.weight.grad, grad_b=net.linear.bias.grad)
        except Exception as error:
            run["error"] = f"{type(error).__name__}: {error}"
        runs.append(run)
'''


def _expected_model(X, W, b, G, dtype):
    X, W, b = (t.detach().to(dtype).clone().requires_grad_() for t in (X, W, b))
    out = _prefix_mean(X, W, b)
    (out * G.to(dtype)).sum().backward()
    return out.detach(), X.grad, W.grad, b.grad


@pytest.mark.cuda  # moves data to a GPU (a virtual one where the runner has none)
@check(points=2, title="PrefixMean 在任何设备上都能运行")
def model_on_device(student):
    inputs = {}
    for n, batch in ((5, 4), (1, 3), (3, 2)):
        inputs[n] = (torch.randn(batch, n, generator=student.rng), torch.randn(n, n, generator=student.rng),
                     torch.randn(n, generator=student.rng), torch.randn(batch, n, generator=student.rng))
    r = student.run(MODEL, "names runs", inputs=inputs)
    expect(r.names == ["linear.weight", "linear.bias"],
           f"PrefixMean 的参数应只有子层 linear = nn.Linear(n, n) 的 weight 和 bias，你的是 {r.names}。")
    for run in r.runs:
        where, name, n = f"模型和输入在 {run['label']} 上时，", run["target"], run["n"]
        X, W, b, G = inputs[n]
        expect(run["error"] is None,
               f"{where}载入参数并运行 PrefixMean({n}) 出错：{run['error']}。"
               + ("提示：forward 中新建的张量默认在 CPU 上，要让它和输入在同一个设备上。" if "device" in str(run["error"])
                  else "提示：linear 应是 nn.Linear(n, n)，forward 的输入形状为 (批量大小, n)。"))
        expect(run["params"] == [name], f"{where}net.to(device) 之后参数所在的设备是 {run['params']}，应全部在 {name} 上。")
        expect(run["kind"] == "Tensor" and run["device"] == name and run["shape"] == tuple(X.shape),
               f"{where}输出应是留在 {name} 上、形状为 {tuple(X.shape)} 的张量；"
               f"得到的是 {run['kind']}，在 {run.get('device')} 上，形状 {run.get('shape')}。")
        expect(run["untouched"], f"{where}forward 修改了输入 X。")
        dtype = torch.float64 if run["dtype"] == "torch.float64" else torch.float32
        out, gX, gW, gb = _expected_model(X, W, b, G, dtype)
        tol = dict(atol=1e-4, rtol=1e-4)
        expect(torch.allclose(run["out"].to(dtype), out, **tol),
               f"{where}载入已知的 linear 参数后，PrefixMean 的输出不对。"
               "提示：先 H = linear(X)，输出第 j 列是 H 每行前 j + 1 个数的平均值。")
        expect(run["backward_error"] is None,
               f"{where}输出的值对，但无法对它反向传播：{run['backward_error']}。"
               "提示：forward 要全程用张量运算，不要 .item()、.detach() 或 torch.no_grad()。")
        grads = [g is not None and torch.allclose(g.to(dtype), e, **tol)
                 for g, e in ((run["grad_X"], gX), (run["grad_W"], gW), (run["grad_b"], gb))]
        expect(all(grads),
               f"{where}输出的值对，但对输入或 linear 参数的梯度不对（X、weight、bias 的梯度是否正确：{grads}）。"
               "提示：forward 要全程用张量运算，不要 .item()、.detach() 或 torch.no_grad()。")


# ---- 5. parameters saved on a GPU, loaded anywhere ---------------------------------------------

LOAD = '''
import io
import os
import tempfile
import torch

runs = []


def _load(label, source, device):
    try:
        out = load_to(source, torch.device(device))
    except Exception as error:
        runs.append(dict(label=label, target=device, error=f"{type(error).__name__}: {error}"))
        return
    ok = isinstance(out, dict)
    runs.append(dict(label=label, target=device, error=None, kind=type(out).__name__, is_dict=ok,
                     keys=sorted(out) if ok else [],
                     devices={k: str(v.device) for k, v in out.items() if isinstance(v, torch.Tensor)} if ok else {},
                     values={k: v for k, v in out.items()} if ok and device != "meta" else {},
                     shapes={k: (tuple(v.shape), str(v.dtype)) for k, v in out.items()
                             if isinstance(v, torch.Tensor)} if ok else {}))


with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "gpu1.params")
    with open(path, "wb") as f:
        f.write(on_cuda1)
    _load("在 cuda:0 上保存的文件对象", io.BytesIO(on_cuda0), "cpu")
    _load("在 cuda:1 上保存的文件（路径字符串）", path, "cpu")
    _load("在 CPU 上保存的文件对象", io.BytesIO(on_cpu), "cpu")
    _load("在 CPU 上保存的文件对象", io.BytesIO(on_cpu), "meta")
    if torch.cuda.is_available():
        _load("在 cuda:1 上保存的文件（路径字符串）", path, "cuda:0")
'''


@pytest.mark.cuda  # moves data to a GPU (a virtual one where the runner has none)
@check(points=1, title="把 GPU 上保存的参数读到指定设备")
def load_on_device(student):
    state = {"0.weight": torch.randn(2, 3, generator=student.rng), "0.bias": torch.randn(2, generator=student.rng)}
    r = student.run(LOAD, "runs", on_cuda0=cuda_tagged(state), on_cuda1=cuda_tagged(state, "cuda:1"),
                    on_cpu=saved(state))
    for run in r.runs:
        where, target = f"把{run['label']}读到 {run['target']} 上时，", run["target"]
        expect(run["error"] is None,
               f"{where}load_to 出错：{run['error']}。提示：文件里记录的是保存时的设备，读取时要告诉 torch.load 放到哪里"
               "（file 可能是路径，也可能是打开的文件对象，直接交给 torch.load）。")
        expect(run["is_dict"] and run["keys"] == sorted(state),
               f"{where}load_to 应返回读出来的 state_dict（键为 {sorted(state)} 的字典），得到 {run['kind']} {run['keys']}。")
        expect(run["devices"] == {k: target for k in state},
               f"{where}读出的张量在 {run['devices']} 上，应全部在 {target} 上。提示：用参数 device 指定，不要写死 cpu。")
        expect(run["shapes"] == {k: (tuple(v.shape), str(v.dtype)) for k, v in state.items()},
               f"{where}读出的张量形状或类型与保存的不一致。")
        expect(all(torch.equal(run["values"][k], v) for k, v in state.items()) if run["values"] else True,
               f"{where}读出的参数数值与保存的不一致。")


# ---- 6. benchmark: warm-up and synchronize ------------------------------------------------------

BENCHMARK_TRACE = VIRTUAL_GPU + '''
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
    def clock(*args, **kwargs):
        value = fn(*args, **kwargs)
        if threading.get_ident() == _main:
            _events.append(("clock", (name, value)))
        return value
    return clock


_fake_clocks = {n: _clock(n, fn) for n, fn in _clocks.items()}
_fake_timer = _clock("perf_counter", _real_timer)


def _sync(device=None):
    if threading.get_ident() == _main:
        try:
            where = None if device is None else VirtualGPU.norm(device)
        except Exception:
            where = repr(device)
        _events.append(("sync", where))


def _job():
    _events.append(("f", None))
    time.sleep(0.0005)


def _trace(device, repeat):
    """benchmark(_job, device[, repeat]) with the clocks and torch.cuda.synchronize recorded."""
    _events.clear()
    g = getattr(benchmark, "__globals__", {})
    swaps = {}
    for name, value in list(g.items()):
        for n, fn in _clocks.items():
            if value is fn:
                swaps[name] = _fake_clocks[n]
        if value is _real_timer and name not in swaps:
            swaps[name] = _fake_timer
        if value is _real_sync:
            swaps[name] = _sync
    saved = {name: g[name] for name in swaps}
    for n, fn in _fake_clocks.items():
        setattr(time, n, fn)
    timeit.default_timer = _fake_timer
    torch.cuda.synchronize = _sync
    g.update(swaps)
    try:
        if repeat is None:
            value = benchmark(_job, torch.device(device))
        else:
            value = benchmark(_job, torch.device(device), repeat)
    finally:
        for n, fn in _clocks.items():
            setattr(time, n, fn)
        timeit.default_timer = _real_timer
        torch.cuda.synchronize = _real_sync
        g.update(saved)
    return dict(device=device, repeat=10 if repeat is None else repeat, given=repeat is not None,
                float=isinstance(value, float),
                kind=type(value).__name__, value=float(value) if isinstance(value, (int, float)) else None,
                events=list(_events))


traces = [_trace("cuda:0", 5), _trace("cuda:1", 3), _trace("cpu", 3), _trace("cpu", None)]
'''

# Raw clock readings per clock: the returned value is matched against (end - start) / repeat computed
# from the very numbers benchmark read, so the check is exact up to rounding (no timing tolerance).
SCALE = {"perf_counter": 1.0, "time": 1.0, "monotonic": 1.0,
         "perf_counter_ns": 1e-9, "time_ns": 1e-9, "monotonic_ns": 1e-9}


def _interval(trace):
    """The (start, end) event indices of the clock reads whose difference / repeat is the value."""
    events, value, repeat = trace["events"], trace["value"], trace["repeat"]
    clocks = [i for i, (kind, _) in enumerate(events) if kind == "clock"]
    found = []
    for a in clocks:
        for b in clocks:
            (ca, ra), (cb, rb) = events[a][1], events[b][1]
            if a < b and ca == cb:
                mean = (rb - ra) * SCALE[ca] / repeat
                if abs(value - mean) <= 1e-6 * abs(mean) + 1e-12:
                    found.append((a, b))
    calls = [i for i, (kind, _) in enumerate(events) if kind == "f"]
    # prefer the interval with exactly `repeat` calls inside (a clock read around the warm-up is fine)
    return next((p for p in found if sum(p[0] < i < p[1] for i in calls) == repeat), found[0] if found else None)


def _judge_trace(trace):
    device, repeat = trace["device"], trace["repeat"]
    where = f"调用 benchmark(f, torch.device('{device}'){f', {repeat}' if trace['given'] else ''}) 时，"
    events = trace["events"]
    kinds = [kind for kind, _ in events]
    calls = [i for i, k in enumerate(kinds) if k == "f"]
    syncs = [i for i, k in enumerate(kinds) if k == "sync"]
    expect(trace["float"], f"{where}它应返回一个 Python float（秒），得到的是 {trace['kind']}。")
    expect(kinds.count("clock") >= 2, f"{where}它没有用 time.perf_counter() 在计时前后各读一次时钟。")
    interval = _interval(trace)
    expect(interval is not None,
           f"{where}它返回 {trace['value']!r}，不等于任何两次读时钟的间隔除以 repeat = {repeat}。"
           "提示：返回结束时间与开始时间之差除以 repeat，单位是秒。")
    start, end = interval
    timed = [i for i in calls if start < i < end]
    warm = [i for i in calls if i < start]
    expect(len(timed) == repeat,
           f"{where}开始和结束两次读时钟之间应正好调用 repeat = {repeat} 次 f()，实际 {len(timed)} 次。")
    expect(warm, f"{where}在读开始时间之前没有先调用一次 f() 预热。")
    expect(calls[-1] < end, f"{where}读结束时间之后又调用了 f()。")
    if device.startswith("cuda"):
        mine = [i for i in syncs if events[i][1] == device or (events[i][1] is None and device == "cuda:0")]
        expect(any(warm[-1] < s < start for s in mine),
               f"{where}预热之后、读开始时间之前没有调用 torch.cuda.synchronize(device)（device 是 {device}）："
               "预热排队的运算会被算进计时。")
        expect(any(timed[-1] < s < end for s in mine),
               f"{where}最后一次 f() 之后、读结束时间之前没有调用 torch.cuda.synchronize(device)（device 是 {device}）："
               "GPU 运算是异步的，不同步的话量到的只是排队时间。")
    else:
        expect(not syncs, f"{where}device 是 CPU，不应调用 torch.cuda.synchronize（没有 GPU 的机器上它会报错）。"
                          "提示：根据传入的 device 判断，而不是根据机器上有没有 GPU。")


@pytest.mark.cuda  # moves data to a GPU (a virtual one where the runner has none)
@check(points=2, title="benchmark 的预热与同步")
def benchmark_sync(student):
    r = student.run(BENCHMARK_TRACE, "traces")
    for trace in r.traces:
        _judge_trace(trace)


# ---- 7. per-step .item() vs a log kept on the device --------------------------------------------

NORMS = VIRTUAL_GPU + '''
import contextlib
import torch

runs = []
cases = [("cpu", contextlib.nullcontext, "cpu", cpu_mats),
         ("cuda:0（模拟）", VirtualGPU, "cuda:0", cpu_mats),
         ("cuda:1（模拟；大小不同的方阵，float64）", VirtualGPU, "cuda:1", mixed),
         ("cuda:2（模拟；只有一个矩阵）", VirtualGPU, "cuda:2", cpu_mats[:1])]
if torch.cuda.is_available():
    cases.append(("cuda:0", contextlib.nullcontext, "cuda:0", cpu_mats))
for label, context, name, source in cases:
    run = dict(label=label, target=name, n=len(source), error=None)
    try:
        with context() as judge:
            mats = [M.to(name) for M in source]
            kept = [M.clone() for M in mats]
            a = norms_item(mats)
            run["a_kinds"] = [type(v).__name__ for v in a] if isinstance(a, list) else type(a).__name__
            run["a"] = [float(v) for v in a] if isinstance(a, list) and all(type(v) is float for v in a) else None
            before = judge.transfers if judge is not None else 0
            b = norms_on_device(mats)
            run["transfers"] = judge.transfers - before if judge is not None else 0
            run["b_kind"] = type(b).__name__
            if isinstance(b, torch.Tensor):
                run.update(device=str(b.device), shape=tuple(b.shape), values=b)
            run["untouched"] = (len(mats) == len(kept) and all(str(M.device) == name for M in mats)
                                and all(torch.equal(M, K) for M, K in zip(mats, kept)))
    except Exception as error:
        run["error"] = f"{type(error).__name__}: {error}"
    runs.append(run)
'''


@pytest.mark.cuda  # moves data to a GPU (a virtual one where the runner has none)
@check(points=2, title="逐步 .item() 与日志留在设备上")
def log_on_device(student):
    cpu_mats = [torch.randn(6, 6, generator=student.rng) for _ in range(5)]
    mixed = [torch.randn(n, n, generator=student.rng, dtype=torch.float64) for n in (3, 6, 2)]
    r = student.run(NORMS, "runs", cpu_mats=cpu_mats, mixed=mixed)
    for run in r.runs:
        where, name, k = f"mats 在 {run['label']} 上时，", run["target"], run["n"]
        source = mixed if run["target"] == "cuda:1" else cpu_mats[:k]
        expected = torch.stack([torch.linalg.norm(M @ M).double() for M in source])
        expect(run["error"] is None, f"{where}运行出错：{run['error']}。提示：新建的张量要和 mats 在同一个设备上。")
        expect(run["a_kinds"] == ["float"] * k,
               f"{where}norms_item 应返回由 Python float 组成的列表（每步用 .item() 取出），得到的元素类型是 {run['a_kinds']}。")
        expect(torch.allclose(torch.tensor(run["a"], dtype=torch.float64), expected, rtol=1e-4),
               f"{where}norms_item 的数值不对。提示：记录的是 M @ M 的 Frobenius 范数 torch.linalg.norm(M @ M)。")
        expect(run["transfers"] == 0,
               f"{where}norms_on_device 把数据传回了 CPU {run['transfers']} 次，应为 0 次。"
               "提示：.item()、float()、.tolist()、.cpu()、print 都会触发传输；把每步的 0 维张量留在设备上再拼接。")
        expect(run["b_kind"] == "Tensor" and run.get("device") == name and run.get("shape") == (k,),
               f"{where}norms_on_device 应返回留在 {name} 上、形状为 ({k},) 的一维张量；"
               f"得到的是 {run['b_kind']}，在 {run.get('device')} 上，形状 {run.get('shape')}。")
        expect(torch.allclose(run["values"].double(), expected, rtol=1e-4),
               f"{where}norms_on_device 的数值不对：第 k 个元素应是 torch.linalg.norm(mats[k] @ mats[k])。")
        expect(run["untouched"], f"{where}norms_item 或 norms_on_device 修改了传入的矩阵。")


# ---- 8. two devices vs one ----------------------------------------------------------------------

TWO = VIRTUAL_GPU + '''
import contextlib
import torch

_syncs = []
_real_sync = torch.cuda.synchronize


def _sync(*args, **kwargs):
    _syncs.append(1)


_SIM = "模拟的 GPU"
cases = [("CPU", contextlib.nullcontext, ["cpu"], None),
         (_SIM, VirtualGPU, ["cuda:0"], None),
         (_SIM, VirtualGPU, ["cuda:1"], None),
         (_SIM, VirtualGPU, ["cuda:0", "cuda:1"], None),
         (_SIM, VirtualGPU, ["cuda:1", "cuda:0"], None),
         (_SIM, VirtualGPU, ["cuda:2", "cuda:0", "cuda:1"], None),
         (_SIM + "，A 已在 cuda:0 上", VirtualGPU, ["cuda:1", "cuda:2"], "cuda:0")]
if torch.cuda.is_available():
    cases.append(("真实的 GPU", contextlib.nullcontext, ["cuda:0"], None))
    if torch.cuda.device_count() >= 2:
        cases.append(("真实的 GPU", contextlib.nullcontext, ["cuda:0", "cuda:1"], None))
results = []
g = getattr(matmul_on_two, "__globals__", {})
for label, context, names, a_on in cases:
    res = dict(label=label, names=names, error=None)
    saved = {k: v for k, v in g.items() if v is _real_sync}
    try:
        torch.cuda.synchronize = _sync
        g.update({k: _sync for k in saved})
        _syncs.clear()
        with context():
            A0 = A.to(a_on) if a_on else A
            before = [(str(t.device), t.clone()) for t in (A0, B)]
            out = matmul_on_two(A0, B, [torch.device(n) for n in names])
            res.update(kind=type(out).__name__, n=len(out) if isinstance(out, (list, tuple)) else None)
            if res["n"] == 2:
                res.update(devices=[str(t.device) for t in out], shapes=[tuple(t.shape) for t in out])
            res["untouched"] = all(str(t.device) == d and torch.equal(t, c) for t, (d, c) in zip((A0, B), before))
        res["syncs"] = len(_syncs)
        if res["n"] == 2:
            res["values"] = list(out)
    except Exception as error:
        res["error"] = f"{type(error).__name__}: {error}"
    finally:
        torch.cuda.synchronize = _real_sync
        g.update(saved)
    results.append(res)
'''


@pytest.mark.cuda  # moves data to a GPU (a virtual one where the runner has none)
@check(points=2, title="两个设备与单个设备")
def two_devices(student):
    A = torch.randn(6, 6, generator=student.rng)
    B = torch.randn(6, 6, generator=student.rng)
    r = student.run(TWO, "results", A=A, B=B)
    products = [A @ A, B @ B]
    for res in r.results:
        where = f"devices = [{', '.join(res['names'])}]（{res['label']}）时，"
        expect(res["error"] is None, f"{where}matmul_on_two 出错：{res['error']}。")
        expect(res["kind"] == "tuple" and res["n"] == 2,
               f"{where}matmul_on_two 应返回两个结果组成的元组，得到的是 {res['kind']}。")
        want = (res["names"] * 2)[:2]
        expect(res["devices"] == want,
               f"{where}两个乘积应分别在 {want} 上，你的在 {res['devices']} 上。"
               "提示：A 放到 devices[0]；至少有两个设备时 B 放到 devices[1]，否则也放到 devices[0]；结果留在原地。")
        expect(res["shapes"] == [(6, 6), (6, 6)], f"{where}两个乘积的形状应为 (6, 6)，得到 {res['shapes']}。")
        for got, product in zip(res["values"], products):
            expect(torch.allclose(got, product, atol=1e-4), f"{where}乘积的数值不对：应返回 (A @ A, B @ B)。")
        expect(res["untouched"], f"{where}matmul_on_two 改动了传入的 A 或 B（设备或数值）。提示：A.to(...) 返回新张量，不要改原张量。")
        expect(res["syncs"] == 0, f"{where}matmul_on_two 调用了 torch.cuda.synchronize；按要求，函数里不要同步。")
