"""Hidden checks for 02_parameter_access （5.2 参数管理：参数访问）.

Each check calls the student's function on several nets that the notebook never shows: nested
blocks, a layer used twice, an activation object reused, an ``nn.Sequential`` built from an
``OrderedDict`` (names instead of 0, 1, ...), a parameter and buffers on the top module itself, a
frozen parameter, a non-persistent buffer and a net without parameters. The expected answers are
computed here, from the same construction code run in the grader (``NETS``), never from the
student's objects.
"""
import torch
import torch.nn.functional as F
from torch import nn

from autograder.registry import check, expect

# Probe nets, built in the student's process and, for the expected answers, here.
NETS = """
from collections import OrderedDict as _OD


class _Scaled(nn.Module):
    # A child declared before the top module's own parameter; buffers persistent and not.
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(3, 3), nn.Tanh())
        self.scale = nn.Parameter(torch.ones(3))
        self.register_buffer("offset", torch.zeros(2, 3))
        self.register_buffer("scratch", torch.zeros(7), persistent=False)

    def forward(self, X):
        return self.body(X * self.scale) + self.offset[0]


def _nets():
    shared = nn.Linear(4, 4)
    act = nn.ReLU()
    first, second = nn.Linear(4, 4), nn.Linear(4, 4)
    second.weight = first.weight
    frozen = nn.Linear(2, 3)
    frozen.weight.requires_grad_(False)
    return {
        "plain": nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2)),
        "nested": nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Sequential(nn.Linear(4, 4), nn.Tanh()),
                                nn.Linear(4, 2)),
        "named": nn.Sequential(_OD([("hidden", nn.Linear(2, 5)), ("act", nn.ReLU()), ("out", nn.Linear(5, 1))])),
        "scaled": _Scaled(),
        "tied": nn.Sequential(nn.Linear(2, 4), act, shared, act, shared, nn.Tanh(), first, second),
        "frozen": nn.Sequential(frozen, nn.ReLU(), nn.Linear(3, 1)),
        "bn": nn.Sequential(nn.Linear(4, 3, bias=False), nn.BatchNorm1d(3), nn.ReLU()),
        "empty": nn.Sequential(nn.ReLU(), nn.Flatten()),
    }
"""

DESCRIBE = {
    "plain": "Sequential(Linear(3, 4), ReLU(), Linear(4, 2))",
    "nested": "Sequential(Linear(3, 4), ReLU(), Sequential(Linear(4, 4), Tanh()), Linear(4, 2))",
    "named": "用 OrderedDict 命名子块的 Sequential（子块名 hidden、act、out）",
    "scaled": "自定义块：子块 body 之外，块自身还有参数 scale、缓冲区 offset 和一个不保存的缓冲区 scratch",
    "tied": "含共享层的 Sequential（同一个 Linear(4, 4) 出现两次，另有两层共用一个权重）",
    "frozen": "第一层权重被冻结（requires_grad=False）的 Sequential",
    "bn": "Sequential(Linear(4, 3, bias=False), BatchNorm1d(3), ReLU())",
    "empty": "没有任何参数的 Sequential(ReLU(), Flatten())",
}


def reference_nets():
    scope = {"torch": torch, "nn": nn, "F": F}
    exec(NETS, scope)
    return scope["_nets"]()


def is_shape(value):
    return isinstance(value, tuple) and all(isinstance(n, int) and not isinstance(n, bool) for n in value)


def is_table(value):
    """A list of (name, shape tuple) tuples, as param_table returns."""
    return isinstance(value, list) and all(
        isinstance(row, tuple) and len(row) == 2 and isinstance(row[0], str) and is_shape(row[1]) for row in value)


TABLE_FORM = ("格式应为列表，每一项是由参数名字符串和形状元组组成的二元组，例如 [('0.weight', (4, 3)), ('0.bias', (4,))]；"
              "形状用 tuple(p.shape)，不要用列表。")


