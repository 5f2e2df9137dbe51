"""Hidden checks for 04_parameter_tying (5.2.3 参数绑定，exercises 3 and 4 of 5.2).

Every check loads parameter values the judge chose before it compares outputs or gradients, and
computes the expected numbers itself. Inputs are checked unchanged (the net ``untied_copy``
copies, the nets and ``X`` given to ``tied_grad_parts``, the net ``param_summary`` counts). No
check reads ``state_dict`` keys (a Sequential built from an OrderedDict names them) or counts
``children()`` (a reused activation object is listed once).

The training checks never retrain the exercise. They run ``train_shared`` on a problem of the
judge's own (40 random samples put in place of ``load_digits_split()`` and ``X_train``/``y_train``
for the duration of the probe), a few steps with a small hidden size, and watch it through a
global forward pre-hook: at the first forward pass that records gradients, the hook writes
known initial parameters into the network, and at every such pass it records the minibatch and
the parameters. The judge then recomputes each step (the minibatch's mean cross-entropy, its
gradients, the SGD update, the norms the history should hold) from those recorded values, with
the sharing structure of the network the student built. Only deterministic comparisons, no
statistics: nothing here has a false-fail probability beyond float rounding, which the
tolerances (relative 1e-4, absolute 1e-6, against errors of about 1e-7) cover.
"""
import math

import torch
import torch.nn.functional as F

from autograder.checks.common import expect_choices
from autograder.registry import check, expect

LINEAR_KINDS = ["Linear", "ReLU", "Linear", "ReLU", "Linear", "ReLU", "Linear"]
POSITIONS = ["0", "2", "4", "6"]
SLOTS = [f"{p}.{t}" for p in POSITIONS for t in ("weight", "bias")]  # only for messages
N_TRAIN = 40  # samples of the judge's training problem
TOL = dict(rtol=1e-4, atol=1e-6)

# The book's tied net with known values, built inside a probe from known-good pieces (so a check
# of a later part does not depend on the student's make_tied_net).
BUILD = """
import copy
import torch
from torch import nn

def _build(sizes, values):
    n_in, h, n_out = sizes
    shared = nn.Linear(h, h)
    net = nn.Sequential(nn.Linear(n_in, h), nn.ReLU(), shared, nn.ReLU(), shared, nn.ReLU(), nn.Linear(h, n_out))
    with torch.no_grad():
        for i, (w, b) in zip((0, 2, 6), values):
            net[i].weight.copy_(w)
            net[i].bias.copy_(b)
    return net

def _ptrs(net):
    return [[p.data_ptr() for p in m.parameters()] for m in net]

def _values(net):  # every position's parameters in one vector, and their shapes per position
    ps = [p for m in net for p in m.parameters()]
    vector = torch.cat([p.detach().reshape(-1) for p in ps]).clone() if ps else torch.zeros(0)
    return vector, [[tuple(p.shape) for p in m.parameters()] for m in net]
"""

# Runs train_shared on the judge's problem (see the module's docstring); defines _train(kwargs,
# known) -> dict of plain values. Inputs: features_, labels_. Parameters travel flattened into
# one vector per forward pass (a few large tensors cross the process boundary much faster than
# many small ones).
TRAIN = """
import torch as _torch
from torch import nn as _nn

def _linears(module):
    if not (isinstance(module, _nn.Sequential) and len(module) == 7):
        return None
    layers = [module[i] for i in (0, 2, 4, 6)]
    if all(isinstance(m, _nn.Linear) and m.bias is not None for m in layers):
        return layers
    return None

def _flat(layers):
    return _torch.cat([t.detach().reshape(-1) for m in layers for t in (m.weight, m.bias)]).clone()

def _train(kwargs, known):
    seen = {"x": [], "params": [], "natural": None}

    def pre_hook(module, args):
        if not (_torch.is_grad_enabled() and args and isinstance(args[0], _torch.Tensor)):
            return
        layers = _linears(module)
        if layers is None:
            return
        if not seen["x"]:
            seen["natural"] = _flat(layers)
            if known is not None and all(m.weight.shape == w.shape and m.bias.shape == b.shape
                                         for m, (w, b) in zip(layers, known)):
                with _torch.no_grad():
                    for m, (w, b) in zip(layers, known):
                        m.weight.copy_(w)
                        m.bias.copy_(b)
        seen["x"].append(args[0].detach().clone())
        seen["params"].append(_flat(layers))

    space = train_shared.__globals__
    names = ("load_digits_split", "X_train", "y_train", "X_test", "y_test")
    saved = {k: space[k] for k in names if k in space}
    def split(*args, **kw):
        return features_.clone(), labels_.clone(), features_[:8].clone(), labels_[:8].clone()
    handle = _torch.nn.modules.module.register_module_forward_pre_hook(pre_hook)
    try:
        space.update(load_digits_split=split, X_train=features_.clone(), y_train=labels_.clone(),
                     X_test=features_[:8].clone(), y_test=labels_[:8].clone())
        result = train_shared(**kwargs)
    finally:
        handle.remove()
        for k in names:
            if k in saved:
                space[k] = saved[k]
            else:
                space.pop(k, None)
    xs = seen["x"]
    rows_ok = all(x.dim() == 2 and x.shape[1] == 64 and x.dtype == _torch.float32 for x in xs)
    out = dict(sizes=[len(x) for x in xs] if rows_ok else None, x=_torch.cat(xs) if xs and rows_ok else None,
               params=_torch.stack(seen["params"]) if seen["params"] else None,
               natural=seen["natural"], form=type(result).__name__)
    if not (isinstance(result, tuple) and len(result) == 2):
        return out
    net, history = result
    layers = _linears(net)
    slots = [t for m in layers for t in (m.weight, m.bias)] if layers else []
    out.update(
        kinds=[type(m).__name__ for m in net] if isinstance(net, _nn.Sequential) else type(net).__name__,
        history=history,
        key_types=sorted({type(k).__name__ for part in (history, *history.values()) if isinstance(part, dict)
                          for k in part}) if isinstance(history, dict) else [],
        shapes=[tuple(t.shape) for t in slots],
        final=_flat(layers) if layers else None,
        groups=[next(j for j in range(len(slots)) if slots[j] is t) for t in slots],
    )
    return out
"""


