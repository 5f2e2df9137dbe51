"""Hidden checks for 05_deferred_init （5.3 延后初始化，taught with PyTorch lazy modules）.

Each function the notebook asks for takes any sizes, so each check tries several: depths of 1 to 5
layers, several input widths, nested and named Sequentials, a ReLU object reused, more than ten
layers. Forward values are compared after the probe has loaded parameter values of its own
(never the student's random init), with gradients; error messages are compared with the one that
PyTorch itself raises for the same shapes; the types the notebook names (list of bool, tuple,
Python int) are enforced.
"""
import torch
import torch.nn.functional as F

from autograder.checks.common import PACKING, pack, unpack
from autograder.registry import check, expect

ATOL = 1e-5


# Probe helpers, defined in the student's (copied) namespace.
HELPERS = """
import torch
from torch import nn
from collections import OrderedDict
""" + PACKING + """
def _fill(linears, seed, scale=0.5):
    g = torch.Generator().manual_seed(seed)
    written = []
    with torch.no_grad():
        for m in linears:
            w = torch.randn(m.weight.shape, generator=g) * scale
            m.weight.copy_(w)
            b = None
            if m.bias is not None:
                b = torch.randn(m.bias.shape, generator=g) * scale
                m.bias.copy_(b)
            written.append((w, b))
    return written

def _grads(modules):
    copy = lambda g: None if g is None else g.detach().clone()
    return [(copy(m.weight.grad), copy(getattr(m.bias, "grad", None))) for m in modules]

def _backward(out, G):
    if isinstance(out, torch.Tensor) and out.requires_grad:
        (out * G).sum().backward()

def _linears(net):
    return [m for m in net.modules() if isinstance(m, nn.Linear)]
"""


def linear(x, w, b):
    return x @ w.T + (0 if b is None else b)


def sizes(rng, n, low=3, high=9):
    return [int(v) for v in torch.randint(low, high, (n,), generator=rng)]


def close(a, b, atol=ATOL):
    return (isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor) and a.shape == b.shape
            and a.dtype == b.dtype and torch.allclose(a, b, atol=atol, rtol=1e-4))


def shape_of(value):
    return tuple(value.shape) if isinstance(value, torch.Tensor) else repr(value)


def mlp_reference(X, params, G):
    """The lazy MLP's output (ReLU between layers, none after the last) and the gradients of
    ``(out * G).sum()`` with respect to each weight and bias, computed in the judge."""
    leaves = [(w.clone().requires_grad_(True), None if b is None else b.clone().requires_grad_(True))
              for w, b in params]
    h = X
    for i, (w, b) in enumerate(leaves):
        h = linear(h, w, b)
        if i < len(leaves) - 1:
            h = F.relu(h)
    flat = [t for pair in leaves for t in pair if t is not None]
    grads = iter(torch.autograd.grad((h * G).sum(), flat))
    return h.detach(), [(next(grads), None if b is None else next(grads)) for w, b in leaves]


def grads_match(found, expected):
    if not isinstance(found, (list, tuple)) or len(found) != len(expected):
        return False
    return all(close(fw, ew) and (eb is None or close(fb, eb)) for (fw, fb), (ew, eb) in zip(found, expected))


def mismatch_message(rows, width, weight_shape):
    """What PyTorch says when a (rows, width) input meets a Linear whose weight is weight_shape."""
    try:
        F.linear(torch.zeros(rows, width), torch.zeros(weight_shape))
    except RuntimeError as err:
        return str(err)
    raise AssertionError("course bug: these shapes multiply")