@check(points=1, title="state_dict 中每一项的形状")
def state_shapes(student):
    cases = ["plain", "named", "scaled", "tied", "bn", "empty"]
    r = student.run(NETS + f"""
_all = _nets()
got = {{name: state_shapes(_all[name]) for name in {cases!r}}}
got["linear"] = state_shapes(nn.Linear(3, 5))
got["nobias"] = state_shapes(nn.Linear(6, 2, bias=False))
got["bn4"] = state_shapes(nn.BatchNorm1d(4))
""", "got")
    nets = reference_nets()
    expected = {name: {k: tuple(v.shape) for k, v in nets[name].state_dict().items()} for name in cases}
    expected["linear"] = {"weight": (5, 3), "bias": (5,)}
    expected["nobias"] = {"weight": (2, 6)}
    expected["bn4"] = {"weight": (4,), "bias": (4,), "running_mean": (4,), "running_var": (4,),
                       "num_batches_tracked": ()}
    describe = dict(DESCRIBE, linear="nn.Linear(3, 5)", nobias="nn.Linear(6, 2, bias=False)",
                    bn4="nn.BatchNorm1d(4)")
    for name in ["linear", "nobias", "bn4"] + cases:
        got = r.got[name]
        expect(isinstance(got, dict),
               f"state_shapes 应返回字典（键 → 形状元组），对 {describe[name]} 你返回的是 {type(got).__name__}。")
        bad = [k for k, v in got.items() if not is_shape(v)]
        expect(not bad,
               f"state_shapes 的值应是形状元组（如 (5, 3)，标量为 ()），对 {describe[name]}，键 {bad[:3]} 的值是 "
               f"{[got[k] for k in bad[:3]]}。提示：用 tuple(value.shape)。")
        hint = ""
        if set(got) < set(expected[name]):
            hint = ("提示：state_dict() 不只有参数，还有缓冲区（如批量规范化的 running_mean），"
                    "而且同一个层出现在几个位置就在每个位置各列一次。")
        elif set(got) > set(expected[name]):
            hint = "提示：不保存的缓冲区（persistent=False）不在 state_dict() 里；键要从 state_dict() 里取。"
        expect(got == expected[name],
               f"对 {describe[name]}，state_shapes 应为 {expected[name]}，你的是 {got}。{hint}")


GRAD_NETS = {
    "plain": "nn.Sequential(nn.Linear(3, 6), nn.Tanh(), nn.Linear(6, 2))",
    "custom": "_Scaled()",
    "tied": "nn.Sequential(nn.Sequential(_OD([('inp', nn.Linear(3, 4)), ('act', nn.Tanh())])), _shared, nn.Sigmoid(), _shared)",
}
GRAD_WHERE = {
    "plain": "nn.Sequential(nn.Linear(3, 6), nn.Tanh(), nn.Linear(6, 2))",
    "custom": "一个自身带参数 scale 和缓冲区的自定义块",
    "tied": "一个用 OrderedDict 命名子块、同一个 Linear(4, 4) 出现两次的 Sequential",
}