def linear(x, w, b):
    return x @ w.T + b


def mlp_forward(x, ws, bs):
    """Linear/ReLU chain with a ReLU between consecutive linear layers, none at the end."""
    for i, (w, b) in enumerate(zip(ws, bs)):
        x = linear(x, w, b)
        if i < len(ws) - 1:
            x = F.relu(x)
    return x


def known_linear(rng, n_in, n_out):
    """Values for a Linear(n_in, n_out), drawn like PyTorch's default init but from the judge's rng."""
    bound = 1 / math.sqrt(n_in)
    return ((torch.rand(n_out, n_in, generator=rng) * 2 - 1) * bound,
            (torch.rand(n_out, generator=rng) * 2 - 1) * bound)


def known_tied(rng, n_in, h, n_out):
    """Known values for the positions 0, 2 (= 4) and 6 of a tied net."""
    return [known_linear(rng, n_in, h), known_linear(rng, h, h), known_linear(rng, h, n_out)]


def close(a, b, rtol=1e-4, atol=1e-5):
    return (isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor) and a.shape == b.shape
            and torch.allclose(a, b, rtol=rtol, atol=atol))


def shape_of(value):
    return tuple(value.shape) if isinstance(value, torch.Tensor) else type(value).__name__


@check(points=2, title="两个位置是同一个张量")
def tied_identity(student):
    """make_tied_net(): the table's kinds and shapes; positions 2 and 4 one Linear object (a poke at
    one position's weight and the other's bias shows at both); 6 unique parameter tensors; with
    known parameters written in, the output for 5 and 1 rows and the shared layer's gradient (the
    sum of both uses); two calls share nothing."""
    X = torch.randn(5, 4, generator=student.rng)
    X1 = torch.randn(1, 4, generator=student.rng)
    known = known_tied(student.rng, 4, 8, 1)
    r = student.run(BUILD + """
net = make_tied_net()
kind = type(net).__name__
kinds = [type(m).__name__ for m in net] if isinstance(net, nn.Sequential) else []
linear_ok = kinds == ["Linear", "ReLU"] * 3 + ["Linear"] and all(net[i].bias is not None for i in (0, 2, 4, 6))
shapes = [tuple(net[i].weight.shape) for i in (0, 2, 4, 6)] if linear_ok else None
same_module = linear_ok and net[2] is net[4]
n_unique = len(list(net.parameters()))
out = out1 = grad_w = grad_b = follows = None
if shapes == [(8, 4), (8, 8), (8, 8), (1, 8)]:
    with torch.no_grad():
        for i, (w, b) in zip((0, 2, 6), known):
            net[i].weight.copy_(w)
            net[i].bias.copy_(b)
    out, out1 = net(X), net(X1)
    net.zero_grad()
    net(X).sum().backward()
    grad_w, grad_b = net[2].weight.grad, net[2].bias.grad
    poked = make_tied_net()
    with torch.no_grad():
        poked[4].weight[1, 2] = 100.0
        poked[2].bias[3] = -50.0
    follows = [poked[2].weight[1, 2].item(), poked[4].bias[3].item()]
a, b = make_tied_net(), make_tied_net()
fresh = not {p.data_ptr() for p in a.parameters()} & {p.data_ptr() for p in b.parameters()}
""", "kind kinds shapes same_module n_unique out out1 grad_w grad_b follows fresh", X=X, X1=X1, known=known)
    expect(r.kind == "Sequential" and r.kinds == LINEAR_KINDS,
           f"make_tied_net() 应返回 nn.Sequential，各位置依次为 Linear、ReLU、Linear、ReLU、Linear、ReLU、Linear"
           f"（线性层带偏置）；你的是 {r.kind}：{r.kinds}。")
    expect(r.shapes == [(8, 4), (8, 8), (8, 8), (1, 8)],
           f"各线性层 weight 的形状应依次为 (8, 4)、(8, 8)、(8, 8)、(1, 8)"
           f"（Linear(4, 8)、共享的 Linear(8, 8) 两次、Linear(8, 1)），你的是 {r.shapes}。")
    expect(r.same_module and r.follows == [100.0, -50.0],
           "下标 2 和 4 不是同一个 nn.Linear 对象：把 net[4].weight 的一个元素改成 100、net[2].bias 的一个元素改成 -50 之后，"
           f"另一个位置读到的是 {r.follows}。提示：复制数值得到的是两个独立的层；要把同一个层对象放到两个位置上。")
    expect(r.n_unique == 6,
           f"make_tied_net() 的网络应有 6 个不重复的参数张量（共享层的 weight、bias 只算一次），parameters() 给出了 {r.n_unique} 个。")
    ws = [w for w, _ in known]
    ws.insert(2, ws[1])
    bs = [b for _, b in known]
    bs.insert(2, bs[1])
    for inputs, out in ((X, r.out), (X1, r.out1)):
        expected = mlp_forward(inputs, ws, bs)
        expect(close(out, expected),
               f"把已知参数写入各层后，make_tied_net()(X) 对形状为 {tuple(inputs.shape)} 的 X 的输出"
               f"（形状 {shape_of(out)}）与按表格逐层计算的结果（形状 {tuple(expected.shape)}）不一致。"
               "提示：检查 ReLU 的位置，最后一层之后没有激活。")
    w_first, w_second = ws[1].clone().requires_grad_(True), ws[1].clone().requires_grad_(True)
    b_first, b_second = bs[1].clone().requires_grad_(True), bs[1].clone().requires_grad_(True)
    mlp_forward(X, [ws[0], w_first, w_second, ws[3]], [bs[0], b_first, b_second, bs[3]]).sum().backward()
    expect(close(r.grad_w, w_first.grad + w_second.grad) and close(r.grad_b, b_first.grad + b_second.grad),
           "net(X).sum() 反向传播后，共享层的 .grad 不等于它在下标 2、4 两处贡献之和。")
    expect(r.fresh,
           "两次调用 make_tied_net() 得到的网络共用了参数。提示：每一层（包括共享层）都应在函数内部、每次调用时新建。")