@check(points=2, title="试跑之前参数尚未初始化")
def lazy_mlp_deferred(student):
    cases = [sizes(student.rng, n) for n in (3, 1, 5)]
    r = student.run(HELPERS + """
found = []
for out_sizes in cases:
    net = lazy_mlp(*out_sizes)
    found.append({
        "is_seq": isinstance(net, nn.Sequential),
        "linears": [(type(m).__name__, isinstance(m, nn.LazyLinear), m.out_features) for m in _linears(net)],
        "ptypes": [type(p).__name__ for p in net.parameters()],
    })
""", "found", cases=cases)
    for out_sizes, f in zip(cases, r.found):
        call = f"lazy_mlp({', '.join(map(str, out_sizes))})"
        expect(f["is_seq"], f"{call} 应返回一个 nn.Sequential。")
        expect([(lazy, n) for _, lazy, n in f["linears"]] == [(True, n) for n in out_sizes],
               f"{call} 的线性层应依次是输出尺寸为 {out_sizes} 的 nn.LazyLinear，"
               f"你的是 {[f'{k}({n})' for k, _, n in f['linears']]}。")
        expect(f["ptypes"] == ["UninitializedParameter"] * (2 * len(out_sizes)),
               f"第一次前向传播之前，{call} 应有 {2 * len(out_sizes)} 个参数，全部是 UninitializedParameter，"
               f"实际是 {f['ptypes']}。"
               "提示：只要某一层在构造时写明了输入尺寸，它的参数就会立即初始化；这里要求每一层都延后，且都带偏置。")


@check(points=2, title="试跑之后形状被正确推断")
def lazy_mlp_inferred(student):
    g = student.rng
    cases = []
    for n_layers, lead in [(1, (2,)), (4, (2, 3))]:  # one layer, and four layers on a 3-D input
        out_sizes = sizes(g, n_layers)
        width = int(torch.randint(10, 30, (1,), generator=g))
        X = torch.randn(*lead, width, generator=g)
        cases.append((out_sizes, X, torch.randn(*lead, out_sizes[-1], generator=g)))
    fill_seed = int(torch.randint(1, 2**31, (1,), generator=g))
    r = student.run(HELPERS + """
values = _unpack(inputs)
found, tensors = [], []
for i, out_sizes in enumerate(sizes):
    X, G = values[2 * i:2 * i + 2]
    net = lazy_mlp(*out_sizes)
    net(X)
    linears = _linears(net)
    found.append({"kinds": [type(m).__name__ for m in linears], "shapes": [tuple(m.weight.shape) for m in linears],
                  "at": len(tensors)})
    written = _fill(linears, fill_seed + i)
    out = net(X)
    _backward(out, G)
    grads = _grads(linears)
    tensors += [out, X] + [t for pair in written + grads for t in pair]
result = _pack(tensors)
""", "found result", sizes=[c[0] for c in cases], inputs=pack([t for c in cases for t in c[1:]]), fill_seed=fill_seed)
    tensors = unpack(r.result)
    for (out_sizes, X, G), f in zip(cases, r.found):
        at, n = f["at"], len(f["shapes"])
        f["out"], f["X_after"] = tensors[at], tensors[at + 1]
        pairs = tensors[at + 2:at + 2 + 4 * n]
        f["written"] = [tuple(pairs[j:j + 2]) for j in range(0, 2 * n, 2)]
        f["grads"] = [tuple(pairs[j:j + 2]) for j in range(2 * n, 4 * n, 2)]
        call = f"lazy_mlp({', '.join(map(str, out_sizes))})"
        width = X.shape[-1]
        expect(f["kinds"] == ["Linear"] * len(out_sizes),
               f"用 {width} 列的数据试跑 {call} 之后，各惰性层应变成普通的 Linear，实际是 {f['kinds']}。")
        expected_shapes = [(n, m) for n, m in zip(out_sizes, [width] + out_sizes[:-1])]
        expect(f["shapes"] == expected_shapes,
               f"用 {width} 列的数据试跑 {call} 后，权重形状应为 {expected_shapes}，实际是 {f['shapes']}。")
        expected, grads = mlp_reference(X, f["written"], G)
        expect(isinstance(f["out"], torch.Tensor) and f["out"].shape == expected.shape,
               f"{call} 对形状为 {tuple(X.shape)} 的输入应输出形状 {tuple(expected.shape)}，得到 {shape_of(f['out'])}。")
        expect(close(f["out"], expected),
               f"把参数换成检查给定的值后，{call} 的输出与“线性层之间夹 ReLU、最后一层之后不加激活”的计算不一致"
               f"（输入形状 {tuple(X.shape)}）。")
        expect(grads_match(f["grads"], grads), f"{call} 的输出正确，但参数的梯度不对（或没有梯度）。")
        expect(torch.equal(f["X_after"], X), f"{call} 的前向传播修改了输入。")


