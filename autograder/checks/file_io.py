"""Hidden checks for 07_file_io (5.5 读写文件).

Every probe writes its files into its own ``tempfile.TemporaryDirectory()`` and hands the student's
functions a path there. Files a check needs (a checkpoint tagged as saved on ``cuda:0``, a pickle
that would run code) are built here, on the judge side, and travel to the probe as bytes.
"""
import os

import torch

from autograder.checks.common import cuda_tagged, expect_choices
from autograder.plain import dump
from autograder.registry import check, expect

# Probe preamble: a fresh temporary folder; the probe body is indented under it.
_IN_TMP = "import os as _os, tempfile as _tempfile\nwith _tempfile.TemporaryDirectory() as _tmp:\n"


def _in_tmp(body: str) -> str:
    return _IN_TMP + "".join("    " + line + "\n" for line in body.strip("\n").splitlines())


class _RunsCode:
    """Unpickling this calls os.getpid(): harmless, but it is code that a file makes run."""

    def __reduce__(self):
        return (os.getpid, ())


@check(points=2, title="只保存前 k 行")
def save_rows(student):
    data = torch.randn(500, 64, generator=student.rng)
    k = 7
    r = student.run(_in_tmp("""
_p = _os.path.join(_tmp, "rows.pt")
save_rows(_p, data, k)
exists = _os.path.exists(_p)
size = _os.path.getsize(_p) if exists else 0
loaded = torch.load(_p, weights_only=True) if exists else None
"""), "exists size loaded", data=data, k=k)
    expect(r.exists, "save_rows(path, data, k) 没有在给定的 path 上写出文件。提示：文件要写到参数 path，而不是固定的文件名。")
    expect(isinstance(r.loaded, torch.Tensor) and torch.equal(r.loaded, data[:k]),
           "用 torch.load 读回的内容不等于 data 的前 k 行（应是一个张量，形状、数值都相同）。")
    full = data.numel() * data.element_size()
    expect(r.size < full // 4,
           f"文件有 {r.size} 字节，而整个 data 也才 {full} 字节：你把整块存储都存进去了。"
           "提示：切片只是大张量存储上的视图，torch.save 会保存它背后的整块存储。")


@check(points=2, title="保存参数并重建 MLP 副本")
def mlp_clone(student):
    X = torch.randn(4, 20, generator=student.rng)
    r = student.run(_in_tmp("""
_p = _os.path.join(_tmp, "mlp.params")
net = MLP()
save_params(_p, net)
try:
    _saved = torch.load(_p, weights_only=True)
    saved_keys = sorted(_saved.keys()) if isinstance(_saved, dict) else type(_saved).__name__
except Exception as _e:
    saved_keys = "<" + type(_e).__name__ + ">"
clone = load_params(_p)
kind = type(clone).__name__
same_object = clone is net
training = getattr(clone, "training", None)
out, out_clone = net(X), clone(X)
"""), "saved_keys kind same_object training out out_clone", X=X)
    expected_keys = ["hidden.bias", "hidden.weight", "output.bias", "output.weight"]
    expect(r.saved_keys == expected_keys,
           f"save_params 写出的文件应是 MLP 的 state_dict（键为 {expected_keys}）,"
           f"用 torch.load(path, weights_only=True) 读到的却是 {r.saved_keys}。提示：保存参数字典，而不是整个模型。")
    expect(r.kind == "MLP" and not r.same_object, "load_params(path) 应新建并返回一个 MLP 实例。")
    expect(isinstance(r.out_clone, torch.Tensor) and torch.equal(r.out, r.out_clone),
           "副本的输出与原模型不完全相同（torch.equal 为 False）。提示：新建的 MLP 参数是随机的，要把文件里的参数载入进去。")
    expect(r.training is False, "load_params 返回的模型还处于训练模式。提示：用于预测前应切换到评估模式。")


