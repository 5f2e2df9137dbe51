"""Hidden checks for 01_blocks （5.1 层和块）.

Every check judges behaviour through the public interface, on several inputs and structures,
with parameter values the judge chose (the student's random init is never the reference), and
gradients where the object is a block that will be trained. No check depends on the order in
which submodules are declared, on one activation object being reused, or on how a Sequential
names its children.
"""
import torch
import torch.nn.functional as F

from autograder.checks.common import PACKING, expect_choices, pack, unpack
from autograder.registry import check, expect

ATOL = 1e-5


# Probe helpers, defined in the student's (copied) namespace. ``_fill`` overwrites the weight and
# bias of each given Linear with values drawn from the judge's seed and returns what it wrote, so
# the expected value is computed from numbers the probe set, never from the student's init.
HELPERS = """
import torch
from torch import nn
""" + PACKING + """
def _fill(linears, seed, scale=0.5):
    g = torch.Generator().manual_seed(seed)
    written = []
    with torch.no_grad():
        for m in linears:
            w = torch.randn(m.weight.shape, generator=g) * scale
            b = torch.randn(m.bias.shape, generator=g) * scale
            m.weight.copy_(w)
            m.bias.copy_(b)
            written += [w, b]
    return written

def _grads(modules):
    copy = lambda g: None if g is None else g.detach().clone()  # .to() later converts grads in place
    return [copy(t.grad) for m in modules for t in (m.weight, m.bias)]

def _backward(out, G):
    if isinstance(out, torch.Tensor) and out.requires_grad:
        (out * G).sum().backward()
"""


def linear(x, w, b):
    return x @ w.T + b


def with_grads(fn, params, G):
    """``fn(*params)`` and the gradients of ``(fn * G).sum()`` with respect to ``params``,
    computed in the judge on its own copies."""
    leaves = [p.detach().clone().requires_grad_(True) for p in params]
    out = fn(*leaves)
    grads = torch.autograd.grad((out * G).sum(), leaves)
    return out.detach(), list(grads)


def close(a, b, atol=ATOL):
    return (isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor) and a.shape == b.shape
            and a.dtype == b.dtype and torch.allclose(a, b, atol=atol, rtol=1e-4))


def grads_close(found, expected):
    return all(close(f, e) for f, e in zip(found, expected)) and len(found) == len(expected)


def shape_of(value):
    return tuple(value.shape) if isinstance(value, torch.Tensor) else repr(value)


@check(points=1, title="MLP 的子层")
def mlp_structure(student):
    r = student.run(HELPERS + """
net = MLP()
def _describe(name):
    m = getattr(net, name, None)
    if m is None:
        return None
    return (type(m).__name__, isinstance(m, nn.Linear), getattr(m, "in_features", None),
            getattr(m, "out_features", None), getattr(m, "bias", None) is not None)
hidden, out = _describe("hidden"), _describe("out")
params = sorted(name for name, _ in net.named_parameters())
""", "hidden out params")
    for name, found, (n_in, n_out) in [("hidden", r.hidden, (20, 256)), ("out", r.out, (256, 10))]:
        expect(found is not None, f"MLP() 没有名为 {name} 的子层。提示：在 __init__ 中写 self.{name} = nn.Linear(...)。")
        expect(found[1] and found[2:] == (n_in, n_out, True),
               f"MLP 的子层 {name} 应为 nn.Linear({n_in}, {n_out})（带偏置），"
               f"你的是 {found[0]}，in_features={found[2]}，out_features={found[3]}，"
               f"{'有' if found[4] else '没有'}偏置。")
    expected = ["hidden.bias", "hidden.weight", "out.bias", "out.weight"]
    expect(r.params == expected,
           f"MLP 的参数应只有 hidden 与 out 的权重和偏置 {expected}，实际是 {r.params}。"
           "提示：不要登记多余的带参数子层。")


