"""Hidden checks for 01_blocks （5.1 层和块）."""
import torch
import torch.nn.functional as F

from autograder.checks.common import expect_choices
from autograder.registry import check, expect

X_SHAPE = (4, 20)


def linear(x, w, b):
    return x @ w.T + b


@check(points=1, title="MLP 的子层")
def mlp_structure(student):
    r = student.run("""
net = MLP()
layers = [(name, type(m).__name__, getattr(m, "in_features", None), getattr(m, "out_features", None))
          for name, m in net.named_children()]
""", "layers")
    expect(r.layers == [("hidden", "Linear", 20, 256), ("out", "Linear", 256, 10)],
           f"MLP 的子层应依次为 hidden = Linear(20, 256) 与 out = Linear(256, 10)，你的是 {r.layers}。"
           "提示：子层要在 __init__ 中赋给 self 的属性，名字和尺寸都要对。")


@check(points=2, title="MLP 的前向传播")
def mlp_forward(student):
    X = torch.randn(X_SHAPE, generator=student.rng)
    r = student.run("""
net = MLP()
out = net(X)
params = [p for p in net.parameters()]
""", "out params", X=X)
    expect(isinstance(r.out, torch.Tensor) and r.out.shape == (4, 10),
           "MLP()(X) 应返回形状为（批量大小，10）的张量。")
    w1, b1, w2, b2 = r.params
    expected = linear(F.relu(linear(X, w1, b1)), w2, b2)
    expect(torch.allclose(r.out, expected, atol=1e-5),
           "MLP 的输出不等于 out(relu(hidden(X)))。提示：检查 ReLU 是否放在两层之间、是否对隐藏层输出使用。")


@check(points=2, title="MySequential 按顺序执行子块")
def mysequential_order(student):
    X = torch.randn(3, 5, generator=student.rng)
    r = student.run("""
first, second = nn.Linear(5, 7), nn.Linear(7, 3)
out = MySequential(first, nn.ReLU(), second, nn.Tanh())(X)
w1, b1, w2, b2 = first.weight, first.bias, second.weight, second.bias
""", "out w1 b1 w2 b2", X=X)
    expect(isinstance(r.out, torch.Tensor) and r.out.shape == (3, 3),
           "MySequential(Linear(5, 7), ReLU(), Linear(7, 3), Tanh()) 的输出形状应为 (3, 3)。")
    expected = torch.tanh(linear(torch.relu(linear(X, r.w1, r.b1)), r.w2, r.b2))
    expect(torch.allclose(r.out, expected, atol=1e-5),
           "MySequential 的输出与“按传入顺序逐个调用子块”的结果不一致。提示：forward 要按构造时的顺序遍历子块，"
           "并把每个子块的输出作为下一个子块的输入。")


@check(points=2, title="MySequential 登记了子块")
def mysequential_registers(student):
    r = student.run("""
net = MySequential(nn.Linear(5, 7), nn.ReLU(), nn.Linear(7, 3))
n_params = len(list(net.parameters()))
keys = list(net.state_dict().keys())
net.to(torch.float64)
dtypes = [str(p.dtype) for m in net.modules() if isinstance(m, nn.Linear) for p in m.parameters()]
""", "n_params keys dtypes")
    expect(r.n_params == 4 and len(r.keys) == 4,
           f"MySequential 的 parameters() 应包含两个 Linear 的 4 个参数张量，实际只有 {r.n_params} 个。"
           "提示：子块要登记到 self._modules（或用 add_module），放在普通列表里 Module 是看不见的。")
    expect(set(r.dtypes) == {"torch.float64"},
           "net.to(torch.float64) 之后子层参数没有跟着转换：子块没有被正确登记。")


@check(points=1, title="列表版顺序块的问题")
def list_breaks(student):
    expect_choices(student, "LIST_BREAKS", {"A", "B", "C"},
                   "逐条动手验证——前向传播照常工作，梯度也照常计算，"
                   "真正出问题的是 Module 靠登记才能提供的那些功能。")


@check(points=2, title="FixedHiddenMLP 的前向传播")
def fixed_forward(student):
    X = torch.randn(X_SHAPE, generator=student.rng)
    r = student.run("""
net = FixedHiddenMLP()
out = net(X)
w, b, c = net.linear.weight, net.linear.bias, net.rand_weight
""", "out w b c", X=X)
    expect(isinstance(r.out, torch.Tensor) and r.out.dim() == 0,
           "FixedHiddenMLP()(X) 应返回一个标量张量（最后用 X.sum()）。")
    expect(r.c.shape == (20, 20) and bool((r.c >= 0).all() and (r.c < 1).all()),
           "rand_weight 应是形状 (20, 20)、由 torch.rand 生成（取值在 [0, 1) 内）的矩阵。")
    h = linear(F.relu(linear(X, r.w, r.b) @ r.c + 1), r.w, r.b)
    while h.abs().sum() > 1:
        h = h / 2
    expect(torch.allclose(r.out, h.sum(), rtol=1e-4, atol=1e-6),
           "FixedHiddenMLP 的输出与描述的计算不一致。提示：linear → relu(X @ rand_weight + 1) → 同一个 linear → "
           "当 X.abs().sum() > 1 时反复除以 2 → 返回 X.sum()。")