@check(points=2, title="反向传播前后的梯度")
def grad_snapshot(student):
    X = torch.randn(5, 3, generator=student.rng)
    X0 = torch.randn(5, 3, generator=student.rng)
    nets = "\n".join(f"    {k!r}: lambda: {v}," for k, v in GRAD_NETS.items())
    # Parameters and earlier gradients travel as one flat vector per net (many small tensors are slow to load).
    r = student.run(NETS + f"""
_shared = nn.Linear(4, 4)
_make = {{
{nets}
}}
def _flat(tensors):
    return torch.cat([t.detach().reshape(-1) for t in tensors])
fresh, graded = {{}}, {{}}
for _k in ("plain", "custom"):
    # A fresh net: every .grad is None before.
    _net = _make[_k]()
    _params = _flat(_net.parameters())
    _result = grad_snapshot(_net, X)
    _net(X).sum().backward()  # a later backward must not change what after holds
    fresh[_k] = (_params, _result)
for _k in ("tied",):
    # A net that already has gradients: they are recorded, then accumulated, not zeroed.
    _net = _make[_k]()
    (_net(X0) ** 2).sum().backward()
    _params = _flat(_net.parameters())
    _old = _flat(p.grad for p in _net.parameters())
    _result = grad_snapshot(_net, X)
    graded[_k] = (_params, _old, _result, not torch.equal(_params, _flat(_net.parameters())))
""", "fresh graded", X=X, X0=X0)

    def reference(key, flat):
        """The net built here with the probe's parameter values: named gradients of net(X).sum()."""
        scope = {"torch": torch, "nn": nn, "F": F}
        exec(NETS, scope)
        scope["_shared"] = nn.Linear(4, 4)
        net = eval(GRAD_NETS[key], scope)
        torch.nn.utils.vector_to_parameters(flat, net.parameters())
        net(X).sum().backward()
        return {n: p.grad for n, p in net.named_parameters()}, net

    def unflat(flat, net):
        out, at = {}, 0
        for n, p in net.named_parameters():
            out[n] = flat[at: at + p.numel()].view(p.shape)
            at += p.numel()
        return out

    def form(result, where):
        expect(isinstance(result, (tuple, list)) and len(result) == 2 and all(isinstance(d, dict) for d in result),
               f"grad_snapshot(net, X) 应返回两个字典组成的元组 (before, after)，{where}你返回的是 "
               f"{type(result).__name__}。")
        return result

    for key, (params, result) in r.fresh.items():
        where = f"对 {GRAD_WHERE[key]}，"
        before, after = form(result, where)
        new, _ = reference(key, params)
        names = sorted(new)
        expect(sorted(before) == names and sorted(after) == names,
               f"{where}before 和 after 的键应是 named_parameters() 给出的参数名 {names}，"
               f"你的是 {sorted(before)} 和 {sorted(after)}。")
        expect(all(before[n] is None for n in names),
               f"{where}在从未做过反向传播的新网络上，before 中的每个梯度都应是 None，你的 before 里有 "
               f"{[n for n in names if before[n] is not None]} 不是 None。"
               "提示：要在调用 backward() 之前读取 p.grad，并且记录的是梯度本身，而不是参数的值。")
        for n in names:
            g = after[n]
            expect(isinstance(g, torch.Tensor) and g.shape == new[n].shape,
                   f"{where}after['{n}'] 应是形状为 {tuple(new[n].shape)} 的梯度张量，你的是 "
                   f"{tuple(g.shape) if isinstance(g, torch.Tensor) else type(g).__name__}。")
            close = torch.allclose(g, new[n], rtol=1e-4, atol=1e-5)
            twice = torch.allclose(g, 2 * new[n], rtol=1e-4, atol=1e-5)
            expect(close or not twice,
                   f"{where}函数返回之后再做一次反向传播，after['{n}'] 跟着变了：它和 p.grad 是同一个张量。"
                   "提示：梯度会被原地累加，存进 after 的应是副本（.clone()）。")
            expect(close,
                   f"{where}after['{n}'] 的数值不是以 net(X).sum() 为损失做一次反向传播得到的梯度。"
                   "提示：检查损失是否按题目要求构造、是否只反向传播了一次。")

    for key, (params, old, result, changed) in r.graded.items():
        where = f"对已经做过一次反向传播的 {GRAD_WHERE[key]}，"
        before, after = form(result, where)
        new, net = reference(key, params)
        old = unflat(old, net)
        names = sorted(new)
        expect(sorted(before) == names and sorted(after) == names,
               f"{where}before 和 after 的键应是参数名 {names}，你的是 {sorted(before)} 和 {sorted(after)}。")
        for n in names:
            total = old[n] + new[n]
            g = after[n]
            expect(isinstance(g, torch.Tensor) and g.shape == total.shape
                   and torch.allclose(g, total, rtol=1e-4, atol=1e-5),
                   f"{where}after['{n}'] 应是原有梯度加上这次反向传播的梯度（梯度是累加的）。"
                   "提示：题目要求不要清零，也只做一次反向传播。")
            b = before[n]
            right = isinstance(b, torch.Tensor) and b.shape == total.shape and (
                torch.allclose(b, old[n], rtol=1e-4, atol=1e-5) or torch.allclose(b, total, rtol=1e-4, atol=1e-5))
            found = "None" if b is None else (f"形状 {tuple(b.shape)}" if isinstance(b, torch.Tensor) else type(b).__name__)
            expect(right,
                   f"{where}before['{n}'] 应是调用时参数已有的梯度 p.grad，你的是 {found}"
                   f"{'（数值不对）' if isinstance(b, torch.Tensor) and b.shape == total.shape else ''}。"
                   "提示：before 记录的是当前的 p.grad，不要清零，也不要先做反向传播。")
        expect(not changed, f"{where}grad_snapshot 改动了参数的数值；它只应读取梯度。")