@check(points=2, title="MLP 的前向传播")
def mlp_forward(student):
    X = torch.randn(5, 20, generator=student.rng)
    X1 = torch.randn(1, 20, generator=student.rng)
    G = torch.randn(5, 10, generator=student.rng)
    fill_seed = int(torch.randint(1, 2**31, (1,), generator=student.rng))
    r = student.run(HELPERS + """
X, X1, G = _unpack(inputs)
net = MLP()
written = _fill([net.hidden, net.out], fill_seed, 0.3)
out = net(X)
out1 = net(X1)
_backward(out, G)
result = _pack(written + [out, out1] + _grads([net.hidden, net.out]) + [X])
""", "result", inputs=pack([X, X1, G]), fill_seed=fill_seed)
    values = unpack(r.result)
    params, out, out1, found_grads, X_after = values[:4], values[4], values[5], values[6:10], values[10]
    expect(isinstance(out, torch.Tensor) and out.shape == (5, 10),
           f"MLP()(X) 对形状为 (5, 20) 的 X 应返回形状为 (5, 10) 的张量，得到 {shape_of(out)}。")

    def forward(x):
        return lambda w1, b1, w2, b2: linear(F.relu(linear(x, w1, b1)), w2, b2)
    expected, grads = with_grads(forward(X), params, G)
    expect(close(out, expected) and close(out1, forward(X1)(*params)),
           "把 hidden、out 的参数换成检查给定的值后，MLP 的输出不等于 out(relu(hidden(X)))（试了批量大小 5 和 1）。"
           "提示：检查 ReLU 是否放在两层之间、是否作用在隐藏层的输出上。")
    expect(grads_close(found_grads, grads),
           "MLP 的输出值正确，但对 hidden、out 参数的梯度不对（或没有梯度）。"
           "提示：forward 里不要用 .detach()、.data、.item() 或 torch.no_grad()，让自动微分看到整个计算。")
    expect(torch.equal(X_after, X), "MLP 的 forward 修改了输入 X。提示：不要对输入做原地操作。")


@check(points=2, title="MySequential 按顺序执行子块")
def mysequential_order(student):
    g = student.rng
    X = torch.randn(3, 5, generator=g)
    G = torch.randn(3, 3, generator=g)
    A = (torch.randn(7, 5, generator=g) * 0.5, torch.randn(7, generator=g) * 0.5)
    B = (torch.randn(3, 7, generator=g) * 0.5, torch.randn(3, generator=g) * 0.5)
    S = (torch.randn(5, 5, generator=g) * 0.4, torch.randn(5, generator=g) * 0.4)
    scales = [float(v) for v in torch.rand(12, generator=g) + 0.5]
    r = student.run(HELPERS + """
def _lin(values):
    m = nn.Linear(values[0].shape[1], values[0].shape[0])
    with torch.no_grad():
        m.weight.copy_(values[0]); m.bias.copy_(values[1])
    return m

class _Scale(nn.Module):
    def __init__(self, k):
        super().__init__()
        self.k = k
    def forward(self, x):
        return x * self.k + self.k

X, G, *values = _unpack(inputs)
A, B, S = values[0:2], values[2:4], values[4:6]
# Distinct blocks, with parameter-free ones between them.
first, second = _lin(A), _lin(B)
out = MySequential(first, nn.ReLU(), second, nn.Tanh())(X)
_backward(out, G)
grads = _grads([first, second])
# One block used twice: it must run twice (children() would see it once).
shared = _lin(S)
twice = MySequential(shared, nn.Tanh(), shared)(X)
_backward(twice, G.new_ones(3, 5))
grads_twice = _grads([shared])
# More than ten blocks: '10' sorts before '2' as a string.
many = MySequential(*[_Scale(k) for k in scales])(X)
one = MySequential(nn.Tanh())(X)
result = _pack([out, twice, many, one, X] + grads + grads_twice)
""", "result", inputs=pack([X, G, *A, *B, *S]), scales=scales)
    out, twice_out, many, one, X_after, *found = unpack(r.result)
    found_grads, found_twice = found[:4], found[4:]
    expect(isinstance(out, torch.Tensor) and out.shape == (3, 3),
           "MySequential(Linear(5, 7), ReLU(), Linear(7, 3), Tanh()) 对形状为 (3, 5) 的输入"
           f"应输出形状 (3, 3)，得到 {shape_of(out)}。")
    expected, grads = with_grads(
        lambda w1, b1, w2, b2: torch.tanh(linear(torch.relu(linear(X, w1, b1)), w2, b2)), [*A, *B], G)
    expect(close(out, expected),
           "MySequential(Linear, ReLU, Linear, Tanh) 的输出与“按传入顺序逐个调用子块”的结果不一致。"
           "提示：forward 要按构造时的顺序遍历子块，并把每个子块的输出作为下一个子块的输入。")
    twice, twice_grads = with_grads(lambda w, b: linear(torch.tanh(linear(X, w, b)), w, b), list(S),
                                    torch.ones(3, 5))
    expect(close(twice_out, twice),
           "同一个块传入两次时（MySequential(lin, Tanh(), lin)），它应当被调用两次，输出与预期不一致。"
           "提示：按位置保存每一个传入的块；children() 会把重复的块只列一次。")
    h = X
    for k in scales:
        h = h * k + k
    expect(close(many, h),
           "传入 12 个块时，MySequential 没有按传入顺序执行它们。"
           "提示：键 '10' 按字符串排序会排在 '2' 前面；按登记的先后顺序遍历即可。")
    expect(close(one, torch.tanh(X)), "只传入一个块时，MySequential 的输出应等于这个块的输出。")
    expect(grads_close(found_grads, grads) and grads_close(found_twice, twice_grads),
           "MySequential 的输出正确，但传入的块没有得到正确的梯度（重复使用的块梯度应累加两次的贡献）。"
           "提示：直接调用传入的块本身（不要复制它们），不要用 .detach() 或 torch.no_grad()。")
    expect(torch.equal(X_after, X), "MySequential 的 forward 修改了输入 X。")