@check(points=2, title="常数矩阵是缓冲区，linear 被复用")
def fixed_buffer(student):
    r = student.run("""
net = FixedHiddenMLP()
buffers = [name for name, _ in net.named_buffers()]
params = [name for name, _ in net.named_parameters()]
keys = list(net.state_dict().keys())
net.to(torch.float64)
dtype = str(net.rand_weight.dtype)
""", "buffers params keys dtype")
    expect(sorted(r.params) == ["linear.bias", "linear.weight"],
           f"FixedHiddenMLP 的可训练参数应只有 linear.weight 和 linear.bias，实际是 {r.params}。"
           "提示：rand_weight 不应训练；两次使用的必须是同一个 linear。")
    expect(r.buffers == ["rand_weight"] and "rand_weight" in r.keys and r.dtype == "torch.float64",
           "rand_weight 没有作为缓冲区登记：它不在 state_dict() 里，也不会随 .to() 转换。"
           "提示：普通张量属性对 Module 不可见，请使用 self.register_buffer。")


@check(points=2, title="NestMLP")
def nest_mlp(student):
    X = torch.randn(X_SHAPE, generator=student.rng)
    r = student.run("""
net = NestMLP()
out = net(X)
shapes = [tuple(p.shape) for p in net.parameters()]
params = list(net.parameters())
""", "out shapes params", X=X)
    expect(r.shapes == [(64, 20), (64,), (32, 64), (32,), (16, 32), (16,)],
           "NestMLP 的层尺寸不对：net 应为 Linear(20, 64)、ReLU、Linear(64, 32)、ReLU,linear 应为 Linear(32, 16)。")
    w1, b1, w2, b2, w3, b3 = r.params
    expected = linear(F.relu(linear(F.relu(linear(X, w1, b1)), w2, b2)), w3, b3)
    expect(isinstance(r.out, torch.Tensor) and r.out.shape == (4, 16) and torch.allclose(r.out, expected, atol=1e-5),
           "NestMLP 的输出应为 linear(net(X))。提示：两个 ReLU 都在 Sequential 里，linear 之后没有激活。")


@check(points=1, title="嵌合体 chimera")
def chimera(student):
    X = torch.randn(X_SHAPE, generator=student.rng)
    r = student.run("""
kinds = [type(m).__name__ for m in chimera.children()]
out = chimera(X)
parts = list(chimera.children())
by_parts = parts[2](parts[1](parts[0](X))) if len(parts) == 3 else None
""", "kinds out by_parts", X=X)
    expect(r.kinds == ["NestMLP", "Linear", "FixedHiddenMLP"],
           f"chimera 的子块应依次为 NestMLP、Linear(16, 20)、FixedHiddenMLP，你的是 {r.kinds}。")
    expect(isinstance(r.out, torch.Tensor) and torch.allclose(r.out, r.by_parts, atol=1e-5),
           "chimera(X) 应等于依次调用三个子块的结果。")


@check(points=2, title="ParallelBlock 并联两个网络")
def parallel_block(student):
    X = torch.randn(3, 6, generator=student.rng)
    r = student.run("""
a, b = nn.Linear(6, 4), nn.Sequential(nn.Linear(6, 5), nn.ReLU())
net = ParallelBlock(a, b)
out = net(X)
n_params = len(list(net.parameters()))
wa, ba, wb, bb = a.weight, a.bias, b[0].weight, b[0].bias
""", "out n_params wa ba wb bb", X=X)
    expected = torch.cat((linear(X, r.wa, r.ba), F.relu(linear(X, r.wb, r.bb))), dim=1)
    expect(isinstance(r.out, torch.Tensor) and r.out.shape == (3, 9) and torch.allclose(r.out, expected, atol=1e-5),
           "ParallelBlock(net1, net2)(X) 应沿 dim=1 拼接 net1(X) 与 net2(X)（先 net1 后 net2）。")
    expect(r.n_params == 4,
           "ParallelBlock 没有登记两个子网络：它的 parameters() 应包含两个子网络的全部参数。")


@check(points=2, title="stack_blocks 生成独立的块")
def block_factory(student):
    X = torch.randn(3, 4, generator=student.rng)
    r = student.run("""
net = stack_blocks(lambda: nn.Sequential(nn.Linear(4, 4), nn.ReLU()), 3)
kind = type(net).__name__
out = net(X)
distinct = len({id(m) for m in net.children()})
n_params = len(list(net.parameters()))
weights = [m[0].weight for m in net.children()]
biases = [m[0].bias for m in net.children()]
""", "kind out distinct n_params weights biases", X=X)
    expect(r.kind == "Sequential" and len(r.weights) == 3, "stack_blocks(make_block, 3) 应返回含 3 个块的 nn.Sequential。")
    expect(r.distinct == 3 and r.n_params == 6,
           "stack_blocks 返回的块不是相互独立的：它们是同一个对象，共享同一组参数。"
           "提示：[block] * n 只复制引用，每个位置都应调用一次 make_block()。")
    h = X
    for w, b in zip(r.weights, r.biases):
        h = F.relu(linear(h, w, b))
    expect(torch.allclose(r.out, h, atol=1e-5), "stack_blocks 的网络应依次执行这 n 个块。")