@check(points=2, title="列出全部参数的名字与形状")
def param_table(student):
    cases = ["plain", "nested", "named", "scaled", "tied", "frozen", "bn", "empty"]
    r = student.run(NETS + f"""
_all = _nets()
got = {{name: param_table(_all[name]) for name in {cases!r}}}
""", "got")
    nets = reference_nets()
    for name in cases:
        expected = [(n, tuple(p.shape)) for n, p in nets[name].named_parameters()]
        got = r.got[name]
        expect(is_table(got), f"param_table 的结果格式不对：对 {DESCRIBE[name]}，你返回的是 {got}。{TABLE_FORM}")
        hint = "提示：要递归地列出所有子块的参数，名字用 named_parameters() 给出的完整名字。"
        if len(got) > len(expected):
            hint = "提示：只列参数——缓冲区不是参数；同一个参数对象出现多次时只列一次（named_parameters() 会去重）。"
        elif len(got) < len(expected):
            hint = "提示：全部参数都要列出，包括块自身直接拥有的参数、被冻结（requires_grad=False）的参数。"
        expect(got == expected,
               f"对 {DESCRIBE[name]}，应按 named_parameters() 的顺序得到 {expected}，你的是 {got}。{hint}")


BLOCK = [("Linear", 4, 8), ("ReLU", None, None), ("Linear", 8, 4), ("ReLU", None, None)]

# Probe: describe a block2()-like Sequential through _modules (children() would skip a repeated block).
DESCRIBE_BLOCKS = """
def _describe(seq):
    subs = list(seq._modules.values())
    return {
        "kind": isinstance(seq, nn.Sequential),
        "names": list(seq._modules.keys()),
        "layers": [[(type(l).__name__ if type(l) in (nn.Linear, nn.ReLU) else "其他：" + type(l).__name__,
                     getattr(l, "in_features", None), getattr(l, "out_features", None))
                    for l in getattr(b, "_modules", {}).values()] for b in subs],
        "seq_blocks": [isinstance(b, nn.Sequential) for b in subs],
        "distinct": len({id(b) for b in subs}),
        "tensors": len(list(seq.parameters())),
    }
"""