@check(points=1, title="判断哪些参数已初始化")
def init_status(student):
    a, b, c, d = sizes(student.rng, 4)
    X = torch.randn(3, a, generator=student.rng)
    r = student.run(HELPERS + """
net = nn.Sequential(nn.Linear(a, b), nn.ReLU(), nn.LazyLinear(c), nn.ReLU(), nn.LazyLinear(d, bias=False))
before = init_status(net)
net(X)
after = init_status(net)
lazy_first = init_status(nn.Sequential(nn.LazyLinear(c), nn.ReLU(), nn.Linear(c, d)))
shared = nn.Linear(b, b)
nested = init_status(nn.Sequential(nn.Linear(a, b), nn.Sequential(nn.LazyLinear(b), shared), shared,
                                   nn.LazyBatchNorm1d()))
empty = init_status(nn.ReLU())
""", "before after lazy_first nested empty", a=a, b=b, c=c, d=d, X=X)
    cases = [
        ("Sequential(Linear, ReLU, LazyLinear, ReLU, LazyLinear(bias=False)) 试跑之前", r.before,
         [True, True, False, False, False]),
        ("同一个网络试跑之后", r.after, [True] * 5),
        ("Sequential(LazyLinear, ReLU, Linear)", r.lazy_first, [False, False, True, True]),
        ("含嵌套 Sequential、一个被用了两次的 Linear 和 LazyBatchNorm1d 的网络", r.nested,
         [True, True, False, False, True, True, False, False]),
        ("没有参数的 nn.ReLU()", r.empty, []),
    ]
    for what, found, expected in cases:
        expect(isinstance(found, list) and all(type(v) is bool for v in found),
               f"init_status 应返回由 Python bool 组成的列表，对{what}得到 {found!r}。")
        expect(found == expected,
               f"对{what}，init_status 应返回 {expected}，得到 {found}。"
               "提示：按 net.parameters() 的顺序逐个判断；UninitializedParameter 也是 nn.Parameter 的子类，"
               "只判断“是不是 Parameter”是区分不开的。")


@check(points=2, title="试跑让参数实体化并得到正确形状")
def init_after_dry_run_shapes(student):
    g = student.rng
    w1, w2, w3 = (int(v) for v in torch.randint(10, 40, (3,), generator=g))
    h1, h2, o = sizes(g, 3, 5, 20)
    r = student.run(HELPERS + """
nets = {
    "flat": (nn.Sequential(nn.LazyLinear(h1), nn.ReLU(), nn.LazyLinear(o)), w1),
    "nested": (nn.Sequential(nn.LazyLinear(h1), nn.ReLU(), nn.Sequential(nn.LazyLinear(h2), nn.ReLU()),
                             nn.LazyLinear(o)), w2),
    "mixed": (nn.Sequential(nn.LazyLinear(h2), nn.ReLU(), nn.Linear(h2, o)), w3),
}
found = {}
for key, (net, width) in nets.items():
    returned = init_after_dry_run(net, width)
    entry = {"same": returned is net,
             "ptypes": [type(p).__name__ for p in net.parameters()],
             "kinds": [type(m).__name__ for m in _linears(net)],
             "shapes": [tuple(p.shape) for p in net.parameters() if type(p).__name__ == "Parameter"]}
    try:  # a training step works afterwards: forward and backward
        net(torch.randn(3, width)).sum().backward()
        entry["trains"] = all(p.grad is not None for p in net.parameters())
    except Exception as err:
        entry["trains"] = f"{type(err).__name__}: {err}"
    found[key] = entry
""", "found", h1=h1, h2=h2, o=o, w1=w1, w2=w2, w3=w3)
    spec = {
        "flat": (f"Sequential(LazyLinear({h1}), ReLU(), LazyLinear({o}))", w1, [(h1, w1), (h1,), (o, h1), (o,)]),
        "nested": (f"Sequential(LazyLinear({h1}), ReLU(), Sequential(LazyLinear({h2}), ReLU()), LazyLinear({o}))", w2,
                   [(h1, w2), (h1,), (h2, h1), (h2,), (o, h2), (o,)]),
        "mixed": (f"Sequential(LazyLinear({h2}), ReLU(), Linear({h2}, {o}))", w3, [(h2, w3), (h2,), (o, h2), (o,)]),
    }
    for key, (net, width, shapes) in spec.items():
        f = r.found[key]
        expect(f["ptypes"] == ["Parameter"] * len(shapes) and set(f["kinds"]) == {"Linear"},
               f"init_after_dry_run({net}, {width}) 之后，网络的参数应全部实体化（惰性层变成 Linear），"
               f"实际参数类型是 {f['ptypes']}。提示：要先用假数据调用一次网络。")
        expect(f["shapes"] == shapes,
               f"init_after_dry_run({net}, {width}) 之后，参数形状应为 {shapes}，实际是 {f['shapes']}。"
               "提示：假数据的形状应为（批量大小，in_features）。")
        expect(f["same"], "init_after_dry_run 应返回传入的那个 net 本身。")
        expect(f["trains"] is True,
               f"init_after_dry_run 之后，网络做一次前向和反向传播时出错或没有得到梯度：{f['trains']}。"
               "提示：试跑可以放在 torch.no_grad() 里；torch.inference_mode() 里创建的参数之后无法训练。")


