"""Hidden checks for 03_initialization (5.2.2 参数初始化).

Random initialisations are judged statistically: every probe fixes ``seed=`` and samples tens of
thousands of values or more, and the tolerances are many standard errors wide, so a correct
solution passes on any device and a wrong distribution (another std, another bound) fails.
"""
import math

import torch

from autograder.checks.common import expect_choices
from autograder.registry import check, expect

SENTINEL = 7.77  # a value no initialiser writes: "still SENTINEL" means "never initialised"


def _close(value, target, rel):
    return abs(value - target) <= rel * abs(target)


def _is_tensor(value, shape=None):
    return isinstance(value, torch.Tensor) and (shape is None or tuple(value.shape) == tuple(shape))


@check(points=2, title="内置初始化 init_normal 与 init_constant")
def builtin_init(student):
    r = student.run("""
net = nn.Sequential(nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, 64))
net.apply(init_normal)
normal = [net[0].weight, net[0].bias, net[2].weight, net[2].bias]
net = nn.Sequential(nn.Linear(6, 5), nn.ReLU(), nn.Linear(5, 3))
net.apply(init_constant)
constant = [net[0].weight, net[0].bias, net[2].weight, net[2].bias]
""", "normal constant", seed=3)
    w1, b1, w2, b2 = r.normal
    for w in (w1, w2):
        expect(_close(w.std().item(), 0.01, 0.05) and abs(w.mean().item()) < 5e-4,
               f"net.apply(init_normal) 之后权重的均值应约为 0、标准差约为 0.01,实际标准差为 {w.std().item():.4g}。"
               "提示：检查传给 normal_ 的是标准差(std)还是方差，数值对不对；网络中每个全连接层都要初始化。")
    expect(bool((b1 == 0).all() and (b2 == 0).all()), "init_normal 之后偏置应全部为 0。")
    cw1, cb1, cw2, cb2 = r.constant
    expect(bool((cw1 == 1).all() and (cw2 == 1).all()),
           "net.apply(init_constant) 之后每个全连接层的权重都应为常数 1。")
    expect(bool((cb1 == 0).all() and (cb2 == 0).all()), "init_constant 之后偏置应全部为 0。")


@check(points=2, title="Xavier 与常数 42")
def per_block_init(student):
    r = student.run("""
net = nn.Sequential(nn.Linear(500, 300), nn.ReLU(), nn.Linear(300, 7))
second_before = net[2].weight.detach().clone()
net[0].apply(init_xavier)
xavier, second_after = net[0].weight.detach().clone(), net[2].weight.detach().clone()
net[2].apply(init_42)
first_after_42, forty_two = net[0].weight, net[2].weight
""", "xavier second_before second_after first_after_42 forty_two", seed=4)
    bound = math.sqrt(6 / (500 + 300))
    w = r.xavier
    top = w.abs().max().item()
    expect(top <= bound * (1 + 1e-5) and top > 0.99 * bound and _close(w.std().item(), bound / math.sqrt(3), 0.03),
           f"init_xavier 之后，Linear(500, 300) 的权重应服从 U(-{bound:.4f}，{bound:.4f}),"
           f"实际最大绝对值 {top:.4f}、标准差 {w.std().item():.4f}。提示：题目要求的是 Xavier 的均匀版本，gain 取默认值。")
    expect(torch.equal(r.second_before, r.second_after), "net[0].apply(init_xavier) 不应改动其他层的参数。")
    expect(bool((r.forty_two == 42).all()), "net[2].apply(init_42) 之后该层权重应全部为 42。")
    expect(torch.equal(r.first_after_42, r.xavier), "net[2].apply(init_42) 不应改动第一层的参数。")


@check(points=3, title="my_init 的分布")
def my_init_distribution(student):
    r = student.run("""
net = nn.Sequential(nn.Linear(400, 300), nn.ReLU(), nn.Linear(300, 200))
net.apply(my_init)
weights = [net[0].weight, net[2].weight]
""", "weights", seed=5)
    for w in r.weights:
        zero = (w == 0).float().mean().item()
        expect(abs(zero - 0.5) < 0.01,
               f"my_init 之后应有约一半的权重为 0,实际比例是 {zero:.3f}。"
               "提示：绝对值小于 5 的权重要清零，网络中的每个全连接层都要初始化。")
        nz = w[w != 0].abs()
        expect(bool(((nz >= 5) & (nz <= 10)).all()),
               f"my_init 之后非零权重的绝对值应在 [5, 10] 内，实际范围是 [{nz.min().item():.3g}，{nz.max().item():.3g}]。")
        expect(nz.min().item() < 5.05 and nz.max().item() > 9.95 and abs(nz.mean().item() - 7.5) < 0.05
               and abs((nz < 7.5).float().mean().item() - 0.5) < 0.01,
               "非零权重的绝对值应在 [5, 10] 上均匀分布。提示：先从 U(-10, 10) 抽样，再把绝对值小于 5 的清零。")
        positive = (w[w != 0] > 0).float().mean().item()
        expect(abs(positive - 0.5) < 0.01,
               f"非零权重中正数的比例应约为 1/2,实际是 {positive:.3f}：正负两侧要对称。")