@check(points=2, title="嵌套网络 rgnet 的结构")
def rgnet(student):
    X = torch.randn(3, 4, generator=student.rng)
    known = [torch.randn(8, 4, generator=student.rng), torch.randn(8, generator=student.rng),
             torch.randn(4, 8, generator=student.rng), torch.randn(4, generator=student.rng)] * 4
    known = [t * (0.3 + 0.1 * i) for i, t in enumerate(known)]  # each block its own values
    known += [torch.randn(1, 4, generator=student.rng), torch.randn(1, generator=student.rng)]
    r = student.run(DESCRIBE_BLOCKS + """
import copy as _copy
b1, b1_again = block1(), block1()
one = {"kind": isinstance(b1, nn.Sequential),
       "layers": [(type(l).__name__ if type(l) in (nn.Linear, nn.ReLU) else "其他：" + type(l).__name__,
                   getattr(l, "in_features", None), getattr(l, "out_features", None)) for l in b1._modules.values()],
       "fresh": b1 is not b1_again and not ({id(p) for p in b1.parameters()} & {id(p) for p in b1_again.parameters()})}
b2, b2_again = block2(), block2()
two = _describe(b2)
two["fresh"] = not ({id(p) for p in b2.parameters()} & {id(p) for p in b2_again.parameters()})
is_seq = isinstance(rgnet, nn.Sequential)
top = list(rgnet._modules.values()) if is_seq else []
inner = _describe(top[0]) if top else None
last = (type(top[-1]) is nn.Linear, getattr(top[-1], "in_features", None), getattr(top[-1], "out_features", None)) if top else None
n_top = len(top)
out = None
_net = _copy.deepcopy(rgnet)  # known parameters go into a copy: the student's rgnet stays as it is
_params = list(_net.parameters())
if [tuple(p.shape) for p in _params] == [tuple(k.shape) for k in known]:
    with torch.no_grad():
        for _p, _k in zip(_params, known):
            _p.copy_(_k)
    out = _net(X)
""", "one two is_seq n_top inner last out", X=X, known=known)
    expect(r.one["kind"] and r.one["layers"] == BLOCK,
           f"block1() 应返回 nn.Sequential(Linear(4, 8), ReLU(), Linear(8, 4), ReLU())，你的子层是 {r.one['layers']}。")
    expect(r.one["fresh"], "block1() 每次调用都应返回一个新建的块，各有自己的参数；你两次调用得到的块共用了参数对象。")
    expect(r.two["kind"] and r.two["names"] == ["block 0", "block 1", "block 2", "block 3"],
           f"block2() 应返回一个 nn.Sequential，子块依次命名为 'block 0' … 'block 3'，你的子块名是 {r.two['names']}。"
           "提示：用 add_module(name, module) 加入，名字中间有一个空格。")
    expect(all(r.two["seq_blocks"]) and all(b == BLOCK for b in r.two["layers"]),
           "block2() 中每个子块都应是 block1() 生成的 Sequential(Linear(4, 8), ReLU(), Linear(8, 4), ReLU())。")
    expect(r.two["distinct"] == 4 and r.two["tensors"] == 16 and r.two["fresh"],
           f"block2() 的 4 个子块应各自独立：共 16 个参数张量、每次调用 block2() 都是新的参数，"
           f"你的 block2() 里有 {r.two['distinct']} 个不同的子块、{r.two['tensors']} 个参数张量。"
           "提示：如果几个位置放的是同一个块对象，它们就共享同一组参数；每个位置都应调用一次 block1()。")
    if not r.is_seq:
        found = "你的 rgnet 不是 nn.Sequential"
    elif r.n_top != 2:
        found = f"你的 rgnet 有 {r.n_top} 个子块"
    else:
        found = (f"你的 rgnet 的最后一个子块{'是' if r.last[0] else '不是'} nn.Linear，"
                 f"输入、输出维度为 {r.last[1]} 和 {r.last[2]}")
    expect(r.is_seq and r.n_top == 2 and r.inner is not None and r.last == (True, 4, 1),
           f"rgnet 应是 nn.Sequential(block2(), nn.Linear(4, 1))，{found}。")
    inner = r.inner
    expect(inner["kind"] and inner["names"] == ["block 0", "block 1", "block 2", "block 3"]
           and all(inner["seq_blocks"]) and all(b == BLOCK for b in inner["layers"]),
           f"rgnet[0] 应是 block2() 生成的块（子块 'block 0' … 'block 3'），你的子块名是 {inner['names']}。")
    expect(inner["distinct"] == 4 and inner["tensors"] == 16,
           f"rgnet[0] 应有 4 个各自独立的子块、共 16 个参数张量（加上最后的 Linear，rgnet 共 18 个），你的 rgnet[0] 里有 {inner['distinct']} 个不同的子块、"
           f"{inner['tensors']} 个参数张量。提示：每个位置都应调用一次 block1()。")
    layer = lambda X, i: F.relu(F.linear(F.relu(F.linear(X, known[i], known[i + 1])), known[i + 2], known[i + 3]))
    H = X
    for i in range(0, 16, 4):
        H = layer(H, i)
    expected = F.linear(H, known[16], known[17])
    expect(isinstance(r.out, torch.Tensor) and tuple(r.out.shape) == (3, 1)
           and torch.allclose(r.out, expected, rtol=1e-4, atol=1e-5),
           "载入已知参数后，rgnet 对形状 (3, 4) 的输入的输出不等于依次经过 4 个子块和 Linear(4, 1) 的结果。")


