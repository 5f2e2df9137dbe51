"""Hidden checks for 05_deferred_init (5.3 延后初始化，taught with PyTorch lazy modules)."""
import torch
import torch.nn.functional as F

from autograder.registry import check, expect


def linear(x, w, b):
    return x @ w.T + b


def sizes(rng, n, low=3, high=9):
    return [int(v) for v in torch.randint(low, high, (n,), generator=rng)]


@check(points=2, title="试跑之前参数尚未初始化")
def lazy_mlp_deferred(student):
    out_sizes = sizes(student.rng, 3)
    r = student.run("""
net = lazy_mlp(*out_sizes)
linears = [(type(m).__name__, m.out_features) for m in net.modules() if isinstance(m, nn.Linear)]
ptypes = [type(p).__name__ for p in net.parameters()]
single = [type(p).__name__ for p in lazy_mlp(out_sizes[0]).parameters()]
""", "linears ptypes single", out_sizes=out_sizes)
    expect(r.linears == [("LazyLinear", n) for n in out_sizes],
           f"lazy_mlp{tuple(out_sizes)} 的线性层应依次是输出尺寸为 {out_sizes} 的 nn.LazyLinear,"
           f"你的是 {r.linears}。")
    expect(r.ptypes == ["UninitializedParameter"] * (2 * len(out_sizes)) and r.single == ["UninitializedParameter"] * 2,
           f"第一次前向传播之前，lazy_mlp 的参数应全部是 UninitializedParameter，实际是 {r.ptypes}。"
           "提示：只要某一层在构造时写明了输入尺寸，它的参数就会立即初始化；这里要求每一层都延后。")


@check(points=2, title="试跑之后形状被正确推断")
def lazy_mlp_inferred(student):
    out_sizes = sizes(student.rng, 3)
    width = int(torch.randint(10, 30, (1,), generator=student.rng))
    X = torch.randn(4, width, generator=student.rng)
    r = student.run("""
net = lazy_mlp(*out_sizes)
out = net(X)
kinds = [type(m).__name__ for m in net.modules() if isinstance(m, nn.Linear)]
params = [(m.weight, m.bias) for m in net.modules() if isinstance(m, nn.Linear)]
""", "out kinds params", out_sizes=out_sizes, X=X)
    expect(r.kinds == ["Linear"] * len(out_sizes),
           f"试跑之后，各惰性层应变成普通的 Linear，实际是 {r.kinds}。")
    shapes = [tuple(w.shape) for w, _ in r.params]
    expected_shapes = [(n, m) for n, m in zip(out_sizes, [width] + out_sizes[:-1])]
    expect(shapes == expected_shapes,
           f"用 {width} 列的数据试跑 lazy_mlp{tuple(out_sizes)} 后，权重形状应为 {expected_shapes}，实际是 {shapes}。")
    h = X
    for i, (w, b) in enumerate(r.params):
        h = linear(h, w, b)
        if i < len(r.params) - 1:
            h = F.relu(h)
    expect(isinstance(r.out, torch.Tensor) and r.out.shape == h.shape and torch.allclose(r.out, h, atol=1e-5),
           "lazy_mlp 的输出与“线性层之间夹 ReLU、最后一层之后不加激活”的计算不一致。")


@check(points=1, title="判断哪些参数已初始化")
def init_status(student):
    a, b, c, d = sizes(student.rng, 4)
    X = torch.randn(3, a, generator=student.rng)
    r = student.run("""
net = nn.Sequential(nn.Linear(a, b), nn.ReLU(), nn.LazyLinear(c), nn.ReLU(), nn.LazyLinear(d, bias=False))
before = init_status(net)
net(X)
after = init_status(net)
lazy_only = init_status(nn.Sequential(nn.LazyLinear(c), nn.ReLU(), nn.Linear(c, d)))
""", "before after lazy_only", a=a, b=b, c=c, d=d, X=X)
    as_list = lambda v: [bool(x) for x in v] if isinstance(v, (list, tuple)) else v  # noqa: E731
    expect(as_list(r.before) == [True, True, False, False, False] and as_list(r.lazy_only) == [False, False, True, True],
           "试跑之前，init_status 对普通 Linear 的参数应给 True，对惰性层的占位参数应给 False。"
           "提示：UninitializedParameter 也是 nn.Parameter 的子类，只判断“是不是 Parameter”是区分不开的。")
    expect(as_list(r.after) == [True] * 5, "试跑之后所有参数都已初始化，init_status 应全部为 True。")