@check(points=2, title="MySequential 登记了子块")
def mysequential_registers(student):
    r = student.run(HELPERS + """
blocks = [nn.Linear(5, 7), nn.ReLU(), nn.Linear(7, 3), nn.Dropout(0.5), nn.Linear(3, 3)]
net = MySequential(*blocks)
own = [p for b in blocks for p in b.parameters()]
listed = list(net.parameters())
n_params = len(listed)
same_params = {id(p) for p in listed} == {id(p) for p in own}
in_state = {v.data_ptr() for v in net.state_dict().values()} == {p.data_ptr() for p in own}
net.eval()
eval_flags = [b.training for b in blocks]
net.to(torch.float64)
dtypes = sorted({str(p.dtype) for p in own})
shared = nn.Linear(4, 4)
twice = MySequential(shared, nn.ReLU(), shared)
n_twice = len(list(twice.parameters()))
many = MySequential(*[nn.Linear(2, 2) for _ in range(12)])
n_many = len(list(many.parameters()))
n_empty = len(list(MySequential(nn.ReLU(), nn.Tanh()).parameters()))
""", "n_params same_params in_state eval_flags dtypes n_twice n_many n_empty")
    expect(r.n_params == 6 and r.same_params,
           f"MySequential(Linear, ReLU, Linear, Dropout, Linear) 的 parameters() 应恰好包含三个 Linear 的 6 个参数张量，"
           f"实际有 {r.n_params} 个（或不是传入的那些）。"
           "提示：子块要登记到 self._modules（或用 add_module、nn.ModuleList），放在普通列表里 Module 是看不见的；"
           "同类的块也要用不同的名字登记。")
    expect(r.in_state, "MySequential 的 state_dict() 没有包含传入各块的全部参数：保存模型时它们会丢失。")
    expect(r.eval_flags == [False] * 5,
           f"net.eval() 之后，传入的子块应全部处于评估模式，它们的 training 是 {r.eval_flags}。"
           "提示：只有登记过的子块才会跟着 eval()/train() 切换。")
    expect(r.dtypes == ["torch.float64"],
           f"net.to(torch.float64) 之后，子层参数的类型应为 torch.float64，实际是 {r.dtypes}：子块没有被正确登记。")
    expect(r.n_twice == 2 and r.n_many == 24 and r.n_empty == 0,
           f"参数个数不对：MySequential(lin, ReLU(), lin) 应有 2 个参数张量（同一个块只算一次），实际 {r.n_twice} 个；"
           f"12 个 Linear 应有 24 个，实际 {r.n_many} 个；只有激活函数时应为 0 个，实际 {r.n_empty} 个。")