@check(points=2, title="按下标路径取深处的参数")
def deep_param(student):
    r = student.run(NETS + """
def _blk():
    return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 4), nn.ReLU())
_inner = nn.Sequential()
for _i in range(3):
    _inner.add_module(f"part {_i}", _blk())
net = nn.Sequential(_inner, nn.Linear(4, 2))
single = nn.Linear(3, 2)
small = nn.Sequential(nn.Sequential(nn.Linear(2, 3), nn.ReLU()), nn.Linear(3, 1))
_act = nn.ReLU()
reused = nn.Sequential(nn.Linear(2, 3), _act, nn.Linear(3, 3), _act, nn.Linear(3, 1))
_shared = nn.Linear(3, 3)
tied = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), _shared, nn.Tanh(), _shared, nn.Linear(3, 1))
listed = nn.Sequential(nn.ModuleList([nn.Linear(2, 2) for _ in range(3)]), _Scaled())
cases = [
    (net, [0, 1, 0], "bias", lambda: net[0][1][0].bias),
    (net, [0, 2, 2], "weight", lambda: net[0][2][2].weight),
    (net, [1], "bias", lambda: net[1].bias),
    (single, [], "weight", lambda: single.weight),
    (small, [0, 0], "weight", lambda: small[0][0].weight),
    (reused, [4], "weight", lambda: reused[4].weight),
    (tied, [5], "bias", lambda: tied[5].bias),
    (listed, [0, 2], "bias", lambda: listed[0][2].bias),
    (listed, [1], "scale", lambda: listed[1].scale),
]
same, kinds = [], []
for _net, _path, _name, _want in cases:
    try:
        _got = deep_param(_net, list(_path), _name)
    except Exception as _e:
        same.append(False)
        kinds.append(type(_e).__name__ + ": " + str(_e)[:80])
    else:
        same.append(_got is _want())
        kinds.append("Parameter" if isinstance(_got, nn.Parameter) else type(_got).__name__)
""", "same kinds")
    paths = ["[0, 1, 0] 的 bias", "[0, 2, 2] 的 weight", "[1] 的 bias", "空路径 [] 的 weight（即 net 自身的参数）",
             "[0, 0] 的 weight", "在一个 ReLU 对象出现两次的 Sequential 中 [4] 的 weight",
             "在一个 Linear 出现两次的 Sequential 中 [5] 的 bias", "经过 ModuleList 的 [0, 2] 的 bias",
             "[1] 上自定义块自身的参数 scale"]
    errors = [f"{p}（出错：{k}）" for p, k in zip(paths, r.kinds) if ":" in k]
    expect(not errors,
           f"deep_param 在这些路径上出错：{'；'.join(errors[:3])}{'……' if len(errors) > 3 else ''}。提示：整数下标要按子块加入的顺序计数"
           "（像 net[i] 那样直接用下标取），children() 会跳过重复出现的子块，名字也不一定是 '0'、'1'。")
    kinds = [k for k in r.kinds if k != "Parameter"]
    expect(not kinds,
           f"deep_param 应返回 Parameter 对象本身，你返回的类型有 {sorted(set(kinds))}。"
           "提示：.data 或 state_dict() 给出的是普通张量，不是参数对象。")
    wrong = [p for p, ok in zip(paths, r.same) if not ok]
    expect(not wrong,
           f"deep_param 取到的不是要求的那个参数：{'、'.join(wrong)}。"
           "提示：path 中每个下标都要用上，按顺序逐级取子块，最后取名为 name 的属性。")