@check(points=2, title="试跑之后施加的自定义初始化")
def init_after_dry_run_values(student):
    width = int(torch.randint(20, 40, (1,), generator=student.rng))
    r = student.run(HELPERS + """
net = nn.Sequential(nn.LazyLinear(256), nn.ReLU(), nn.Sequential(nn.LazyLinear(128), nn.ReLU(), nn.LayerNorm(128)),
                    nn.Linear(128, 64))
init_after_dry_run(net, width)
linears = _linears(net)
weights = [m.weight for m in linears]
biases = [m.bias for m in linears]
norm = (net[2][2].weight, net[2][2].bias)
trainable = [p.requires_grad for p in net.parameters()]
""", "weights biases norm trainable", width=width, seed=5)
    names = ["第一层 LazyLinear(256)", "嵌套的 LazyLinear(128)", "本来就不是惰性的 Linear(128, 64)"]
    expect(len(r.weights) == 3 and all(isinstance(t, torch.Tensor) for t in r.weights + r.biases),
           "init_after_dry_run 之后，三个线性层的权重和偏置都应已实体化。")
    # Each weight alone: the smallest has 256 * 20 = 5120 entries of N(0, 0.01^2). Its sample std
    # has a standard error of 0.01 / sqrt(2 * 5120) ~ 1e-4 and its mean 0.01 / sqrt(5120) ~ 1.4e-4:
    # the tolerances 0.0015 and 0.002 are 14 standard errors, false-fail probability < 1e-40.
    for name, w in zip(names, r.weights):
        std, mean = w.std().item(), w.mean().item()
        expect(abs(std - 0.01) < 0.0015 and abs(mean) < 0.002,
               f"{name} 的权重应服从均值 0、标准差 0.01 的正态分布，实测标准差 {std:.4f}、均值 {mean:.4f}。"
               "提示：试跑之后 LazyLinear 已经变成了 nn.Linear；初始化要用到网络里每一个线性层，包括嵌套在子块里的。")
    # The shape of the distribution, all weights pooled (at least 46080 entries): the share within
    # one std is 0.6827 for a normal law (0.577 for a uniform one with the same std). Its standard
    # error is 0.0022, the tolerance 0.02 is 9 standard errors: false-fail probability < 1e-18.
    pooled = torch.cat([w.flatten() for w in r.weights])
    share = (pooled.abs() < 0.01).double().mean().item()
    expect(abs(share - 0.6827) < 0.02,
           f"线性层权重中落在 ±0.01（一个标准差）内的比例是 {share:.3f}，正态分布应约为 0.683。"
           "提示：要用正态分布（nn.init.normal_），而不是均匀分布。")
    for name, b in zip(names, r.biases):
        expect(bool((b == 0).all()), f"{name} 的偏置应全部为 0，实测最大绝对值 {b.abs().max().item():.4g}。")
    expect(bool((r.norm[0] == 1).all() and (r.norm[1] == 0).all()),
           "网络中的 LayerNorm 不是线性层，它的参数应保持默认值（权重全 1、偏置全 0），但被改动了。"
           "提示：按层的类型（nn.Linear）挑选，而不是按参数的名字或维数。")
    expect(all(r.trainable), "初始化之后，所有参数都应仍然需要梯度（requires_grad=True）。")