@check(points=1, title="my_init 原地修改、参数仍可训练")
def my_init_in_place(student):
    r = student.run("""
layer = nn.Linear(20, 10)
held = list(layer.parameters())  # what an optimizer made before init would hold
layer.apply(my_init)
same = layer.weight is held[0]
kind = type(layer.weight).__name__
requires_grad = layer.weight.requires_grad
leaf = layer.weight.is_leaf
registered = [name for name, _ in layer.named_parameters()]
layer(torch.ones(3, 20)).sum().backward()
held_grad = held[0].grad
""", "same kind requires_grad leaf registered held_grad", seed=6)
    expect(r.kind == "Parameter" and r.requires_grad and r.leaf and "weight" in r.registered,
           "my_init 之后权重应仍是需要梯度的叶子参数(nn.Parameter,requires_grad=True)。"
           "提示：修改参数要原地进行，并放在 torch.no_grad() 中。")
    expect(r.same,
           "my_init 把 m.weight 换成了一个新的参数对象，初始化之前创建的优化器仍指向旧对象，训练时新权重不会被更新。"
           "提示：像 nn.init 的函数那样原地修改原来的权重。")
    expect(isinstance(r.held_grad, torch.Tensor),
           "初始化之前取得的权重引用（优化器持有的就是它）在反向传播后没有得到梯度：它已与模型脱节。")


@check(points=2, title="直接修改第一层权重")
def edit_first_layer(student):
    X = torch.randn(5, 4, generator=student.rng)
    r = student.run("""
net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
original = net[0].weight
before = [p.detach().clone() for p in net.parameters()]
result = edit_first_layer(net)
after = list(net.parameters())
same = net[0].weight is original
requires_grad = net[0].weight.requires_grad
net(X).sum().backward()
has_grad = net[0].weight.grad is not None
""", "before after same requires_grad has_grad", X=X, seed=7)
    expect(len(r.after) == 4, "edit_first_layer 之后网络应仍有 4 个参数张量。")
    expected = r.before[0] + 1
    expected[0, 0] = 42
    w = r.after[0]
    expect(_is_tensor(w, (8, 4)) and torch.allclose(w, expected, atol=1e-6),
           "edit_first_layer 之后 net[0] 的权重不对：应先把所有元素加 1,再把 [0, 0] 位置设为 42"
           f"（该位置应为 42,你的是 {w[0, 0].item():.4g}）。")
    expect(all(torch.equal(a, b) for a, b in zip(r.before[1:], r.after[1:])),
           "edit_first_layer 只应修改 net[0] 的权重，偏置和其他层要保持不变。")
    expect(r.same and r.requires_grad and r.has_grad,
           "修改之后 net[0].weight 应仍是原来那个需要梯度的参数，并能在反向传播中得到梯度。"
           "提示：在 torch.no_grad() 中原地修改，不要替换参数对象。")


@check(points=1, title="no_grad 与 .data")
def no_grad_quiz(student):
    expect_choices(student, "NO_GRAD_FACTS", {"A", "C", "D", "E"},
                   "把第 6 节的演示格逐个改一改、跑一跑；"
                   "留意 requires_grad 在 with 块前后的值，以及给 m.weight 赋普通张量时会发生什么。")


@check(points=2, title="初始化函数也能处理 nn.Linear 的子类")
def subclass_safe(student):
    r = student.run(f"""
class _SubclassedLinear(nn.Linear):
    pass

_functions = {{"init_normal": init_normal, "init_constant": init_constant, "init_xavier": init_xavier,
              "init_42": init_42, "my_init": my_init}}
touched = {{}}
for _name, _fn in _functions.items():
    _net = nn.Sequential(nn.Linear(16, 16), nn.ReLU(), _SubclassedLinear(16, 16))
    with torch.no_grad():
        for _p in _net.parameters():
            _p.fill_({SENTINEL})
    _net.apply(_fn)
    touched[_name] = (_net[0].weight, _net[2].weight)
""", "touched", seed=8)
    skipped = []
    for name, (plain_w, sub_w) in r.touched.items():
        plain_done = not bool((plain_w == SENTINEL).all())
        sub_done = not bool((sub_w == SENTINEL).all())
        if plain_done and not sub_done:
            skipped.append(name)
    expect(not skipped,
           f"{', '.join(skipped)} 初始化了 nn.Linear,却静悄悄地跳过了 nn.Linear 的子类(例如 class MyLinear(nn.Linear))。"
           "提示：type(m) == nn.Linear 只认恰好是 nn.Linear 的对象，请换一种判断方式。")