# Structures handed to untied_copy, built in the probe: the book's tied net; one layer used three
# times with one Tanh object reused, a bias-free layer and a parameter-free block; two layers that
# share only their weight; more than ten positions.
UNTIE = BUILD + """
def _structures(known):
    book = _build((4, 8, 1), known)
    a, act = nn.Linear(5, 5), nn.Tanh()
    triple = nn.Sequential(nn.Linear(3, 5), act, a, act, a, nn.Flatten(), a, nn.Linear(5, 2, bias=False))
    p, q = nn.Linear(5, 5), nn.Linear(5, 5)
    q.weight = p.weight
    weight_only = nn.Sequential(p, nn.ReLU(), q)
    s, relu = nn.Linear(4, 4), nn.ReLU()
    long = nn.Sequential(*([s, relu] * 6))
    return {"book": (book, X4), "triple": (triple, X3), "weight_only": (weight_only, X5), "long": (long, X4)}

results = {}
for _name, (_net, _X) in _structures(known).items():
    _blocks = list(_net)
    _ptrs_before, _values_before = _ptrs(_net), _values(_net)
    _ref = _net(_X)
    _twin = untied_copy(_net)
    _row = {"kind": type(_twin).__name__, "want_kinds": [type(m).__name__ for m in _net], "kinds": None}
    if isinstance(_twin, nn.Sequential):
        _twin_ptrs = _ptrs(_twin)
        _row.update(
            kinds=[type(m).__name__ for m in _twin],
            values=_values(_twin), want_values=_values_before,
            out=_twin(_X), ref=_ref,
            twin_ptrs=_twin_ptrs,
            registered=len(list(_twin.parameters())),
            trainable=all(p.requires_grad for p in _twin.parameters()),
            input_same_blocks=len(_blocks) == len(_net) and all(m is n for m, n in zip(_blocks, _net)),
            input_ptrs=_ptrs(_net) == _ptrs_before,
            input_values=_values(_net),
        )
        with torch.no_grad():
            for _p in _twin.parameters():
                _p.add_(1.0)
        _row["after_poke"] = _values(_net)
    results[_name] = _row
"""

STRUCTURE_NAMES = {"book": "书中的绑定网络", "triple": "一个层用在三个位置（含无偏置层与无参数的块）的网络",
                   "weight_only": "两个层只共享 weight 的网络", "long": "12 个位置、同一层重复 6 次的网络"}


@check(points=2, title="untied_copy 生成解绑的副本")
def untie_copy(student):
    """untied_copy(net) on four structures (the book's; a layer used three times with a reused
    activation, a bias-free layer and a parameter-free block; two layers sharing only a weight;
    12 positions): same kinds, values and output; no parameter shared between positions or with
    net; all parameters registered and trainable; net itself unchanged (blocks, tensors, values)."""
    inputs = dict(X3=torch.randn(6, 3, generator=student.rng), X4=torch.randn(6, 4, generator=student.rng),
                  X5=torch.randn(6, 5, generator=student.rng), known=known_tied(student.rng, 4, 8, 1))
    r = student.run(UNTIE, "results", **inputs)
    for name, row in r.results.items():
        where = STRUCTURE_NAMES[name]
        expect(row["kind"] == "Sequential" and row["kinds"] == row["want_kinds"],
               f"对{where}，untied_copy(net) 应返回子块种类、顺序与 net 相同的 nn.Sequential，"
               f"net 是 {row['want_kinds']}，你返回的是 {row['kind']}：{row['kinds']}。")
        before, before_shapes = row["want_values"]
        expect(row["input_same_blocks"] and row["input_ptrs"] and torch.equal(row["input_values"][0], before),
               f"untied_copy 改动了传入的{where}（它的子块、参数张量或数值在调用后变了）。"
               "提示：不要修改 net，副本要新建。")
        values, shapes = row["values"]
        expect(shapes == before_shapes and torch.equal(values, before) and close(row["out"], row["ref"], atol=1e-6),
               f"对{where}，副本各位置参数的数值（或输出）与原网络不同。提示：副本应是原网络的拷贝，而不是重新初始化的新层。")
        flat = [p for ptrs in row["twin_ptrs"] for p in ptrs]
        expect(len(set(flat)) == len(flat) and row["registered"] == len(flat) and row["trainable"],
               f"对{where}，副本中仍有位置彼此共享参数（不重复的参数张量 {len(set(flat))} 个，"
               f"应为每个位置各自一份，共 {len(flat)} 个），或有参数没有登记为可训练的 nn.Parameter。"
               "提示：copy.deepcopy 在一次调用中会保留共享结构，包括只共享 weight 的两个层。")
        expect(torch.equal(row["after_poke"][0], before),
               f"对{where}，副本与原网络共用了参数：给副本的参数加 1 之后，原网络也变了。"
               "提示：每个位置都要真正复制，而不是放入原来的子块。")