@check(points=2, title="定位尺寸不匹配的层")
def locate_mismatch(student):
    g = student.rng
    a, b, c, d = sizes(g, 4, 4, 12)
    n = int(torch.randint(2, 6, (1,), generator=g))
    c2 = c + int(torch.randint(1, 4, (1,), generator=g))
    a2 = a + int(torch.randint(1, 4, (1,), generator=g))
    token = f"boom-{int(torch.randint(10**6, 10**7, (1,), generator=g))}"
    X = torch.randn(n, a, generator=g)
    r = student.run(HELPERS + """
class _Boom(nn.Module):
    def forward(self, x):
        raise RuntimeError(token)

relu = nn.ReLU()
named = [("fc0", nn.Linear(a, b))]
for i in range(1, 6):
    named += [(f"act{i}", relu), (f"fc{i}", nn.Linear(b, b))]
named += [("act6", relu), ("bad", nn.Linear(b + 1, d))]
found = {
    "late": locate_mismatch(nn.Sequential(nn.Linear(a, b), nn.ReLU(), nn.Linear(b, c), nn.ReLU(), nn.Linear(c2, d)), X),
    "early": locate_mismatch(nn.Sequential(nn.Linear(a2, b), nn.ReLU(), nn.Linear(b, d)), X),
    "named": locate_mismatch(nn.Sequential(OrderedDict(named)), X),
    "custom": locate_mismatch(nn.Sequential(nn.Linear(a, b), nn.Tanh(), _Boom(), nn.Linear(c2, d)), X),
    "good": locate_mismatch(nn.Sequential(nn.Linear(a, b), nn.ReLU(), nn.Linear(b, d)), X),
    "lazy": locate_mismatch(nn.Sequential(nn.LazyLinear(b), nn.ReLU(), nn.LazyLinear(d)), X),
}
X_after = X
""", "found X_after", a=a, b=b, c=c, d=d, c2=c2, a2=a2, X=X, token=token)
    f = r.found
    cases = [
        ("late", f"Sequential(Linear({a}, {b}), ReLU(), Linear({b}, {c}), ReLU(), Linear({c2}, {d}))", 4,
         mismatch_message(n, c, (d, c2))),
        ("early", f"Sequential(Linear({a2}, {b}), ReLU(), Linear({b}, {d}))", 0, mismatch_message(n, a, (b, a2))),
        ("named", "一个 13 层、用 OrderedDict 命名、同一个 ReLU 对象用了 6 次的 Sequential", 12,
         mismatch_message(n, b, (d, b + 1))),
        ("custom", "第 2 层抛出自定义 RuntimeError 的 Sequential", 2, token),
    ]
    for key, what, index, message in cases:
        found = f[key]
        expect(isinstance(found, tuple) and len(found) == 2,
               f"对 {what}，locate_mismatch 应返回元组（下标，报错信息），得到 {found!r}。")
        expect(type(found[0]) is int and found[0] == index,
               f"对 {what}（输入形状 ({n}, {a})），出错的是下标为 {index} 的层（Python int），"
               f"locate_mismatch 返回的下标是 {found[0]!r}。"
               "提示：按 net 中的位置逐个调用子层（enumerate(net)），记录是在哪一层抛出 RuntimeError 的；"
               "children() 会把重复出现的层只列一次。")
        expect(found[1] == message,
               f"对 {what}，返回的报错信息应是那一层实际抛出的 RuntimeError 的内容 {message!r}，"
               f"得到 {found[1]!r}。提示：返回 str(err)，不要自己编写文字。")
    expect(f["good"] is None and f["lazy"] is None,
           f"网络能顺利跑完时（包括全由惰性层组成的网络），locate_mismatch 应返回 None，"
           f"得到 {f['good']!r} 和 {f['lazy']!r}。")
    expect(torch.equal(r.X_after, X), "locate_mismatch 修改了输入 X。")