@check(points=1, title="列表版顺序块的问题")
def list_breaks(student):
    expect_choices(student, "LIST_BREAKS", {"A", "B", "C"},
                   "逐条动手验证——前向传播照常工作，梯度也照常计算，"
                   "真正出问题的是 Module 靠登记才能提供的那些功能。")


def fixed_reference(X, w, b, c):
    h = linear(F.relu(linear(X, w, b) @ c + 1), w, b)
    while h.abs().sum() > 1:
        h = h / 2
    return h.sum()


@check(points=2, title="FixedHiddenMLP 的前向传播")
def fixed_forward(student):
    g = student.rng
    cases = []
    for batch, scale in [(4, 0.5), (1, 0.5), (3, 0.001)]:  # the last one never needs halving
        cases.append((torch.randn(batch, 20, generator=g), torch.randn(20, 20, generator=g) * scale,
                      torch.randn(20, generator=g) * scale, torch.rand(20, 20, generator=g)))
    # The boundary: with a zero weight each of the 2 rows is the bias; after one halving
    # abs().sum() is exactly 1, which is not "> 1": the loop stops there and X.sum() is 1.
    cases.append((torch.randn(2, 20, generator=g), torch.zeros(20, 20), torch.tensor([0.25] * 4 + [0.0] * 16),
                  torch.rand(20, 20, generator=g)))
    r = student.run(HELPERS + """
values = _unpack(inputs)
net = FixedHiddenMLP()
found = [net.rand_weight.detach().clone()]
for i in range(0, len(values), 4):
    X, W, b, C = values[i:i + 4]
    with torch.no_grad():
        net.linear.weight.copy_(W)
        net.linear.bias.copy_(b)
        net.rand_weight.copy_(C)
    net.zero_grad()
    out = net(X)
    _backward(out, 1.0)
    found += [out] + _grads([net.linear]) + [X]
result = _pack(found)
""", "result", inputs=pack([t for case in cases for t in case]))
    c, *found = unpack(r.result)
    outs, grads, after = found[0::4], list(zip(found[1::4], found[2::4])), found[3::4]
    # rand_weight from torch.rand: 400 values of U(0, 1) have a mean within 0.1 of 0.5 and a std
    # within [0.25, 0.33] of 0.289 except with probability < 1e-8 (mean: 7 standard errors of
    # 0.0144; std: 6 standard errors of 0.0065).
    expect(isinstance(c, torch.Tensor) and c.shape == (20, 20) and bool((c >= 0).all() and (c < 1).all())
           and abs(c.mean().item() - 0.5) < 0.1 and 0.25 < c.std().item() < 0.33,
           f"rand_weight 应是形状 (20, 20)、由 torch.rand 生成（在 [0, 1) 内均匀分布）的矩阵，"
           f"得到的形状是 {shape_of(c)}"
           + (f"，取值范围 [{c.min().item():.3f}, {c.max().item():.3f}]，均值 {c.mean().item():.3f}。"
              if isinstance(c, torch.Tensor) and c.numel() > 1 else "。"))
    for (X, W, b, C), out, grad, after in zip(cases, outs, grads, after):
        expect(isinstance(out, torch.Tensor) and out.dim() == 0,
               f"FixedHiddenMLP()(X) 应返回一个标量张量（最后用 X.sum()），得到 {shape_of(out)}。")
        expected, (gw, gb) = with_grads(lambda w, bias: fixed_reference(X, w, bias, C), [W, b], torch.tensor(1.0))
        expect(close(out, expected, 1e-6),
               f"把 linear 和 rand_weight 换成检查给定的值后，FixedHiddenMLP 对批量大小 {X.shape[0]} 的输入"
               f"输出 {out.item():.6g}，按描述计算应为 {expected.item():.6g}。"
               "提示：linear → relu(X @ rand_weight + 1) → 同一个 linear → 当 X.abs().sum() > 1 时反复除以 2 → 返回 X.sum()。")
        expect(grads_close(list(grad), [gw, gb]),
               "FixedHiddenMLP 的输出值正确，但 linear 的梯度不对（或没有梯度）。"
               "提示：两次都调用 self.linear，不要用 .item()、.detach() 或 torch.no_grad() 切断计算图。")
        expect(torch.equal(after, X), "FixedHiddenMLP 的 forward 修改了输入 X。")