@check(points=2, title="共享梯度等于两处贡献之和")
def grad_sum(student):
    """tied_grad_parts on two sizes of the tied net, with known values and stale gradients of
    another input: first/second equal the judge's per-position weight gradients, tied their sum;
    the returned tensors do not change with a later backward pass; the nets and X unchanged."""
    cases = []
    for sizes in ((4, 8, 1), (3, 6, 2)):
        n_in = sizes[0]
        cases.append(dict(sizes=sizes, known=known_tied(student.rng, *sizes),
                          X=torch.randn(7, n_in, generator=student.rng),
                          X_old=torch.randn(3, n_in, generator=student.rng)))
    r = student.run(BUILD + """
rows = []
for case in cases:
    tied_ = _build(case["sizes"], case["known"])
    untied_ = nn.Sequential(*[copy.deepcopy(m) for m in tied_])
    tied_(case["X_old"]).sum().backward()        # stale gradients the student must not return
    (untied_(case["X_old"]) ** 2).sum().backward()
    X_ = case["X"].clone()
    result = tied_grad_parts(tied_, untied_, X_)
    form = isinstance(result, (tuple, list)) and len(result) == 3 and all(isinstance(t, torch.Tensor) for t in result)
    row = {"form": form, "result": [t.detach().clone() for t in result] if form else type(result).__name__}
    if form:
        tied_(case["X_old"]).sum().backward()    # later backward passes must not change the answer
        untied_(case["X_old"]).sum().backward()
        row["later"] = [t.detach().clone() for t in result]
    row["x_same"] = torch.equal(X_, case["X"])
    row["tied_values"] = _values(tied_)
    row["untied_values"] = _values(untied_)
    row["still_tied"] = tied_[2] is tied_[4] and untied_[2].weight is not untied_[4].weight
    rows.append(row)
""", "rows", seed=3, cases=cases)
    for case, row in zip(cases, r.rows):
        n_in, h, n_out = case["sizes"]
        expect(row["form"] and all(tuple(t.shape) == (h, h) for t in row["result"]),
               f"tied_grad_parts 应返回三个形状为 ({h}, {h}) 的张量 (tied, first, second)（共享层是 Linear({h}, {h})），"
               f"你的返回值是 {[shape_of(t) for t in row['result']] if row['form'] else row['result']}。")
        (w0, b0), (ws, bs), (w6, b6) = case["known"]
        w_first, w_second = ws.clone().requires_grad_(True), ws.clone().requires_grad_(True)
        mlp_forward(case["X"], [w0, w_first, w_second, w6], [b0, bs, bs, b6]).sum().backward()
        tied, first, second = row["result"]
        net_name = f"Linear({n_in}, {h})、共享 Linear({h}, {h})、Linear({h}, {n_out}) 的网络"
        expect(close(first, w_first.grad) and close(second, w_second.grad),
               f"在{net_name}上，first / second 不是解绑网络中下标 2、4 各自在这一次 X 上的权重梯度"
               f"（与期望值的最大差 {(first - w_first.grad).abs().max().item():.3g} / "
               f"{(second - w_second.grad).abs().max().item():.3g}）。"
               "提示：损失是 net(X).sum()；传入的网络残留着旧梯度，要先清零；注意分清两个位置。")
        expect(close(tied, w_first.grad + w_second.grad),
               f"在{net_name}上，tied 不是绑定网络中共享权重在这一次 X 上的梯度"
               f"（与 first + second 的期望值最大差 {(tied - w_first.grad - w_second.grad).abs().max().item():.3g}）。"
               "提示：传入的网络残留着旧梯度，要先清零再反向传播。")
        expect(all(torch.equal(a, b) for a, b in zip(row["result"], row["later"])),
               "tied_grad_parts 返回之后，网络再做一次反向传播，返回的张量跟着变了：它们就是网络的 .grad 本身。"
               "提示：返回 .grad.clone()。")
        want = torch.cat([t.reshape(-1) for t in (w0, b0, ws, bs, ws, bs, w6, b6)])
        # _values lists every position's parameters, a shared block's at each of its positions
        unchanged = torch.equal(row["tied_values"][0], want) and torch.equal(row["untied_values"][0], want)
        expect(unchanged and row["still_tied"] and row["x_same"],
               "tied_grad_parts 改动了传入的网络（参数数值或共享结构）或 X。提示：只需反向传播并读出梯度，不要更新参数。")


# Structures for param_summary: name -> (code building `net_`, expected counts).
COUNT_NETS = {
    "书中的绑定网络": ("_build((4, 8, 1), known)", (6, 8, 121)),
    "两个层只共享 weight 的网络": ("a = nn.Linear(5, 5); b = nn.Linear(5, 5); b.weight = a.weight; "
                        "net_ = nn.Sequential(a, nn.Tanh(), b, nn.Tanh(), a)", (3, 6, 35)),
    "没有共享的网络": ("nn.Sequential(nn.Linear(3, 2), nn.ReLU(), nn.Linear(2, 2))", (4, 4, 14)),
    "没有参数的网络": ("nn.Sequential(nn.ReLU(), nn.Flatten())", (0, 0, 0)),
    "同一层重复 12 次的网络": ("nn.Sequential(*[nn.Linear(3, 3)] * 12)", (2, 24, 12)),
    "含 BatchNorm（有缓冲区）的网络": ("nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4))", (4, 7, 24)),
    # a (weight 4 x 2, no bias) is used twice, in two nested Sequentials: 8 + (16 + 4) + (8 + 2)
    "嵌套且跨层共享的网络": ("a = nn.Linear(2, 4, bias=False); "
                    "net_ = nn.Sequential(nn.Sequential(a, nn.ReLU()), nn.Linear(4, 4), nn.Sequential(nn.Linear(4, 2), a))",
                    (5, 6, 38)),
}