@check(points=2, title="惰性层的形状在第一次调用后固定")
def two_calls_error(student):
    g = student.rng
    w1, w2, k, k2 = sizes(g, 4, 4, 12)
    w2 = w2 if w2 != w1 else w1 + 1
    w3 = w1 - 1 - int(torch.randint(0, 3, (1,), generator=g))  # narrower than w1
    n1, n2, n3 = sizes(g, 3, 2, 7)
    X1 = torch.randn(n1, w1, generator=g)
    X2 = torch.randn(n2, w2, generator=g)
    X3 = torch.randn(n2 + 1, w1, generator=g)
    X4 = torch.randn(n3, w3, generator=g)
    r = student.run(HELPERS + """
calls = []
def make():
    calls.append(1)
    return nn.Sequential(nn.LazyLinear(k), nn.ReLU(), nn.LazyLinear(3))
def make_deep():
    calls.append(1)
    return nn.Sequential(nn.LazyLinear(k2), nn.ReLU(), nn.LazyLinear(k), nn.ReLU(), nn.LazyLinear(2))
X1, X2, X3, X4 = _unpack(inputs)
found, n_calls = {}, {}
for key, factory, A, B in [("changed", make, X1, X2), ("same", make, X1, X3), ("narrower", make_deep, X1, X4)]:
    calls.clear()
    found[key] = two_calls(factory, A, B)
    n_calls[key] = len(calls)
inputs_after = _pack([X1, X2, X3, X4])
""", "found n_calls inputs_after", k=k, k2=k2, inputs=pack([X1, X2, X3, X4]))
    cases = [
        ("changed", f"先 ({n1}, {w1}) 后 ({n2}, {w2})", (w1, mismatch_message(n2, w2, (k, w1)))),
        ("same", f"先 ({n1}, {w1}) 后 ({n2 + 1}, {w1})（宽度相同，批量大小不同）", (w1, None)),
        ("narrower", f"三层的网络，先 ({n1}, {w1}) 后 ({n3}, {w3})", (w1, mismatch_message(n3, w3, (k2, w1)))),
    ]
    for key, what, expected in cases:
        found = r.found[key]
        expect(r.n_calls[key] == 1,
               f"two_calls 调用了 make_net {r.n_calls[key]} 次（输入 {what}），应只构造一个网络、调用 1 次。")
        expect(isinstance(found, tuple) and len(found) == 2,
               f"two_calls 应返回元组（in_features，报错信息），输入 {what} 时得到 {found!r}。")
        expect(type(found[0]) is int and found[0] == expected[0],
               f"输入 {what} 时，第一次调用后第一层的 in_features 应为 {expected[0]}（Python int），"
               f"two_calls 返回的是 {found[0]!r}。")
        expect(found[1] == expected[1],
               f"输入 {what} 时，第二次调用同一个网络"
               + ("应当抛出 RuntimeError，报错信息应为 " if expected[1] else "不会出错，报错信息一项应为 ")
               + f"{expected[1]!r}，two_calls 返回的是 {found[1]!r}。"
               "提示：两次调用的必须是同一个网络对象；返回捕获到的 str(err)。")
    expect(all(torch.equal(x, y) for x, y in zip(unpack(r.inputs_after), [X1, X2, X3, X4])), "two_calls 修改了输入的数据。")