@check(points=2, title="常数矩阵是缓冲区，linear 被复用")
def fixed_buffer(student):
    X = torch.randn(3, 20, generator=student.rng)
    r = student.run(HELPERS + """
a, b = FixedHiddenMLP(), FixedHiddenMLP()
params = sorted(name for name, _ in a.named_parameters())
buffers = sorted(name for name, _ in a.named_buffers())
keys = sorted(a.state_dict().keys())
rw_requires_grad = bool(getattr(a.rand_weight, "requires_grad", True))
b.load_state_dict(a.state_dict())
restored = torch.equal(b.rand_weight, a.rand_weight)
try:
    same_out = bool(torch.equal(a(X), b(X)))
except Exception:
    same_out = None  # the forward pass is judged by its own check
a.to(torch.float64)
dtypes = sorted({str(t.dtype) for t in [a.rand_weight, a.linear.weight]})
try:
    out64 = str(a(X.double()).dtype)
except Exception as err:
    out64 = type(err).__name__
""", "params buffers keys rw_requires_grad restored same_out dtypes out64", X=X)
    expect(r.params == ["linear.bias", "linear.weight"],
           f"FixedHiddenMLP 的可训练参数应只有 linear.weight 和 linear.bias，实际是 {r.params}。"
           "提示：rand_weight 不应训练；两次使用的必须是同一个 linear。")
    expect(r.buffers == ["rand_weight"] and "rand_weight" in r.keys and not r.rw_requires_grad,
           f"rand_weight 应作为（持久的）缓冲区登记：named_buffers() 给出 {r.buffers}，"
           f"state_dict() 的键是 {r.keys}。"
           "提示：普通张量属性对 Module 不可见，请使用 self.register_buffer。")
    expect(r.restored and r.same_out is not False,
           "把一个 FixedHiddenMLP 的 state_dict() 加载进另一个实例后，两者的 rand_weight 或输出仍不相同："
           "常数矩阵没有随 state_dict 保存和恢复，或 forward 用的不是这个缓冲区。")
    expect(r.dtypes == ["torch.float64"] and (r.same_out is None or r.out64 == "torch.float64"),
           f"net.to(torch.float64) 之后，rand_weight 与 linear 的类型是 {r.dtypes}，"
           f"对 float64 输入的前向传播给出 {r.out64}；应全部为 torch.float64。"
           "提示：只有登记为缓冲区的张量才会随 .to() 转换。")