@check(points=2, title="参数计数")
def param_counts(student):
    """param_summary on seven nets (tied, weight-only tie, plain, no parameters, one layer 12
    times, BatchNorm buffers, nested sharing): exact counts, Python ints, input unchanged."""
    known = known_tied(student.rng, 4, 8, 1)
    lines = []
    for code, _ in COUNT_NETS.values():
        build = code if "net_ =" in code else f"net_ = {code}"
        lines.append(f"{build}\nnets.append(net_)")
    r = student.run(BUILD + "nets = []\n" + "\n".join(lines) + """
book_before = _values(nets[0])
summaries = [param_summary(n) for n in nets]
types = [{str(k): type(v).__name__ for k, v in s.items()} if isinstance(s, dict) else type(s).__name__ for s in summaries]
book_tied = nets[0][2] is nets[0][4]
book_after = _values(nets[0])
""", "summaries types book_before book_after book_tied", known=known)
    expected = {name: want for name, (_, want) in COUNT_NETS.items()}
    keys = ("tensors", "state_keys", "scalars")
    for (name, want), got, types in zip(expected.items(), r.summaries, r.types):
        expect(isinstance(got, dict) and set(got) >= set(keys),
               f'param_summary 应返回含 "tensors"、"state_keys"、"scalars" 三个键的字典，对{name}返回的是 {types}。')
        expect(all(types[k] == "int" for k in keys),
               f"param_summary 返回的值都应是 Python 的 int，对{name}得到的类型是 "
               f"{ {k: types[k] for k in keys} }。提示：张量的 numel() 之和可以写成 sum(...)，不要用 torch.tensor 或 .sum()。")
    hints = {"tensors": "parameters() 对同一个张量只给出一次",
             "state_keys": "state_dict() 按路径列出每个条目（包括缓冲区），共享的张量会出现多次",
             "scalars": "真正的参数量应对不重复的参数张量求 numel() 之和，不能按 state_dict() 的条目数"}
    for index, key in enumerate(keys):
        wrong = [f"{name}（应为 {want[index]}，得到 {got[key]}）"
                 for (name, want), got in zip(expected.items(), r.summaries) if got[key] != want[index]]
        expect(not wrong, f'param_summary 返回的 "{key}" 不对：{"；".join(wrong)}。提示：{hints[key]}。')
    expect(r.book_tied and torch.equal(r.book_before[0], r.book_after[0]), "param_summary 改动了传入的网络（参数数值或共享结构）。提示：只需统计，不要修改 net。")


@check(points=1, title="关于参数绑定的判断")
def sharing_quiz(student):
    expect_choices(student, "SHARING_TRUE", {"B", "C", "E", "F"},
                   "每一条都可以用几行代码验证——比较 is 与 ==、"
                   "看 deepcopy 副本内部的共享、数一数 parameters() 与 state_dict() 的条目。")


# ------------------------------------------------------------------------------------------
# Training (exercise 5.1): the judge's problem, a run and its recomputation.

def problem(rng):
    """The judge's training set: N_TRAIN random samples with 64 features and labels 0..9."""
    return torch.randn(N_TRAIN, 64, generator=rng), torch.randint(0, 10, (N_TRAIN,), generator=rng)


def known_mlp(rng, h):
    """Known initial values for make_shared_mlp(h), positions 0, 2, 4 (= 2), 6."""
    (w0, b0), (ws, bs), (w6, b6) = known_tied(rng, 64, h, 10)
    return [(w0, b0), (ws, bs), (ws, bs), (w6, b6)]


def step(params, groups, X, y, lr):
    """One SGD step of the 7-position MLP from ``params`` (8 tensors: weight, bias of 0, 2, 4, 6)
    whose slots share tensors as ``groups`` says: (loss, gradient per slot, params after)."""
    leaves = {g: params[g].clone().requires_grad_(True) for g in sorted(set(groups))}
    slots = [leaves[g] for g in groups]
    loss = F.cross_entropy(mlp_forward(X, slots[0::2], slots[1::2]), y)
    grads = dict(zip(leaves, torch.autograd.grad(loss, list(leaves.values()))))
    slot_grads = [grads[g] for g in groups]
    return loss.item(), slot_grads, [params[g] - lr * grads[g] for g in groups]


def steps_of(n, batch_size, epochs):
    return epochs * math.ceil(n / batch_size)


def mlp_shapes(h):
    return [(h, 64), (h,), (h, h), (h,), (h, h), (h,), (10, h), (10,)]


def unflat(vector, shapes):
    """The 8 slot tensors of a flattened parameter vector."""
    out, start = [], 0
    for shape in shapes:
        n = math.prod(shape)
        out.append(vector[start:start + n].reshape(shape))
        start += n
    return out