@check(points=2, title="接受多种输入宽度的网络")
def multi_width_mlp(student):
    g = student.rng
    base = int(torch.randint(4, 9, (1,), generator=g))
    widths = [base + 7, base, base + 3, base + 12]  # not sorted
    h, o = sizes(g, 2, 3, 10)
    h2, o2 = h + 2, o + 1
    Xs = [torch.randn(int(torch.randint(2, 6, (1,), generator=g)), w, generator=g) for w in widths]
    Xs.append(torch.randn(2, 3, widths[1], generator=g))  # the width is the last dimension
    Gs = [torch.randn(*X.shape[:-1], o, generator=g) for X in Xs]
    X_other = torch.randn(3, widths[2], generator=g)
    fill_seed = int(torch.randint(1, 2**31, (1,), generator=g))
    r = student.run(HELPERS + """
values = _unpack(inputs)
Xs, Gs, X_other = values[:len(values) // 2], values[len(values) // 2:-1], values[-1]
net = MultiWidthMLP(widths, h, o)
kinds = [isinstance(net.stems, nn.ModuleDict), isinstance(net.body, nn.Linear)]
keys = sorted(net.stems.keys())
try:
    for X in Xs:  # a first call per width (stems may be lazy)
        net(X)
    error = None
except RuntimeError as err:
    error = str(err)
stems = [net.stems[str(w)] for w in widths]
distinct = len({id(m) for m in stems})
own = {id(p) for m in stems + [net.body] for p in m.parameters()}
listed = list(net.parameters())
registered = {id(p) for p in listed} == own
n_params = len(listed)
written = _fill(stems + [net.body], fill_seed) if error is None else None
outs = [net(X) for X in Xs] if error is None else []
for out, G in zip(outs, Gs):
    _backward(out, G)
grads = _grads(stems + [net.body])
result = _pack([t for pair in (written or []) + grads for t in pair] + outs)
other = MultiWidthMLP([widths[2]], h2, o2)
other_out = tuple(other(X_other).shape)
""", "kinds keys error distinct registered n_params result other_out",
                    widths=widths, h=h, o=o, h2=h2, o2=o2, inputs=pack(Xs + Gs + [X_other]), fill_seed=fill_seed)
    expect(r.kinds == [True, True],
           f"self.stems 应是 nn.ModuleDict、self.body 应是 nn.Linear，检查结果为 {r.kinds}。")
    expect(r.keys == sorted(str(w) for w in widths),
           f"widths={widths} 时，stems 的键应为 {sorted(str(w) for w in widths)}，实际是 {r.keys}。")
    expect(r.error is None,
           f"依次送入宽度为 {widths} 的数据时出错：{r.error}。"
           "提示：每种宽度都要有一个独立的入口层对象；同一个层（包括惰性层）第一次调用后形状就固定了。")
    expect(r.distinct == len(widths) and r.registered and r.n_params == 2 * len(widths) + 2,
           f"宽度为 {widths} 时网络应有 {len(widths)} 个不同的入口层和 {2 * len(widths) + 2} 个参数张量"
           f"（每个入口层 2 个，共享的 body 2 个），实际有 {r.distinct} 个不同的入口层、{r.n_params} 个参数张量。"
           "提示：入口层要登记在 nn.ModuleDict 里，body 只有一个。")
    tensors = unpack(r.result)
    k = 2 * (len(widths) + 1)
    written = [tuple(tensors[j:j + 2]) for j in range(0, k, 2)]
    found_grads, outs = tensors[k:2 * k], tensors[2 * k:]
    stems = written[:-1]
    for w, (ws, _) in zip(widths, stems):
        expect(tuple(ws.shape) == (h, w), f"宽度 {w} 的入口层权重形状应为 {(h, w)}，实际是 {tuple(ws.shape)}。")
    by_width = dict(zip(widths, range(len(widths))))
    leaves = [t.clone().requires_grad_(True) for pair in written for t in pair]
    total = 0
    for X, G, out in zip(Xs, Gs, outs):
        i = by_width[X.shape[-1]]
        expected = linear(F.relu(linear(X, leaves[2 * i], leaves[2 * i + 1])), leaves[-2], leaves[-1])
        expect(isinstance(out, torch.Tensor) and close(out, expected.detach()),
               f"把参数换成检查给定的值后，形状为 {tuple(X.shape)} 的输入的输出应为 "
               f"body(relu(stems[str({X.shape[-1]})](X)))，得到形状 {shape_of(out)} 的不同结果。"
               "提示：按 X 的最后一维（X.shape[-1]）选入口层。")
        total = total + (expected * G).sum()
    expected_grads = torch.autograd.grad(total, leaves)
    expect(len(found_grads) == len(expected_grads) and all(close(a, b) for a, b in zip(found_grads, expected_grads)),
           "MultiWidthMLP 的输出正确，但入口层或 body 的梯度不对（或没有梯度）。")
    expect(r.other_out == (3, o2),
           f"MultiWidthMLP([{widths[2]}], {h2}, {o2}) 对形状为 (3, {widths[2]}) 的输入应输出形状 (3, {o2})，"
           f"得到 {r.other_out}。提示：num_hiddens 和 num_outputs 要用传入的参数，不要写死。")