@check(points=2, title="NestMLP")
def nest_mlp(student):
    X = torch.randn(5, 20, generator=student.rng)
    X1 = torch.randn(1, 20, generator=student.rng)
    G = torch.randn(5, 16, generator=student.rng)
    fill_seed = int(torch.randint(1, 2**31, (1,), generator=student.rng))
    r = student.run(HELPERS + """
X, X1, G = _unpack(inputs)
net = NestMLP()
seq, top = net.net, net.linear
is_seq = isinstance(seq, nn.Sequential)
inner = [(type(m).__name__, getattr(m, "in_features", None), getattr(m, "out_features", None)) for m in seq]
top_kind = (type(top).__name__, isinstance(top, nn.Linear), getattr(top, "in_features", None), getattr(top, "out_features", None))
linears = [m for m in seq if isinstance(m, nn.Linear)] + [top]
own = {id(p) for m in linears for p in m.parameters()}
only_these = {id(p) for p in net.parameters()} == own and len(own) == 6
written = _fill(linears, fill_seed, 0.3)
out = net(X)
out1 = net(X1)
_backward(out, G)
result = _pack(written + [out, out1] + _grads(linears) + [X])
""", "is_seq inner top_kind only_these result", inputs=pack([X, X1, G]), fill_seed=fill_seed)
    values = unpack(r.result)
    spec = [("Linear", 20, 64), ("ReLU", None, None), ("Linear", 64, 32), ("ReLU", None, None)]
    expect(r.is_seq and r.inner == spec,
           "NestMLP 的属性 net 应为 nn.Sequential(Linear(20, 64), ReLU(), Linear(64, 32), ReLU())，"
           f"你的依次是 {[k if n is None else f'{k}({n}, {o})' for k, n, o in r.inner]}"
           f"{'' if r.is_seq else '，而且不是 nn.Sequential'}。")
    expect(r.top_kind[1:] == (True, 32, 16),
           f"NestMLP 的属性 linear 应为 nn.Linear(32, 16)，你的是 {r.top_kind[0]}"
           f"（in_features={r.top_kind[2]}，out_features={r.top_kind[3]}）。")
    expect(r.only_these, "NestMLP 的参数应恰好是三个 Linear 的 6 个张量，你的网络还登记了别的参数（或缺了某些）。")
    params, out, out1, found_grads, X_after = values[:6], values[6], values[7], values[8:14], values[14]

    def forward(x):
        return lambda w1, b1, w2, b2, w3, b3: linear(F.relu(linear(F.relu(linear(x, w1, b1)), w2, b2)), w3, b3)
    expected, grads = with_grads(forward(X), params, G)
    expect(isinstance(out, torch.Tensor) and out.shape == (5, 16),
           f"NestMLP()(X) 对形状为 (5, 20) 的 X 应返回形状为 (5, 16) 的张量，得到 {shape_of(out)}。")
    expect(close(out, expected) and close(out1, forward(X1)(*params)),
           "把三个 Linear 的参数换成检查给定的值后，NestMLP 的输出不等于 linear(net(X))（试了批量大小 5 和 1）。"
           "提示：两个 ReLU 都在 Sequential 里，linear 之后没有激活。")
    expect(grads_close(found_grads, grads),
           "NestMLP 的输出值正确，但各层参数的梯度不对（或没有梯度）。提示：不要在 forward 中切断计算图。")
    expect(torch.equal(X_after, X), "NestMLP 的 forward 修改了输入 X。")


@check(points=1, title="嵌合体 chimera")
def chimera(student):
    X = torch.randn(4, 20, generator=student.rng)
    r = student.run(HELPERS + """
is_seq = isinstance(chimera, nn.Sequential)
parts = list(chimera) if is_seq else []
kinds = [type(m).__name__ for m in parts]
matches = [isinstance(parts[0], NestMLP), isinstance(parts[1], nn.Linear) and (parts[1].in_features, parts[1].out_features) == (16, 20),
           isinstance(parts[2], FixedHiddenMLP)] if len(parts) == 3 else []
out = chimera(X)
by_parts = parts[2](parts[1](parts[0](X))) if len(parts) == 3 else None
""", "is_seq kinds matches out by_parts", X=X)
    expect(r.is_seq, "chimera 应是一个 nn.Sequential。")
    expect(r.matches == [True, True, True],
           f"chimera 的子块应依次为 NestMLP()、nn.Linear(16, 20)、FixedHiddenMLP()，你的是 {r.kinds}。")
    # The composition is judged here, whatever FixedHiddenMLP returns (its own check judges that).
    numeric = (torch.Tensor, float, int)
    expect(isinstance(r.out, numeric) and isinstance(r.by_parts, numeric)
           and torch.allclose(torch.as_tensor(r.out, dtype=torch.float64), torch.as_tensor(r.by_parts, dtype=torch.float64),
                              atol=ATOL, rtol=1e-4),
           f"chimera(X) 得到 {r.out!r}，而依次调用这三个子块得到 {r.by_parts!r}，两者应相等。")


