"""Hidden checks for 07_file_io (5.5 读写文件).

Every probe writes its files into its own ``tempfile.TemporaryDirectory()`` and hands the student's
functions paths there, as ``str`` and as ``pathlib.Path`` (the notebook's own cells pass ``Path``).
Files a check needs (checkpoints tagged as saved on ``cuda:0`` and on ``cuda:1``, pickles that would
run code, a whole-module pickle) are built here, on the judge side, and travel to the probe as bytes.
Parameters that outputs are compared against are the judge's own known values, loaded first.
No check is statistical: every comparison is exact (or ``allclose`` against a formula), so a
correct solution never fails by chance.
"""
import collections
import functools

import torch
from torch import nn
from torch.nn import functional as F

from autograder.checks.common import cuda_tagged, saved
from autograder.registry import check, expect

# Probe preamble: a fresh temporary folder; the probe body is indented under it.
_IN_TMP = ("import os as _os, pathlib as _pathlib, tempfile as _tempfile\n"
           "with _tempfile.TemporaryDirectory() as _tmp:\n")


def _in_tmp(body: str) -> str:
    return _IN_TMP + "".join("    " + line + "\n" for line in body.strip("\n").splitlines())


@functools.cache
def _whole_model() -> bytes:
    """A whole nn.Sequential pickled (the notebook's example of a file weights_only=True refuses),
    built once, without touching the global RNG (under nbgrader this runs in the student's kernel)."""
    with torch.random.fork_rng(devices=[]):
        return saved(nn.Sequential(nn.Linear(3, 2), nn.ReLU(), nn.Linear(2, 1)))


# Code a pickle runs when it is loaded without the weights_only protection: it leaves a mark
# (an environment variable of the student's own process) that the probe looks for afterwards.
_MARK = "AUTOGRADER_07_PICKLE_RAN"


class _RunsCode:
    """Unpickling this runs a line of Python that sets ``_MARK``: harmless, but code a file made run."""

    def __reduce__(self):
        return (exec, (f"import os; os.environ[{_MARK!r}] = '1'",))