@check(points=2, title="统计参数个数")
def count_parameters(student):
    cases = ["plain", "nested", "named", "scaled", "tied", "frozen", "bn", "empty"]
    r = student.run(NETS + f"""
_all = _nets()
counts = {{name: count_parameters(_all[name]) for name in {cases!r}}}
kinds = {{name: type(c).__name__ for name, c in counts.items()}}
counts["big"] = count_parameters(nn.Sequential(nn.Linear(7, 9), nn.ReLU(), nn.Linear(9, 1)))
kinds["big"] = type(counts["big"]).__name__
""", "counts kinds")
    nets = reference_nets()
    expected = {name: sum(p.numel() for p in nets[name].parameters()) for name in cases}
    expected["big"] = 7 * 9 + 9 + 9 + 1
    describe = dict(DESCRIBE, big="Sequential(Linear(7, 9), ReLU(), Linear(9, 1))")
    hints = {
        "tied": "同一个参数对象在网络里出现多次时只能数一次；parameters() 遍历时会自动去重。",
        "bn": "缓冲区（如 running_mean）不是参数。",
        "scaled": "块自身直接拥有的参数也要数，缓冲区不算。",
        "frozen": "被冻结（requires_grad=False）的参数也是参数，要数进去。",
        "empty": "没有参数时应返回 0。",
    }
    for name in ["big"] + cases:
        got = r.counts[name]
        value = got.item() if isinstance(got, torch.Tensor) and got.numel() == 1 else got
        expect(value == expected[name] and not isinstance(value, bool),
               f"对 {describe[name]}，count_parameters 应为 {expected[name]}，你的结果是 {value}。"
               f"提示：{hints.get(name, '要数的是参数张量里的元素个数（numel），不是张量的个数。')}")
        expect(r.kinds[name] == "int",
               f"count_parameters 应返回 Python 整数（int），对 {describe[name]} 你返回的类型是 {r.kinds[name]}。")


EXPECTED_FIXED = [("linear.weight", (20, 20)), ("linear.bias", (20,))]
EXPECTED_NEST = [("net.0.weight", (64, 20)), ("net.0.bias", (64,)), ("net.2.weight", (32, 64)), ("net.2.bias", (32,)),
                 ("linear.weight", (16, 32)), ("linear.bias", (16,))]


@check(points=1, title="FixedHiddenMLP 的参数")
def fancy_fixed(student):
    got = student.eval("FIXED_PARAMS")
    expect(is_table(got), f"FIXED_PARAMS 的格式不对，你的是 {got}。{TABLE_FORM}")
    expect(got == EXPECTED_FIXED,
           f"FIXED_PARAMS 不对，你的是 {got}。提示：只列可训练的参数，格式与 param_table 相同；"
           "想一想 rand_weight 是怎样登记的，以及同一个 linear 用两次会不会多出一组参数。")


@check(points=2, title="NestMLP 的参数")
def fancy_nest(student):
    r = student.run("""
table = NEST_PARAMS
kind = "Parameter" if isinstance(NEST_SECOND_BIAS, nn.Parameter) else type(NEST_SECOND_BIAS).__name__
same = NEST_SECOND_BIAS is nest.net[2].bias
""", "table kind same")
    expect(is_table(r.table), f"NEST_PARAMS 的格式不对，你的是 {r.table}。{TABLE_FORM}")
    expect(r.table == EXPECTED_NEST,
           f"NEST_PARAMS 不对，你的是 {r.table}。提示：按 named_parameters() 的顺序和完整名字列出 nest 的全部参数。")
    expect(r.kind == "Parameter",
           f"NEST_SECOND_BIAS 应是 Parameter 对象本身，你给出的类型是 {r.kind}。提示：不要取 .data。")
    expect(r.same,
           "NEST_SECOND_BIAS 不是 nest 中第二个全连接层 Linear(64, 32) 的偏置。"
           "提示：nest.net 是一个 Sequential，ReLU 也占一个下标。")