@check(points=2, title="试跑让参数实体化并得到正确形状")
def init_after_dry_run_shapes(student):
    width = int(torch.randint(10, 40, (1,), generator=student.rng))
    h, o = sizes(student.rng, 2, 5, 20)
    r = student.run("""
net = nn.Sequential(nn.LazyLinear(h), nn.ReLU(), nn.LazyLinear(o))
returned = init_after_dry_run(net, width)
same = returned is net
kinds = [type(m).__name__ for m in net]
ptypes = [type(p).__name__ for p in net.parameters()]
shapes = [tuple(p.shape) for p in net.parameters() if type(p).__name__ == "Parameter"]
""", "same kinds ptypes shapes", h=h, o=o, width=width)
    expect(r.ptypes == ["Parameter"] * 4 and r.kinds == ["Linear", "ReLU", "Linear"],
           f"init_after_dry_run 之后，网络的参数应全部实体化（惰性层变成 Linear），实际参数类型是 {r.ptypes}。"
           "提示：要先用假数据调用一次网络。")
    expected = [(h, width), (h,), (o, h), (o,)]
    expect(r.shapes == expected,
           f"输入宽度为 {width} 时，参数形状应为 {expected}，实际是 {r.shapes}。提示：假数据的形状应为（批量大小，in_features）。")
    expect(r.same, "init_after_dry_run 应返回传入的那个 net 本身。")


@check(points=2, title="试跑之后施加的自定义初始化")
def init_after_dry_run_values(student):
    width = int(torch.randint(20, 40, (1,), generator=student.rng))
    r = student.run("""
net = nn.Sequential(nn.LazyLinear(256), nn.ReLU(), nn.LazyLinear(128))
init_after_dry_run(net, width)
weights = [m.weight for m in net if hasattr(m, "weight")]
biases = [m.bias for m in net if hasattr(m, "bias")]
""", "weights biases", width=width, seed=5)
    expect(len(r.weights) == 2 and all(isinstance(w, torch.Tensor) for w in r.weights + r.biases),
           "init_after_dry_run 之后，两层的权重和偏置都应已实体化。")
    for w in r.weights:
        std, mean = w.std().item(), w.mean().item()
        expect(abs(std - 0.01) < 0.0015 and abs(mean) < 0.002,
               f"权重的标准差应约为 0.01、均值约为 0,实际标准差 {std:.4f}、均值 {mean:.4f}。"
               "提示：试跑之后 LazyLinear 已经变成了 nn.Linear，你的初始化函数真的选中了这些层吗？")
    expect(all(bool((b == 0).all()) for b in r.biases), "所有偏置都应被置为 0。")


@check(points=2, title="定位尺寸不匹配的层")
def locate_mismatch(student):
    a, b, c, d = sizes(student.rng, 4, 4, 12)
    n = int(torch.randint(2, 6, (1,), generator=student.rng))
    c2 = c + int(torch.randint(1, 4, (1,), generator=student.rng))
    a2 = a + int(torch.randint(1, 4, (1,), generator=student.rng))
    X = torch.randn(n, a, generator=student.rng)
    r = student.run("""
late = locate_mismatch(nn.Sequential(nn.Linear(a, b), nn.ReLU(), nn.Linear(b, c), nn.ReLU(), nn.Linear(c2, d)), X)
early = locate_mismatch(nn.Sequential(nn.Linear(a2, b), nn.ReLU(), nn.Linear(b, d)), X)
good = locate_mismatch(nn.Sequential(nn.Linear(a, b), nn.ReLU(), nn.Linear(b, d)), X)
lazy = locate_mismatch(nn.Sequential(nn.LazyLinear(b), nn.ReLU(), nn.LazyLinear(d)), X)
""", "late early good lazy", a=a, b=b, c=c, d=d, c2=c2, a2=a2, X=X)
    for found, index, tokens in [(r.late, 4, (f"{n}x{c}", f"{c2}x{d}")), (r.early, 0, (f"{n}x{a}", f"{a2}x{b}"))]:
        expect(isinstance(found, (tuple, list)) and len(found) == 2 and found[0] == index,
               f"出错的应是下标为 {index} 的层，locate_mismatch 返回的是 {found!r}。"
               "提示：逐个调用 net 的子层，记录是在哪一层抛出 RuntimeError 的。")
        expect(isinstance(found[1], str) and all(t in found[1] for t in tokens),
               "返回的报错信息不是那一层实际抛出的 RuntimeError 的内容（其中应含有两个矩阵的形状）。"
               "提示：返回 str(err)，不要自己编写文字。")
    expect(r.good is None and r.lazy is None,
           "网络能顺利跑完时（包括全由惰性层组成的网络）,locate_mismatch 应返回 None。")