def _same(a, b) -> bool:
    """Plain data equal in structure, types and values (tensors: dtype, shape and every element)."""
    if isinstance(a, torch.Tensor) or isinstance(b, torch.Tensor):
        return (isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor) and a.dtype == b.dtype
                and torch.equal(a, b))
    if isinstance(a, dict) or isinstance(b, dict):
        return isinstance(a, dict) and isinstance(b, dict) and a.keys() == b.keys() and all(
            _same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) or isinstance(b, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(_same(u, v) for u, v in zip(a, b))
    return type(a) is type(b) and a == b


@check(points=2, title="只保存前 k 行")
def save_rows(student):
    g = student.rng
    # (data, k, pass the path as pathlib.Path): float32; int64 with k = 1; a transposed float64
    # view, whose rows are not contiguous in its storage.
    cases = [
        (torch.randn(500, 64, generator=g), 7, False),
        (torch.randint(-1000, 1000, (300, 40), generator=g), 1, True),
        (torch.randn(64, 800, generator=g, dtype=torch.float64).t(), 5, False),
    ]
    r = student.run(_in_tmp("""
errors, exists, sizes, loaded, unchanged = [], [], [], [], []
for _i, (_data, _k, _as_path) in enumerate(cases):
    _before = _data.clone()
    _p = _os.path.join(_tmp, f"rows{_i}.pt")
    try:
        save_rows(_pathlib.Path(_p) if _as_path else _p, _data, _k)
        errors.append(None)
    except Exception as _e:
        errors.append((type(_e).__name__ + ": " + str(_e))[:200])
    exists.append(_os.path.exists(_p))
    sizes.append(_os.path.getsize(_p) if exists[-1] else 0)
    loaded.append(torch.load(_p, weights_only=True) if exists[-1] else None)
    unchanged.append(torch.equal(_data, _before) and _data.stride() == _before.stride())
"""), "errors exists sizes loaded unchanged", cases=cases)
    for (data, k, as_path), error, exists, size, loaded, unchanged in zip(
            cases, r.errors, r.exists, r.sizes, r.loaded, r.unchanged):
        shape, kind = tuple(data.shape), "pathlib.Path" if as_path else "str"
        if not data.is_contiguous():
            shape = f"{shape}（一个转置得到的、不连续的张量）"
        expect(error is None, f"data 的形状为 {shape}、k={k} 时，save_rows 出错：{error}")
        expect(exists, f"save_rows(path, data, k) 没有在给定的 path（这次是 {kind}）上写出文件。"
                       "提示：文件要写到参数 path，而不是固定的文件名。")
        expect(isinstance(loaded, torch.Tensor),
               f"用 torch.load 读回的是 {loaded if isinstance(loaded, str) else type(loaded).__name__}，应是一个张量。")
        expect(tuple(loaded.shape) == (k,) + tuple(data.shape[1:]) and loaded.dtype == data.dtype,
               f"data 的形状为 {shape}、k={k} 时，读回的张量形状为 {tuple(loaded.shape)}、类型为 {loaded.dtype}，"
               f"应与 data[:k] 相同（形状 {(k,) + tuple(data.shape[1:])}，类型 {data.dtype}）。")
        expect(torch.equal(loaded, data[:k]),
               f"data 的形状为 {shape}、k={k} 时，读回的张量形状对了，数值却不等于 data 的前 k 行。")
        expect(unchanged, "save_rows 改动了传进来的 data。提示：只需保存前 k 行，不要修改原张量。")
        rows = k * data[0].numel() * data.element_size()
        whole = data.numel() * data.element_size()
        # The archive around the k rows' bytes takes about 1.6 KB; the whole storage is >= 96 KB here.
        expect(size <= rows + 8192,
               f"data 的形状为 {shape}、k={k} 时，文件有 {size} 字节，而这 k 行只有 {rows} 字节"
               f"（整个 data 有 {whole} 字节）：是不是把整块存储都存进去了？"
               "提示：切片只是大张量存储上的视图，torch.save 会保存它背后的整块存储。")


def _mlp_state(g, scale):
    return {"hidden.weight": torch.randn(256, 20, generator=g) * scale, "hidden.bias": torch.randn(256, generator=g),
            "output.weight": torch.randn(10, 256, generator=g) * scale, "output.bias": torch.randn(10, generator=g)}


def _mlp(state, X):
    hidden = F.relu(F.linear(X, state["hidden.weight"], state["hidden.bias"]))
    return F.linear(hidden, state["output.weight"], state["output.bias"])


# Probe helper: a state dict as (sorted keys, one float64 vector of its values in that order), or
# "<type>" when it is not a dict of tensors: one tensor crosses over instead of one per entry.
_FLAT = """
def _flat(_sd):
    if not isinstance(_sd, dict) or not all(isinstance(_v, torch.Tensor) for _v in _sd.values()):
        return "<" + type(_sd).__name__ + ">"
    _keys = sorted(_sd)
    return _keys, torch.cat([_sd[_k].detach().reshape(-1).double() for _k in _keys])
"""


def _flat(state: dict):
    keys = sorted(state)
    return keys, torch.cat([state[k].reshape(-1).double() for k in keys])


def _same_flat(got, state: dict) -> bool:
    keys, values = _flat(state)
    return (isinstance(got, tuple) and len(got) == 2 and got[0] == keys and isinstance(got[1], torch.Tensor)
            and got[1].shape == values.shape and torch.equal(got[1], values))


@check(points=2, title="保存参数并重建 MLP 副本")
def mlp_clone(student):
    g = student.rng
    X = torch.randn(5, 20, generator=g)
    states = [_mlp_state(g, 0.2), _mlp_state(g, 0.05)]  # the judge's known parameters, two nets
    # Both nets are saved before either is loaded (str path, then pathlib.Path): load_params must
    # read the file it is given, not the last one saved or the notebook's global `net`.
    r = student.run(_in_tmp(_FLAT + """
_paths = [_os.path.join(_tmp, "mlp.params"), _pathlib.Path(_tmp) / "other.params"]
_nets = []
saved, net_states, net_training = [], [], []
for _state, _p in zip(states, _paths):
    _net = MLP()
    _net.load_state_dict(_state)
    save_params(_p, _net)
    try:
        saved.append(_flat(torch.load(_p, weights_only=True)))
    except Exception as _e:
        saved.append("<" + type(_e).__name__ + ">")
    net_states.append(_flat(_net.state_dict()))
    net_training.append(all(_m.training for _m in _net.modules()))
    _nets.append(_net)
kinds, same_object, modes, outs, clone_states, net_outs = [], [], [], [], [], []
for _net, _p in zip(_nets, _paths):
    _clone = load_params(_p)
    kinds.append(type(_clone).__name__ if isinstance(_clone, MLP) else "<" + type(_clone).__name__ + ">")
    same_object.append(_clone is _net)
    modes.append([_m.training for _m in _clone.modules()] if isinstance(_clone, nn.Module) else None)
    clone_states.append(_flat(_clone.state_dict()) if isinstance(_clone, nn.Module) else None)
    outs.append(_clone(X) if isinstance(_clone, nn.Module) else None)
    net_outs.append(_net(X))
"""), "saved net_states net_training kinds same_object modes clone_states outs net_outs", X=X, states=states)
    keys = sorted(states[0])
    for i, state in enumerate(states):
        where = ["str", "pathlib.Path"][i]
        saved = r.saved[i]
        got = saved[0] if isinstance(saved, tuple) else saved
        expect(isinstance(saved, tuple) and saved[0] == keys,
               f"save_params 写出的文件应是 MLP 的 state_dict（键为 {keys}），"
               f"用 torch.load(path, weights_only=True) 读到的却是 {got}。提示：保存参数字典，而不是整个模型。")
        expect(_same_flat(saved, state), "save_params 写出的 state_dict 的数值不等于 net 当前的参数。")
        expect(_same_flat(r.net_states[i], state) and r.net_training[i],
               "save_params 改动了传进来的 net（它的参数或训练模式）。提示：只需把 state_dict 写到文件。")
        expect(r.kinds[i] == "MLP" and not r.same_object[i],
               f"load_params(path) 应新建并返回一个 MLP 实例，得到的是 {r.kinds[i]}"
               f"{'（就是原来那个 net）' if r.same_object[i] else ''}。")
        expect(_same_flat(r.clone_states[i], state),
               f"从 {where} 路径读出的副本，参数不等于文件里保存的参数。"
               "提示：新建的 MLP 参数是随机的，要把 path 这个文件里的参数载入进去。")
        expect(isinstance(r.outs[i], torch.Tensor) and torch.equal(r.outs[i], r.net_outs[i])
               and torch.allclose(r.outs[i], _mlp(state, X), atol=1e-5),
               "副本的输出与原模型不完全相同（torch.equal 为 False）。")
        expect(not any(r.modes[i]),
               f"load_params 返回的模型（及其子模块）的 training 依次为 {r.modes[i]}，应全部为 False。"
               "提示：用于预测前应切换到评估模式，eval() 会递归地设置每个子模块。")


# The cases of tensors_identical, built from three random tensors a, cube and ints: run here for the
# expected answers and shapes, and in the probe (fewer tensors cross over). Each case is
# (x, y, expected, x and y require grad as the notebook's own Y and Y_clone do).
_IDENTICAL_CASES = """
_nudged, _ulp, _last = a.clone(), a.clone(), cube.clone()
_nudged[1, 2] += 1e-4
_ulp[2, 3] = torch.nextafter(_ulp[2, 3], torch.tensor(float("inf")))  # one unit in the last place
_last[1, 2, 3] += 1.0
cases = [
    (a, a.clone(), True, False),
    (a, _nudged, False, False),
    (a, _ulp, False, False),                                # allclose calls these equal
    (torch.ones(2, 1), torch.ones(1, 2), False, False),     # == broadcasts these to all-True
    (torch.ones(3), torch.ones(1), False, False),
    (torch.ones(2, 1), torch.ones(2, 3), False, False),     # same len()
    (torch.tensor(2.0), torch.tensor([2.0]), False, False),  # 0-d against 1-d
    (torch.arange(5.0), torch.arange(5.0), True, False),
    (a[0], a[0].flip(0), False, False),                     # same sum, same sorted values
    (cube, cube.clone(), True, False),
    (cube, _last, False, False),
    (ints, ints.clone(), True, False),
    (a, a.clone(), True, True),
    (a, _nudged, False, True),
]
"""


@check(points=1, title="用 torch.equal 判断完全相同")
def tensors_identical(student):
    g = student.rng
    inputs = {"a": torch.randn(3, 4, generator=g), "cube": torch.randn(2, 3, 4, generator=g),
              "ints": torch.randint(0, 9, (4, 5), generator=g)}
    scope = {"torch": torch, **inputs}
    exec(_IDENTICAL_CASES, scope)
    r = student.run(_IDENTICAL_CASES + """
results, kinds, unchanged = [], [], []
for _x, _y, _want, _grad in cases:
    _x0, _y0 = _x.clone(), _y.clone()
    if _grad:
        _x, _y = _x.clone().requires_grad_(), _y.clone().requires_grad_()
    _got = tensors_identical(_x, _y)
    kinds.append(type(_got) is bool)
    results.append(_got if type(_got) is bool else type(_got).__module__ + "." + type(_got).__qualname__)
    unchanged.append(torch.equal(_x.detach(), _x0) and torch.equal(_y.detach(), _y0))
""", "results kinds unchanged", **inputs)
    for (x, y, want, grad), is_bool, got, unchanged in zip(scope["cases"], r.kinds, r.results, r.unchanged):
        shapes = f"形状 {tuple(x.shape)} 与 {tuple(y.shape)}{'、requires_grad=True' if grad else ''} 的两个张量"
        expect(is_bool, f"tensors_identical 对{shapes}返回了 {got}，应返回 Python 的 bool。"
                        "提示：== 逐元素比较，得到的是一个张量。")
        expect(unchanged, "tensors_identical 改动了传进来的张量。")
        hint = ("提示：想一想 == 遇到形状不同的张量时会做什么（广播）。" if x.shape != y.shape else
                "提示：只要有一个元素差了一点（哪怕只差最后一位），就不算完全相同。" if not want else "")
        expect(got == want, f"tensors_identical 对{shapes}给出了 {got}，应为 {want}。{hint}")


# ("saved on" device, pass the path as pathlib.Path) for map_to_cpu's two checkpoints: a nested
# training checkpoint from cuda:0, a flat state_dict from cuda:1 (a {"cuda:0": "cpu"} map misses it;
# on a one-GPU CUDA runner, loading it without map_location fails as it does on a CPU runner).
_SAVED_ON = [("cuda:0", False), ("cuda:1", True)]


@check(points=2, title="GPU 检查点加载到 CPU")
def map_to_cpu(student):
    g = student.rng
    nested = {"model": collections.OrderedDict([("0.weight", torch.randn(3, 4, generator=g)),
                                                ("0.bias", torch.randn(3, generator=g))]),
              "moments": [torch.randn(3, 4, generator=g), torch.randint(0, 5, (3,), generator=g)],
              "epoch": 5, "name": "run-3", "lr": 0.01}
    flat = collections.OrderedDict([("hidden.weight", torch.randn(6, 2, generator=g, dtype=torch.float64)),
                                    ("hidden.bias", torch.randn(6, generator=g, dtype=torch.float64))])
    objects = [nested, flat]
    files = [cuda_tagged(obj, device) for obj, (device, _) in zip(objects, _SAVED_ON)]
    r = student.run(_in_tmp("""
errors, loaded, devices = [], [], []

def _tensors(obj):
    if isinstance(obj, torch.Tensor):
        yield obj
    elif isinstance(obj, dict):
        for _v in obj.values():
            yield from _tensors(_v)
    elif isinstance(obj, (list, tuple)):
        for _v in obj:
            yield from _tensors(_v)

for _i, (_data, _as_path) in enumerate(zip(files, as_path)):
    _p = _os.path.join(_tmp, f"trained_on_gpu{_i}.pt")
    with open(_p, "wb") as _f:
        _f.write(_data)
    try:
        _obj = load_on_cpu(_pathlib.Path(_p) if _as_path else _p)
        errors.append(None)
        loaded.append(_obj)
        devices.append(sorted({str(_t.device) for _t in _tensors(_obj)}))
    except Exception as _e:
        errors.append((type(_e).__name__ + ": " + str(_e).split(". ")[0])[:200])
        loaded.append(None)
        devices.append(None)
"""), "errors loaded devices", files=files, as_path=[p for _, p in _SAVED_ON])
    for (device, _), obj, error, loaded, devices in zip(_SAVED_ON, objects, r.errors, r.loaded, r.devices):
        expect(error is None,
               f"用 load_on_cpu 读取一个在 {device} 上保存的检查点时出错：{error}。"
               "提示：文件里记录了每块存储保存时所在的设备，torch.load 默认把它放回原设备；"
               "检查点可能来自任何一块 GPU。")
        expect(devices == ["cpu"],
               f"读取在 {device} 上保存的检查点时，load_on_cpu 返回的张量在 {devices} 上，应全部在 cpu 上"
               "（评分可能在有 GPU 的机器上进行）。")
        expect(_same(loaded, obj),
               f"读取在 {device} 上保存的检查点时，load_on_cpu 返回的对象与文件里保存的不同。"
               "提示：应原样返回 torch.load 读到的对象（结构、类型、数值都不变），只改变张量所在的设备。")


@check(points=1, title="拒绝会执行代码的文件")
def weights_only_refuses(student):
    g = student.rng
    weight = torch.randn(2, 3, generator=g)
    # Files weights_only=True reads: a dict of tensors; the containers and types the notebook lists.
    plain_files = [{"weight": weight},
                   collections.OrderedDict([("w", weight * 2), ("meta", {"epoch": 3, "lr": 0.5, "tag": "a",
                                                                        "done": False, "none": None}),
                                            ("pair", (torch.arange(3), [1, 2])), ("size", torch.Size([2, 3])),
                                            ("dtype", torch.float16)])]
    # Files it refuses: a pickle that runs a line of code; a whole nn.Sequential (the notebook's example).
    code_files = [saved({"weight": weight, "extra": _RunsCode()}), _whole_model()]
    r = student.run(_in_tmp("""
good, refused, ran = [], [], []
for _i, _data in enumerate(plain_data):
    _p = _os.path.join(_tmp, f"good{_i}.pt")
    with open(_p, "wb") as _f:
        _f.write(_data)
    good.append(load_on_cpu(_p))
for _i, _data in enumerate(code_data):
    _p = _os.path.join(_tmp, f"bad{_i}.pt")
    with open(_p, "wb") as _f:
        _f.write(_data)
    _os.environ.pop(mark, None)
    try:
        load_on_cpu(_p)
        refused.append(False)
    except Exception:
        refused.append(True)
    ran.append(_os.environ.pop(mark, None) is not None)
"""), "good refused ran", plain_data=[saved(x) for x in plain_files],
                    code_data=code_files, mark=_MARK)
    expected = [plain_files[0], dict(plain_files[1], size=(2, 3), dtype="torch.float16")]
    for got, want in zip(r.good, expected):
        expect(_same(got, want),
               "load_on_cpu 应能原样读取只含张量、数字、字符串、列表、元组、字典等的普通文件，"
               "却没有读对。")
    expect(not r.ran[0],
           "load_on_cpu 加载一个会在反序列化时执行代码的 pickle 文件时，文件里的代码被执行了。"
           "提示：不要关掉 torch.load 的安全保护（weights_only=True）。")
    expect(r.refused[0],
           "load_on_cpu 没有对一个会在反序列化时执行代码的 pickle 文件报错。"
           "提示：不要把 torch.load 报的错吞掉。")
    expect(r.refused[1],
           "load_on_cpu 加载了一个整模型（nn.Sequential）的 pickle 文件，应报错拒绝。"
           "提示：不要把模型的类加入白名单，也不要关掉 weights_only。")


# The probe's two runs, as the messages name them.
_RUNS = ["带动量的 SGD（nn.Sequential）", "Adam（带批量规范化、中途改过学习率的模型）"]


@check(points=3, title="检查点逐位一致地续训")
def checkpoint_resume(student):
    X = torch.randn(32, 5, generator=student.rng)
    y = torch.randn(32, 1, generator=student.rng)
    r = student.run(_in_tmp(_FLAT + """
import collections as _collections

class _Named(nn.Module):  # submodules by name, a BatchNorm buffer, an OrderedDict Sequential
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(_collections.OrderedDict(
            [("fc", nn.Linear(5, 8)), ("norm", nn.BatchNorm1d(8)), ("act", nn.ReLU())]))
        self.out = nn.Linear(8, 1)

    def forward(self, x):
        return self.out(self.body(x))

def _train(model, opt, steps):
    for _ in range(steps):
        opt.zero_grad()
        ((model(X) - y) ** 2).mean().backward()
        opt.step()

def _scheduled(opt):  # as a learning-rate scheduler would, before the checkpoint
    for _group in opt.param_groups:
        _group["lr"] = 0.005
    return opt

_runs = [
    (lambda: nn.Sequential(nn.Linear(5, 8), nn.Tanh(), nn.Linear(8, 1)),
     lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9), False, 0, False),
    (_Named, lambda ps: torch.optim.Adam(ps, lr=0.02), True, 37, True),
]
straight, resumed, epochs, epoch_is_int, readable, save_error = [], [], [], [], [], None
for _i, (_make, _make_opt, _schedule, _epoch, _as_path) in enumerate(_runs):
    _p = _os.path.join(_tmp, f"run{_i}.ckpt")
    _p = _pathlib.Path(_p) if _as_path else _p
    _model = _make()
    _opt = _make_opt(_model.parameters())
    _train(_model, _opt, 3)
    if _schedule:
        _scheduled(_opt)
    try:
        save_checkpoint(_p, _model, _opt, _epoch)
    except Exception as _err:
        save_error = (type(_err).__name__ + ": " + str(_err))[:200]
        break
    _train(_model, _opt, 4)
    straight.append(_flat(_model.state_dict()))
    try:
        torch.load(_p, weights_only=True)
        readable.append(True)
    except Exception:
        readable.append(False)
    _model2 = _make()  # a restart: fresh random parameters, a fresh optimizer at its first lr
    _opt2 = _make_opt(_model2.parameters())
    _e = load_checkpoint(_p, _model2, _opt2)
    epochs.append(_e if type(_e) is int else repr(_e))
    epoch_is_int.append(type(_e) is int)
    _train(_model2, _opt2, 4)
    resumed.append(_flat(_model2.state_dict()))
"""), "straight resumed epochs epoch_is_int readable save_error", X=X, y=y)
    expect(all(r.readable),
           "检查点不能用 torch.load(path, weights_only=True) 读取。提示：存各部分的 state_dict 与整数，不要存模型或优化器对象本身。")
    expect(r.save_error is None,
           f"save_checkpoint 保存检查点时出错：{r.save_error}。"
           + ("提示：整个模型或优化器对象要按类名 pickle，检查点里应只放它们的 state_dict 与整数。"
              if r.save_error and "pickl" in r.save_error.lower() else ""))
    expect(all(r.epoch_is_int) and r.epochs == [0, 37],
           f"load_checkpoint 应返回保存时的 epoch，一个 Python 整数：保存的是 [0, 37]，返回的是 {r.epochs}。")
    for name, a, b in zip(_RUNS, r.straight, r.resumed):
        expect(a[0] == b[0] and a[1].shape == b[1].shape and torch.equal(a[1], b[1]),
               f"使用{name}时，从检查点恢复后训练得到的模型状态（参数与缓冲区）与不中断训练的结果不逐位相同。"
               "提示：模型状态要用 state_dict（含批量规范化的滑动统计量）；优化器自己也有状态"
               "（动量、矩估计、步数、学习率），同样要存下并载入。")


@check(points=1, title="保存参数的好处")
def save_reasons(student):
    _expect_letters(student, "SAVE_REASONS", {"A", "B", "C"},
                    "保存参数不会改变训练本身的速度或效果；参数文件里也没有模型的代码。")


def _old_state(g):
    """The state_dict of the notebook's three-layer nn.Sequential (keys 0.*, 2.*, 4.*), known values."""
    shapes = [("0", 64, 20), ("2", 32, 64), ("4", 10, 32)]
    state = collections.OrderedDict()
    for name, rows, cols in shapes:
        state[f"{name}.weight"] = torch.randn(rows, cols, generator=g) * 0.3
        state[f"{name}.bias"] = torch.randn(rows, generator=g)
    return state


_FEATURES = ["features.0.weight", "features.0.bias", "features.2.weight", "features.2.bias"]


@check(points=2, title="复用前两层")
def reuse_first_two(student):
    g = student.rng
    X = torch.randn(3, 20, generator=g)
    old = _old_state(g)
    num_classes = [10, 3]  # 10: the head has the old third layer's shape, copying it would fit
    r = student.run(_in_tmp("""
import collections as _collections

class _Target(nn.Module):
    def __init__(self, num_classes):
        super().__init__()
        self.features = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU())
        self.head = nn.Linear(32, num_classes)

    def forward(self, x):
        return self.head(self.features(x))

def _cat(_sd, _keys):
    return torch.cat([_sd[_k].detach().reshape(-1) for _k in _keys]) if all(_k in _sd for _k in _keys) else None

_head = ["head.weight", "head.bias"]
head_before, keys, features, head_after, returned_same, outs, n_params = [], [], [], [], [], [], []
for _i, _n in enumerate(num_classes):
    _p = _os.path.join(_tmp, f"old{_i}.params")
    torch.save(_collections.OrderedDict(old), _p)
    _new = _Target(_n)
    head_before.append(_cat(_new.state_dict(), _head))
    returned_same.append(reuse_first_two(_pathlib.Path(_p) if _i else _p, _new) is _new)
    _after = _new.state_dict()
    keys.append(sorted(_after))
    features.append(_cat(_after, feature_keys))
    head_after.append(_cat(_after, _head))
    outs.append(_new(X))
    n_params.append(len(list(_new.parameters())))
"""), "head_before keys features head_after returned_same outs n_params", seed=7, X=X, old=old,
                    num_classes=num_classes, feature_keys=_FEATURES)
    want_keys = sorted(_FEATURES + ["head.weight", "head.bias"])
    want_features = torch.cat([old[k[len("features."):]].reshape(-1) for k in _FEATURES])
    hidden = F.relu(F.linear(F.relu(F.linear(X, old["0.weight"], old["0.bias"])), old["2.weight"], old["2.bias"]))
    for n, before, keys, features, head_after, returned_same, out, n_params in zip(
            num_classes, r.head_before, r.keys, r.features, r.head_after, r.returned_same, r.outs, r.n_params):
        expect(n_params == 6 and keys == want_keys,
               f"载入后 new_net 有 {n_params} 个参数张量、state_dict 的键为 {keys}，应仍是原来的 6 个参数 {want_keys}。")
        expect(features.shape == want_features.shape and torch.equal(features, want_features),
               "new_net.features 里两个线性层的参数没有变成 path 文件里旧网络前两层的参数。"
               "提示：旧文件的键（如 0.weight）和新网络的参数名（如 features.0.weight）对不上；"
               "strict=False 会悄悄跳过对不上的键。")
        expect(head_after.shape == before.shape and torch.equal(head_after, before),
               f"new_net.head（{n} 个输出）被改动了：输出头应保持新的随机初始化，只有前两层来自旧网络。")
        expected = F.linear(hidden, before[: n * 32].view(n, 32), before[n * 32:])
        expect(isinstance(out, torch.Tensor) and out.shape == expected.shape
               and torch.allclose(out, expected, atol=1e-5),
               "载入后 new_net 的输出不等于“旧网络前两层 + 原来的输出头”的输出。")
        expect(returned_same, "reuse_first_two 应原地修改并返回传进来的 new_net。")


@check(points=1, title="保存架构")
def arch_saving(student):
    _expect_letters(student, "ARCH_SAVING", {"B", "C"},
                    "state_dict 与整模型 pickle 里各记录了什么、没记录什么？"
                    "导出时 Python 代码只在捕获那一刻运行，得到的运算图里没有 Python 的 if。")


def _expect_letters(student, name, correct: set, hint: str) -> None:
    """A multiple-choice answer: ``name`` must be a set (the notebook says 集合) of exactly ``correct``."""
    kind, letters = student.eval(f"(type({name}).__name__, sorted({name}))")
    expect(kind in ("set", "frozenset"), f"{name} 应是一个集合（set），例如 {{\"A\", \"D\"}}，现在是 {kind}。")
    expect(set(letters) == correct, f"{name} 不完全正确。提示：{hint}")