@check(points=2, title="ParallelBlock 并联两个网络")
def parallel_block(student):
    g = student.rng
    X = torch.randn(3, 6, generator=g)
    A = (torch.randn(4, 6, generator=g) * 0.5, torch.randn(4, generator=g) * 0.5)
    B = (torch.randn(5, 6, generator=g) * 0.5, torch.randn(5, generator=g) * 0.5)
    G = torch.randn(3, 9, generator=g)
    r = student.run(HELPERS + """
def _lin(values):
    m = nn.Linear(values[0].shape[1], values[0].shape[0])
    with torch.no_grad():
        m.weight.copy_(values[0]); m.bias.copy_(values[1])
    return m

X, G, *values = _unpack(inputs)
A, B = values[:2], values[2:]
a, b = _lin(A), nn.Sequential(_lin(B), nn.ReLU())
net = ParallelBlock(a, b)
out = net(X)
_backward(out, G)
grads = _grads([a, b[0]])
own = [p for m in (a, b) for p in m.parameters()]
registered = {id(p) for p in net.parameters()} == {id(p) for p in own} and len(list(net.parameters())) == 4
in_state = {v.data_ptr() for v in net.state_dict().values()} == {p.data_ptr() for p in own}
net.eval()
eval_flags = [a.training, b.training]
net.to(torch.float64)
dtypes = sorted({str(p.dtype) for p in own})
# A first net without parameters, and one net given twice.
c = _lin(A)
no_params = ParallelBlock(nn.Tanh(), c)
out_tanh = no_params(X)
n_tanh = len(list(no_params.parameters()))
twice = ParallelBlock(c, c)
out_twice = twice(X)
n_twice = len(list(twice.parameters()))
result = _pack([out, out_tanh, out_twice, X] + grads)
""", "result registered in_state eval_flags dtypes n_tanh n_twice", inputs=pack([X, G, *A, *B]))
    out, out_tanh, out_twice, X_after, *found_grads = unpack(r.result)
    expected, grads = with_grads(
        lambda wa, ba, wb, bb: torch.cat((linear(X, wa, ba), F.relu(linear(X, wb, bb))), dim=1), [*A, *B], G)
    expect(isinstance(out, torch.Tensor) and out.shape == (3, 9),
           "ParallelBlock(net1, net2)(X) 应沿 dim=1 拼接两个输出：net1 输出 4 列、net2 输出 5 列时"
           f"应得到形状 (3, 9)，得到 {shape_of(out)}。")
    expect(close(out, expected),
           "ParallelBlock(net1, net2)(X) 的形状对，但数值不等于 torch.cat((net1(X), net2(X)), dim=1)。"
           "提示：两个网络都接收同一个输入 X，拼接时先 net1 后 net2。")
    a_out = linear(X, *A)
    expect(close(out_tanh, torch.cat((torch.tanh(X), a_out), dim=1))
           and close(out_twice, torch.cat((a_out, a_out), dim=1)),
           "ParallelBlock(nn.Tanh(), lin) 或 ParallelBlock(lin, lin) 的输出不对："
           "没有参数的网络、同一个网络用两次，也都要按“先 net1 后 net2、沿 dim=1 拼接”计算。")
    expect(grads_close(found_grads, grads),
           "ParallelBlock 的输出值正确，但两个子网络的参数没有得到正确的梯度。"
           "提示：直接调用传入的网络本身，不要复制它们或切断计算图。")
    expect(r.registered and r.in_state and r.eval_flags == [False, False] and r.dtypes == ["torch.float64"],
           "ParallelBlock 没有登记两个子网络：它的 parameters()、state_dict() 应包含两个子网络的全部参数，"
           f"eval() 与 .to() 也应作用到子网络上（eval() 之后子网络的 training 是 {r.eval_flags}，"
           f".to(torch.float64) 之后参数类型是 {r.dtypes}）。")
    expect(r.n_tanh == 2 and r.n_twice == 2,
           f"ParallelBlock(nn.Tanh(), lin) 与 ParallelBlock(lin, lin) 都应有 2 个参数张量，"
           f"实际分别是 {r.n_tanh} 和 {r.n_twice} 个。")
    expect(torch.equal(X_after, X), "ParallelBlock 的 forward 修改了输入 X。")