class Run:
    """A probed train_shared run (a plain dict from TRAIN's _train) and the judge's recomputation:
    which training rows each recorded forward pass saw, and each step redone from its recorded
    parameters."""

    def __init__(self, out, features, labels, kwargs):
        self.r, self.kwargs, self.features, self.labels = out, kwargs, features, labels
        self.n_steps = steps_of(len(features), kwargs["batch_size"], kwargs["num_epochs"])
        self.n_forward = len(out["params"]) if out["params"] is not None else 0
        rows = {row.numpy().tobytes(): i for i, row in enumerate(features)}
        self.batches = [[None]] * self.n_forward
        if out["sizes"] is not None and out["x"] is not None:
            found = [rows.get(row.numpy().tobytes()) for row in out["x"]]
            self.batches = []
            for size in out["sizes"]:
                self.batches.append(found[:size])
                found = found[size:]
        # the recorded parameters, as 8 tensors each, when the network has the table's shapes
        shapes = mlp_shapes(kwargs["num_hiddens"])
        n = sum(math.prod(shape) for shape in shapes)
        vectors = ([] if out["params"] is None else list(out["params"])) + [out.get("final")]
        if all(isinstance(v, torch.Tensor) and v.shape == (n,) for v in vectors):
            self.params = [unflat(v, shapes) for v in vectors[:-1]]
            self.final = unflat(vectors[-1], shapes)
        else:
            self.params, self.final = None, None

    def replay(self):
        """Per step: (loss, gradient per slot, expected params after, recorded params after)."""
        out = []
        for params, batch, actual in zip(self.params, self.batches, self.params[1:] + [self.final]):
            index = torch.tensor(batch)
            loss, grads, expected = step(params, self.r["groups"], self.features[index], self.labels[index],
                                         self.kwargs["lr"])
            out.append((loss, grads, expected, actual))
        return out


def probe_runs(student, runs, seed, features, labels, code="", names=""):
    """``runs``: list of (kwargs, known or None); returns a Run per run, all from one probe, and
    the probe's answer (``code`` runs first, ``names`` are returned too). Between runs the probe
    draws from the global RNG, so two runs agree only if train_shared seeds it itself."""
    r = student.run(TRAIN + code + """
outs = []
for kwargs, known in runs_:
    outs.append(_train(kwargs, known))
    _torch.rand(7)
""", "outs " + names, seed=seed, features_=features, labels_=labels, runs_=runs)
    return [Run(out, features, labels, kwargs) for out, (kwargs, _) in zip(r.outs, runs)], r


def form_problem(out, kwargs):
    """None if the run returned (nn.Sequential of the table's kinds, history) with the right
    shapes, else a message."""
    if "kinds" not in out:
        return f"train_shared(...) 应返回二元组 (net, history)，你的返回值是 {out['form']}。"
    if out["kinds"] != LINEAR_KINDS or out["final"] is None:
        return (f"train_shared 返回的网络应为 nn.Sequential：Linear、ReLU、共享 Linear、ReLU、同一共享层、ReLU、Linear"
                f"（线性层带偏置），你的是 {out['kinds']}。")
    h = kwargs["num_hiddens"]
    if out["shapes"] != mlp_shapes(h):
        return (f"train_shared(num_hiddens={h}) 返回的网络中各线性层 weight 的形状应为 {mlp_shapes(h)[0::2]}，"
                f"你的是 {out['shapes'][0::2]}。")
    return None


def steps_problem(run):
    """None if the run made one recorded forward pass per step on rows of the training set."""
    found = run.n_forward
    if found != run.n_steps:
        k = run.kwargs
        return (f"train_shared(num_epochs={k['num_epochs']}, batch_size={k['batch_size']}) 在 {N_TRAIN} 个训练样本上"
                f"应训练 {run.n_steps} 步（每个周期 ⌈{N_TRAIN}/{k['batch_size']}⌉ 步），每步做一次需要梯度的前向传播；"
                f"检测到的是 {found} 次。提示：检查小批量的切分；其它不需要梯度的计算请放在 torch.no_grad() 里。")
    if run.params is None:
        return "train_shared 训练的网络与返回的网络尺寸不一致。"
    if any(i is None for batch in run.batches for i in batch):
        return ("train_shared 训练时送入网络的样本不是 load_digits_split() 返回的训练集中的样本"
                "（评分时训练集被换成了另一组数据）。提示：数据要通过 load_digits_split() 取得。")
    return None


SIGNATURE = {"num_epochs": 10, "lr": 0.2, "batch_size": 64, "num_hiddens": 64, "seed": 0}