@check(points=1, title="用 torch.equal 判断完全相同")
def tensors_identical(student):
    a = torch.randn(3, 4, generator=student.rng)
    nudged = a.clone()
    nudged[1, 2] += 1e-4
    cases = [
        (a, a.clone(), True),
        (a, nudged, False),
        (torch.ones(2, 1), torch.ones(1, 2), False),   # == broadcasts these to all-True
        (torch.ones(3), torch.ones(1), False),
        (torch.arange(5.0), torch.arange(5.0), True),
        (a[0], a[0].flip(0), False),
    ]
    for x, y, want in cases:
        got = student.eval("tensors_identical(x, y)", x=x, y=y)
        expect(type(got) is bool,
               f"tensors_identical 应返回 Python 的 bool，却返回了 {type(got).__name__}。"
               "提示：== 逐元素比较，得到的是一个张量。")
        expect(got == want,
               f"tensors_identical 对形状 {tuple(x.shape)} 与 {tuple(y.shape)} 的两个张量给出了 {got}，应为 {want}。"
               "提示：想一想 == 遇到形状不同的张量时会做什么（广播），以及一个很小的差别是否也算不同。")


@check(points=2, title="GPU 检查点加载到 CPU")
def map_to_cpu(student):
    state = {"weight": torch.randn(3, 4, generator=student.rng), "bias": torch.randn(3, generator=student.rng),
             "epoch": 5}
    data = cuda_tagged(state)
    r = student.run(_in_tmp("""
_p = _os.path.join(_tmp, "trained_on_gpu.pt")
with open(_p, "wb") as _f:
    _f.write(data)
error = None
loaded = devices = None
try:
    loaded = load_on_cpu(_p)
    devices = sorted({str(v.device) for v in loaded.values() if isinstance(v, torch.Tensor)})
except Exception as _e:
    error = (type(_e).__name__ + ": " + str(_e).split(". ")[0])[:200]
"""), "error loaded devices", data=data)
    expect(r.error is None,
           f"用 load_on_cpu 读取一个在 cuda:0 上保存的检查点时出错：{r.error}。"
           "提示：文件里记录了每块存储保存时所在的设备，torch.load 默认把它放回原设备。")
    expect(r.devices == ["cpu"],
           f"load_on_cpu 读出的张量在 {r.devices} 上，应全部在 cpu 上（评分可能在有 GPU 的机器上进行）。")
    expect(isinstance(r.loaded, dict) and set(r.loaded) == {"weight", "bias", "epoch"}
           and torch.equal(r.loaded["weight"], state["weight"]) and torch.equal(r.loaded["bias"], state["bias"])
           and r.loaded["epoch"] == 5,
           "load_on_cpu 应原样返回检查点里的对象（这里是一个字典），数值不能改变。")


@check(points=1, title="拒绝会执行代码的文件")
def weights_only_refuses(student):
    weight = torch.randn(2, 3, generator=student.rng)
    plain_file = dump({"weight": weight})
    runs_code = dump({"weight": weight, "extra": _RunsCode()})
    r = student.run(_in_tmp("""
_good, _bad = _os.path.join(_tmp, "good.pt"), _os.path.join(_tmp, "bad.pt")
with open(_good, "wb") as _f:
    _f.write(plain_file)
with open(_bad, "wb") as _f:
    _f.write(runs_code)
good = load_on_cpu(_good)
refused, loaded_bad = False, None
try:
    loaded_bad = load_on_cpu(_bad)
except Exception as _e:
    refused = True
"""), "good refused loaded_bad", plain_file=plain_file, runs_code=runs_code)
    expect(isinstance(r.good, dict) and torch.equal(r.good.get("weight"), weight),
           "load_on_cpu 应能正常读取只含张量的普通文件。")
    expect(r.refused,
           "load_on_cpu 加载了一个会在反序列化时调用函数的 pickle 文件，文件里的代码被执行了。"
           "提示：不要关掉 torch.load 的安全保护，也不要把它报的错吞掉。")