@check(points=2, title="stack_blocks 生成独立的块")
def block_factory(student):
    g = student.rng
    X = torch.randn(3, 4, generator=g)
    G = torch.randn(3, 4, generator=g)
    fill_seed = int(torch.randint(1, 2**31, (1,), generator=g))
    r = student.run(HELPERS + """
def make():
    return nn.Sequential(nn.Linear(4, 4), nn.Tanh())
X, G = _unpack(inputs)
results, tensors = {}, []
for n in (2, 11):
    net = stack_blocks(make, n)
    items = list(net) if isinstance(net, nn.Sequential) else []
    entry = {"is_seq": isinstance(net, nn.Sequential), "count": len(items),
             "distinct": len({id(m) for m in items}), "n_params": len(list(net.parameters()))}
    if entry["is_seq"] and all(isinstance(m, nn.Sequential) and isinstance(m[0], nn.Linear) for m in items):
        entry["at"] = len(tensors)
        tensors += _fill([m[0] for m in items], fill_seed + n)
        out = net(X)
        _backward(out, G)
        tensors += [out] + _grads([m[0] for m in items])
    results[str(n)] = entry
result = _pack(tensors)
relus = stack_blocks(nn.ReLU, 5)
relus = [len(relus), len({id(m) for m in relus})] if isinstance(relus, nn.Sequential) else None
""", "results relus result", inputs=pack([X, G]), fill_seed=fill_seed)
    tensors = unpack(r.result)
    for n in (2, 11):
        e = r.results[str(n)]
        expect(e["is_seq"] and e["count"] == n,
               f"stack_blocks(make_block, {n}) 应返回含 {n} 个块的 nn.Sequential，"
               f"得到的{'是' if e['is_seq'] else '不是'} nn.Sequential，含 {e['count']} 个块。")
        expect(e["distinct"] == n and e["n_params"] == 2 * n,
               f"stack_blocks(make_block, {n}) 的 {n} 个块中只有 {e['distinct']} 个不同的对象，"
               f"参数张量共 {e['n_params']} 个（应为 {2 * n} 个）：块之间共享了参数。"
               "提示：[block] * n 只复制引用，每个位置都应调用一次 make_block()。")
        expect("at" in e, f"stack_blocks(make_block, {n}) 的各项应是 make_block() 返回的块。")
        at = e["at"]
        params, out, found_grads = tensors[at:at + 2 * n], tensors[at + 2 * n], tensors[at + 2 * n + 1:at + 4 * n + 1]

        def forward(*p):
            h = X
            for i in range(0, len(p), 2):
                h = torch.tanh(linear(h, p[i], p[i + 1]))
            return h
        expected, grads = with_grads(forward, params, G)
        expect(close(out, expected),
               f"stack_blocks(make_block, {n}) 得到的网络应依次执行这 {n} 个块，输出与预期不一致。")
        expect(grads_close(found_grads, grads),
               f"stack_blocks(make_block, {n}) 的输出正确，但各块参数的梯度不对。")
    expect(r.relus == [5, 5],
           f"stack_blocks(nn.ReLU, 5) 应返回含 5 个不同 ReLU 对象的 nn.Sequential，"
           f"得到的块数与不同对象数是 {r.relus}。")