@check(points=2, title="惰性层的形状在第一次调用后固定")
def two_calls_error(student):
    w1, w2, k = sizes(student.rng, 3, 4, 12)
    w2 = w2 if w2 != w1 else w1 + 1
    n1, n2 = sizes(student.rng, 2, 2, 7)
    X1 = torch.randn(n1, w1, generator=student.rng)
    X2 = torch.randn(n2, w2, generator=student.rng)
    X3 = torch.randn(n2 + 1, w1, generator=student.rng)
    r = student.run("""
make = lambda: nn.Sequential(nn.LazyLinear(k), nn.ReLU(), nn.LazyLinear(3))
changed = two_calls(make, X1, X2)
same = two_calls(make, X1, X3)
""", "changed same", k=k, X1=X1, X2=X2, X3=X3)
    expect(isinstance(r.changed, (tuple, list)) and len(r.changed) == 2 and r.changed[0] == w1,
           f"第一次用 {w1} 列的数据调用后，第一层的 in_features 应为 {w1}，two_calls 返回的是 {r.changed!r}。")
    expect(isinstance(r.changed[1], str) and f"{n2}x{w2}" in r.changed[1] and f"{w1}x{k}" in r.changed[1],
           f"第二次用 {w2} 列的数据调用同一个网络应当抛出 RuntimeError,two_calls 返回的报错信息是 {r.changed[1]!r}。"
           "提示：两次调用的必须是同一个网络对象；返回捕获到的 str(err)。")
    expect(isinstance(r.same, (tuple, list)) and list(r.same) == [w1, None],
           f"两次输入的宽度相同时（批量大小可以不同），第二次调用不会出错，应返回 ({w1}，None)，实际是 {r.same!r}。")


@check(points=2, title="接受多种输入宽度的网络")
def multi_width_mlp(student):
    base = int(torch.randint(4, 9, (1,), generator=student.rng))
    widths = [base, base + 3, base + 7]
    h, o = sizes(student.rng, 2, 3, 10)
    Xs = [torch.randn(int(torch.randint(2, 6, (1,), generator=student.rng)), w, generator=student.rng) for w in widths]
    r = student.run("""
net = MultiWidthMLP(widths, h, o)
try:
    outs, error = [net(X) for X in Xs], None
    again = net(Xs[0])
except RuntimeError as err:
    outs, again, error = [], None, str(err)
stems = [(net.stems[str(w)].weight, net.stems[str(w)].bias) for w in widths]
body = (net.body.weight, net.body.bias)
n_params = len(list(net.parameters()))
""", "error outs again stems body n_params", widths=widths, h=h, o=o, Xs=Xs)
    expect(r.error is None,
           f"依次送入宽度为 {widths} 的数据时出错：{r.error}。"
           "提示：每种宽度都要有一个独立的入口层对象；同一个层（包括惰性层）第一次调用后形状就固定了。")
    expect(r.n_params == 2 * len(widths) + 2,
           f"宽度为 {widths} 时网络应有 {2 * len(widths) + 2} 个参数张量（每个入口层 2 个，共享的 body 2 个）,"
           f"实际有 {r.n_params} 个。提示：入口层要登记在 nn.ModuleDict 里，body 只有一个。")
    for X, out, (ws, bs) in zip(Xs, r.outs, r.stems):
        expect(tuple(ws.shape) == (h, X.shape[1]),
               f"宽度 {X.shape[1]} 的入口层权重形状应为 {(h, X.shape[1])}，实际是 {tuple(ws.shape)}。")
        expected = linear(F.relu(linear(X, ws, bs)), *r.body)
        expect(isinstance(out, torch.Tensor) and out.shape == expected.shape and torch.allclose(out, expected, atol=1e-5),
               f"宽度为 {X.shape[1]} 的输入，输出应为 body(relu(stems[str({X.shape[1]})](X)))。")
    expect(torch.allclose(r.again, r.outs[0], atol=1e-6), "同一个输入再算一次应得到同样的输出。")