@check(points=2, title="train_shared 的小批量随机梯度下降")
def train_accuracy(student):
    """train_shared's signature and make_shared_mlp's structure for two sizes; on the judge's
    problem, from known initial values: 2 epochs of ⌈40/16⌉ steps, each epoch a shuffled
    partition into minibatches of 16, 16, 8, each step exactly θ − lr·∇L of that minibatch (with
    the network's own sharing), the returned net the last step's; the initial parameters and the
    shuffle reproducible for one seed and different for another."""
    features, labels = problem(student.rng)
    main = dict(num_epochs=2, lr=0.5, batch_size=16, num_hiddens=5, seed=11)
    again = dict(main, num_epochs=1)
    other = dict(again, seed=12)
    (run, same, different), sig = probe_runs(
        student, [(main, known_mlp(student.rng, 5)), (again, None), (other, None)], 7, features, labels, """
import inspect
_ps = inspect.signature(train_shared).parameters
sig = {k: (v.default if v.default is not inspect.Parameter.empty else "<无默认值>") for k, v in _ps.items()}
mlps = []
for h in (3, 7):
    net = make_shared_mlp(h)
    kinds = [type(m).__name__ for m in net] if isinstance(net, nn.Sequential) else type(net).__name__
    ok = kinds == ["Linear", "ReLU"] * 3 + ["Linear"] and all(net[i].bias is not None for i in (0, 2, 4, 6))
    mlps.append((kinds, [tuple(net[i].weight.shape) for i in (0, 2, 4, 6)] if ok else None))
""", "sig mlps")
    expect(isinstance(sig.sig, dict) and all(sig.sig.get(k) == v for k, v in SIGNATURE.items()),
           f"train_shared 的参数及默认值应为 num_epochs=10, lr=0.2, batch_size=64, num_hiddens=64, seed=0，你的是 {sig.sig}。")
    for h, (kinds, shapes) in zip((3, 7), sig.mlps):
        want = [(h, 64), (h, h), (h, h), (10, h)]
        expect(kinds == LINEAR_KINDS and shapes == want,
               f"make_shared_mlp({h}) 应为 Linear(64, {h})、ReLU、共享 Linear({h}, {h})、ReLU、同一共享层、ReLU、Linear({h}, 10)；"
               f"你的网络各位置是 {kinds}，线性层 weight 的形状是 {shapes}。")
    problem_ = form_problem(run.r, main)
    expect(problem_ is None, problem_)
    problem_ = steps_problem(run)
    expect(problem_ is None, problem_)
    b = main["batch_size"]
    sizes = [b] * (math.ceil(N_TRAIN / b) - 1) + [N_TRAIN - b * (math.ceil(N_TRAIN / b) - 1)]
    per_epoch = len(sizes)
    for epoch in range(main["num_epochs"]):
        batches = run.batches[epoch * per_epoch:(epoch + 1) * per_epoch]
        order = [i for batch in batches for i in batch]
        expect([len(batch) for batch in batches] == sizes and sorted(order) == list(range(N_TRAIN)),
               f"第 {epoch + 1} 个周期的小批量大小依次是 {[len(batch) for batch in batches]}，"
               f"应为 {sizes}，且每个训练样本在一个周期中恰好出现一次。"
               "提示：每个周期把全部下标打乱一次，再按顺序切成大小为 batch_size 的小批量（最后一批可以不满）。")
        # a shuffled epoch of 40 samples is in the original order with probability 1/40! (< 1e-47)
        expect(order != list(range(N_TRAIN)),
               f"第 {epoch + 1} 个周期按原始顺序遍历了训练集，没有打乱。")
    for k, (loss, grads, expected, actual) in enumerate(run.replay()):
        bad = [SLOTS[i] for i in range(8) if not torch.allclose(actual[i], expected[i], **TOL)]
        if bad:
            params = run.params[k]
            unchanged = all(torch.equal(actual[i], params[i]) for i in range(8))
            diff = max((actual[i] - expected[i]).abs().max().item() for i in range(8))
            expect(False,
                   f"第 {k + 1} 步（第 {k // per_epoch + 1} 个周期的第 {k % per_epoch + 1} 个小批量）之后，"
                   + ("参数完全没有变化，" if unchanged else "")
                   + f"{'、'.join(bad)} 与 θ − lr·∇L 不一致（最大差 {diff:.3g}；L 是这个小批量的平均交叉熵损失，"
                   f"∇L 只含这一步的梯度，lr={main['lr']}）。"
                   "提示：每步先清零梯度；按 parameters() 更新（共享权重每步只更新一次，用两处梯度之和）；学习率用参数 lr。")
    a, s, d = run.r["natural"], same.r["natural"], different.r["natural"]
    expect(a is not None and s is not None and d is not None and torch.equal(a, s) and not torch.equal(a, d),
           "train_shared 的初始参数不由 seed 决定：同一个 seed 两次调用得到的初始参数不同，或不同 seed 得到的相同。"
           "提示：函数一开始先 torch.manual_seed(seed)，再建网络。")
    first = [i for batch in run.batches[:per_epoch] for i in batch]
    again_order = [i for batch in same.batches[:per_epoch] for i in batch]
    other_order = [i for batch in different.batches[:per_epoch] for i in batch]
    # two seeds give the same shuffle of 40 samples with probability 1/40! (< 1e-47)
    expect(first == again_order and first != other_order,
           "训练集的打乱顺序不由 seed 决定：同一个 seed 两次调用的第一个周期顺序不同，或不同 seed 的顺序相同。"
           "提示：用 torch.Generator().manual_seed(seed) 生成打乱的顺序。")


def _history_ok(history, steps, key_types):
    """None if history has the required form and lengths, else a message."""
    if not isinstance(history, dict) or not {"loss", "param_norm", "grad_norm"} <= set(history):
        return 'history 应是含 "loss"、"param_norm"、"grad_norm" 三个键的字典。'
    if key_types != ["str"]:
        return f'history 及其中 param_norm、grad_norm 的键都应是字符串（如 "0"），你的键的类型有 {key_types}。'
    for key in ("param_norm", "grad_norm"):
        part = history[key]
        if not isinstance(part, dict) or sorted(part) != POSITIONS:
            found = sorted(part) if isinstance(part, dict) else type(part).__name__
            return f'history["{key}"] 应是以 "0"、"2"、"4"、"6" 为键的字典，你的键是 {found}。'
    lists = [history["loss"]] + [history[k][p] for k in ("param_norm", "grad_norm") for p in POSITIONS]
    if not all(isinstance(v, list) and all(type(x) in (int, float) for x in v) for v in lists):
        return "history 中的每条记录都应是由 float 组成的列表（用 .item() 把张量变成 float）。"
    lengths = sorted({len(v) for v in lists})
    if lengths != [steps]:
        return (f"history 中记录的长度应等于总步数 {steps}（每个小批量记录一次），你的长度是 {lengths}。"
                "提示：检查记录是否放在小批量循环之内，以及每个周期的步数是否为 ⌈n_train / batch_size⌉。")
    if not all(math.isfinite(x) for v in lists for x in v):
        return "history 中出现了 nan 或 inf。"
    return None