@check(points=2, title="Kaiming 初始化")
def kaiming(student):
    r = student.run("""
normal = relu_normal((256, 1024))
uniform = relu_uniform_fan_out((1024, 256))
""", "normal uniform", seed=9)
    expect(_is_tensor(r.normal, (256, 1024)) and _is_tensor(r.uniform, (1024, 256)),
           "relu_normal 与 relu_uniform_fan_out 应返回给定形状的张量。")
    sigma = math.sqrt(2 / 1024)  # gain sqrt(2), fan_in = shape[1] = 1024
    n = r.normal
    expect(_close(n.std().item(), sigma, 0.03) and abs(n.mean().item()) < 0.02 * sigma,
           f"relu_normal((256, 1024)) 的标准差应约为 {sigma:.4f}，实际为 {n.std().item():.4f}。"
           "提示：fan_in 是权重形状的第二维；ReLU 的增益是 √2。")
    expect(n.abs().max().item() > 3.5 * sigma, "relu_normal 的样本不像正态分布（没有足够远的尾部），请使用正态版本。")
    bound = math.sqrt(6 / 1024)  # sqrt(3) * sqrt(2) / sqrt(fan_out), fan_out = shape[0] = 1024
    u = r.uniform
    top = u.abs().max().item()
    expect(top <= bound * (1 + 1e-5) and top > 0.99 * bound and _close(u.std().item(), bound / math.sqrt(3), 0.03),
           f"relu_uniform_fan_out((1024, 256)) 应服从 U(-{bound:.4f}，{bound:.4f}),"
           f"实际最大绝对值为 {top:.4f}。提示：要保持反向传播的方差，用的是 fan_out。")


def _trunc_std_factor(k):
    """Std of a standard normal truncated to [-k, k]."""
    density = math.exp(-k * k / 2) / math.sqrt(2 * math.pi)
    return math.sqrt(1 - 2 * k * density / math.erf(k / math.sqrt(2)))


@check(points=2, title="正交初始化与截断正态")
def orthogonal_trunc(student):
    r = student.run("""
wide = orthogonal_weight(64, 128)
tall = orthogonal_weight(128, 64, gain=2.0)
other = orthogonal_weight(64, 128)
small = truncated_weight((512, 512), 0.02)
large = truncated_weight((256, 256), 0.5)
""", "wide tall other small large", seed=10)
    expect(_is_tensor(r.wide, (64, 128)) and _is_tensor(r.tall, (128, 64)),
           "orthogonal_weight(rows, cols) 应返回形状为 (rows, cols) 的张量。")
    expect(torch.allclose(r.wide @ r.wide.T, torch.eye(64), atol=1e-4),
           "orthogonal_weight(64, 128) 的各行应两两正交且长度为 1(W Wᵀ ≈ I)。")
    expect(torch.allclose(r.tall.T @ r.tall, 4 * torch.eye(64), atol=4e-4),
           "orthogonal_weight(128, 64, gain=2.0) 应满足 WᵀW ≈ 4I:gain 要传给初始化函数。")
    expect(not torch.allclose(r.wide, r.other) and (r.wide.abs() < 1e-6).float().mean().item() < 0.1,
           "orthogonal_weight 应给出随机的正交矩阵（两次调用结果不同），而不是固定的矩阵。")
    for w, std, shape in ((r.small, 0.02, (512, 512)), (r.large, 0.5, (256, 256))):
        expect(_is_tensor(w, shape), "truncated_weight(shape, std) 应返回给定形状的张量。")
        edge = 2 * std
        top = w.abs().max().item()
        expect(top <= edge * (1 + 1e-5),
               f"truncated_weight(..., std={std}) 出现了绝对值 {top:.4g} 的元素，超出了截断边界 ±{edge:g}。"
               "提示：trunc_normal_ 的 a、b 是绝对取值边界，不是“几个标准差”。")
        expected = std * _trunc_std_factor(2.0)
        expect(top > 0.97 * edge and _close(w.std().item(), expected, 0.03) and abs(w.mean().item()) < 0.02 * std,
               f"truncated_weight(..., std={std}) 的分布不对：截断在 ±2std 的正态，样本标准差应约为 {expected:.4g}，"
               f"实际为 {w.std().item():.4g}。")


@check(points=2, title="calculate_gain 与 Xavier 正态")
def gain_xavier(student):
    r = student.run("""
gains = [leaky_gain(s) for s in (0.01, 0.2, 0.5)]
w = tanh_xavier((300, 500))
""", "gains w", seed=11)
    for slope, gain in zip((0.01, 0.2, 0.5), r.gains):
        expected = math.sqrt(2 / (1 + slope ** 2))
        expect(isinstance(gain, (int, float)) and abs(gain - expected) < 1e-6,
               f"leaky_gain({slope}) 应为 {expected:.6f}，你的是 {gain}。提示：用 calculate_gain，并把斜率作为第二个参数传入。")
    expect(_is_tensor(r.w, (300, 500)), "tanh_xavier(shape) 应返回给定形状的张量。")
    std = 5 / 3 * math.sqrt(2 / (300 + 500))
    expect(_close(r.w.std().item(), std, 0.03) and abs(r.w.mean().item()) < 0.02 * std,
           f"tanh_xavier((300, 500)) 的标准差应约为 {std:.4f}，实际为 {r.w.std().item():.4f}。"
           "提示：Xavier 正态的标准差是 gain·√(2/(fan_in+fan_out)),gain 取 tanh 的推荐值。")
    expect(r.w.abs().max().item() > 3.5 * std, "tanh_xavier 的样本不像正态分布，请使用 xavier_normal_。")