@check(points=3, title="检查点逐位一致地续训")
def checkpoint_resume(student):
    X = torch.randn(32, 5, generator=student.rng)
    y = torch.randn(32, 1, generator=student.rng)
    r = student.run(_in_tmp("""
def _make():
    return nn.Sequential(nn.Linear(5, 8), nn.Tanh(), nn.Linear(8, 1))

def _train(model, opt, steps):
    for _ in range(steps):
        opt.zero_grad()
        ((model(X) - y) ** 2).mean().backward()
        opt.step()

_optimizers = [lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9),
               lambda ps: torch.optim.Adam(ps, lr=0.02)]
straight, resumed, epochs, readable = [], [], [], []
for _i, _make_opt in enumerate(_optimizers):
    _p = _os.path.join(_tmp, f"run{_i}.ckpt")
    _model = _make()
    _opt = _make_opt(_model.parameters())
    _train(_model, _opt, 3)
    save_checkpoint(_p, _model, _opt, 11 + _i)
    _train(_model, _opt, 4)
    straight.append([p.detach().clone() for p in _model.parameters()])
    try:
        torch.load(_p, weights_only=True)
        readable.append(True)
    except Exception:
        readable.append(False)
    _model2 = _make()  # a restart: fresh random parameters, a fresh optimizer
    _opt2 = _make_opt(_model2.parameters())
    epochs.append(load_checkpoint(_p, _model2, _opt2))
    _train(_model2, _opt2, 4)
    resumed.append([p.detach().clone() for p in _model2.parameters()])
"""), "straight resumed epochs readable", X=X, y=y)
    expect(r.readable == [True, True],
           "检查点不能用 torch.load(path, weights_only=True) 读取。提示：存各部分的 state_dict 与整数，不要存模型或优化器对象本身。")
    expect(r.epochs == [11, 12], f"load_checkpoint 应返回保存时的 epoch（应为 [11, 12]，得到 {r.epochs}）。")
    names = ["带动量的 SGD", "Adam"]
    for name, a, b in zip(names, r.straight, r.resumed):
        expect(len(a) == len(b) and all(torch.equal(u, v) for u, v in zip(a, b)),
               f"使用 {name} 时，从检查点恢复后训练得到的参数与不中断训练的结果不逐位相同。"
               "提示：除了模型参数，优化器自己也有状态（动量、矩估计、步数）。")


@check(points=1, title="保存参数的好处")
def save_reasons(student):
    expect_choices(student, "SAVE_REASONS", {"A", "B", "C"},
                   "保存参数不会改变训练本身的速度或效果；参数文件里也没有模型的代码。")


@check(points=2, title="复用前两层")
def reuse_first_two(student):
    r = student.run(_in_tmp("""
class _Target(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU())
        self.head = nn.Linear(32, 10)  # same shape as the old third layer: copying it would fit

    def forward(self, x):
        return self.head(self.features(x))

_p = _os.path.join(_tmp, "old.params")
old = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
torch.save(old.state_dict(), _p)
new = _Target()
head_before = [p.detach().clone() for p in new.head.parameters()]
returned_same = reuse_first_two(_p, new) is new
old_params = [p for p in old.parameters()]
features_after = [new.features[0].weight, new.features[0].bias, new.features[2].weight, new.features[2].bias]
head_after = [p for p in new.head.parameters()]
"""), "head_before returned_same old_params features_after head_after", seed=7)
    expect(all(torch.equal(a, b) for a, b in zip(r.features_after, r.old_params[:4])),
           "new_net.features 里两个线性层的参数没有变成旧网络前两层的参数。"
           "提示：旧文件的键（如 0.weight）和新网络的参数名（如 features.0.weight）对不上；"
           "strict=False 会悄悄跳过对不上的键。")
    expect(all(torch.equal(a, b) for a, b in zip(r.head_after, r.head_before)),
           "new_net.head 被改动了：输出头应保持新的随机初始化，只有前两层来自旧网络。")
    expect(r.returned_same, "reuse_first_two 应原地修改并返回传进来的 new_net。")


@check(points=1, title="保存架构")
def arch_saving(student):
    expect_choices(student, "ARCH_SAVING", {"B", "C"},
                   "state_dict 与整模型 pickle 里各记录了什么、没记录什么？"
                   "导出时 Python 代码只在捕获那一刻运行，得到的运算图里没有 Python 的 if。")