@check(points=2, title="训练记录的内容")
def train_history(student):
    """history of a 9-step run from known values: keys and types, one float per step in every
    list, and each entry equal to what the judge recomputes from the recorded step: the
    minibatch's mean loss, each position's weight norm after the update and its gradient norm."""
    features, labels = problem(student.rng)
    kwargs = dict(num_epochs=3, lr=0.3, batch_size=15, num_hiddens=6, seed=5)
    (run,), _ = probe_runs(student, [(kwargs, known_mlp(student.rng, 6))], 5, features, labels)
    out = run.r
    problem_ = form_problem(out, kwargs)
    expect(problem_ is None, problem_)
    history = out["history"]
    problem_ = _history_ok(history, run.n_steps, out["key_types"])
    expect(problem_ is None, problem_)
    problem_ = steps_problem(run)
    expect(problem_ is None, problem_)
    for k, (loss, grads, _, after) in enumerate(run.replay()):
        where = f"第 {k + 1} 步"
        expect(math.isclose(history["loss"][k], loss, **{"rel_tol": 1e-4, "abs_tol": 1e-6}),
               f'history["loss"] 的{where}记录的是 {history["loss"][k]:.6g}，而这一步小批量的平均交叉熵损失是 {loss:.6g}。')
        before = run.params[k]
        for i, p in enumerate(POSITIONS):
            norm_after = torch.linalg.norm(after[2 * i]).item()
            norm_before = torch.linalg.norm(before[2 * i]).item()
            found = history["param_norm"][p][k]
            expect(math.isclose(found, norm_after, rel_tol=1e-4, abs_tol=1e-6),
                   f'history["param_norm"]["{p}"] 的{where}记录的是 {found:.6g}，'
                   f"而这一步更新之后下标 {p} 的 weight 的 L2 范数是 {norm_after:.6g}（更新之前是 {norm_before:.6g}）。"
                   "提示：记录的是 weight（不含 bias）在参数更新之后的范数。")
            grad_norm = torch.linalg.norm(grads[2 * i]).item()
            found = history["grad_norm"][p][k]
            expect(math.isclose(found, grad_norm, rel_tol=1e-4, abs_tol=1e-6),
                   f'history["grad_norm"]["{p}"] 的{where}记录的是 {found:.6g}，'
                   f"而这一步反向传播得到的下标 {p} 的 weight 梯度的 L2 范数是 {grad_norm:.6g}。"
                   "提示：记录应在反向传播之后、下一次清零之前；共享层的梯度是两处贡献之和。")


def same_records(a, b):
    """Equal lists of numbers, nan matching nan (a diverged run records nan at both positions)."""
    return len(a) == len(b) and all(x == y or (x != x and y != y) for x, y in zip(a, b))


@check(points=1, title="共享位置的记录始终一致")
def history_tied(student):
    """make_shared_mlp ties positions 2 and 4 (one object, fresh per call); the network
    train_shared trained still shares weight and bias there, and the records of "2" and "4" are
    identical float lists."""
    features, labels = problem(student.rng)
    kwargs = dict(num_epochs=2, lr=0.4, batch_size=16, num_hiddens=4, seed=9)
    (run,), r = probe_runs(student, [(kwargs, None)], 9, features, labels, """
pairs = []
for h in (3, 7):
    a, b = make_shared_mlp(h), make_shared_mlp(h)
    ok = isinstance(a, nn.Sequential) and len(a) == 7
    pairs.append((ok and a[2] is a[4], ok and not {p.data_ptr() for p in a.parameters()} & {p.data_ptr() for p in b.parameters()}))
""", "pairs")
    out = run.r
    expect(all(tied for tied, _ in r.pairs),
           "make_shared_mlp 的下标 2 和 4 不是同一个层对象。提示：把同一个层对象放在两个位置，而不是两个数值相同的层。")
    expect(all(fresh for _, fresh in r.pairs),
           "两次调用 make_shared_mlp 得到的网络共用了参数。提示：每一层都应在函数内部、每次调用时新建。")
    problem_ = form_problem(out, kwargs)
    expect(problem_ is None, problem_)
    history = out["history"]
    expect(isinstance(history, dict) and out["key_types"] == ["str"] and all(
        isinstance(history.get(k), dict) and isinstance(history[k].get(p), list)
        and all(type(x) in (int, float) for x in history[k][p]) for k in ("param_norm", "grad_norm") for p in ("2", "4")),
        'history["param_norm"] 与 history["grad_norm"] 中应有字符串键 "2" 和 "4"，值是由 float 组成的列表。')
    expect(out["groups"][2:6] == [2, 3, 2, 3],
           "train_shared 返回的网络中，下标 2 和 4 的 weight、bias 不是同一组张量。"
           "提示：训练的网络应与 make_shared_mlp 的一样，把同一个层对象放在两个位置。")
    same = all(same_records(history[k]["2"], history[k]["4"]) and len(history[k]["2"]) > 1
               for k in ("param_norm", "grad_norm"))
    expect(same,
           "训练中 history 在下标 2 和 4 下的参数范数或梯度范数记录出现了差别（或不足两步）。"
           "提示：两个位置是同一个张量，各记录一次，两条记录应完全相同。")
