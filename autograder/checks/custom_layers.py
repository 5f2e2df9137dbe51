"""Hidden checks for 06_custom_layers （5.4 自定义层）.

Forward values are judged with known parameters loaded first (the student's own initial values
are judged by the init checks only). Gradients are part of a layer's specification: a probe
loads known parameters, runs one backward pass of ``(layer(X) * G).sum()`` on an input that
requires grad, and returns the gradients of the parameters and of the input. When the layer's
output equals the formula's, the gradients must equal autograd of the formula (a ``.data``,
``.detach()``, ``.item()`` or ``no_grad`` in the forward gives right values and wrong gradients).
When the output is wrong (the forward check already fails), the gradients are judged only for
consistency with finite differences of the student's own forward pass, so one mistake in the
forward loses the forward check alone.
"""
import math

import torch
import torch.nn.functional as F

from autograder.registry import check, expect

# Probe snippet: needs ``make`` (the layer's constructor call, a string is formatted in), ``known``
# (parameter name -> value), ``X``, ``G`` (loss weights), ``h``. Returns ``loaded`` (the known
# parameters fit and were copied in), ``out``, ``tracked`` (the loss has a graph), ``grads``
# (name -> .grad after one backward, ``X`` for the input) and, per name, one-sided differences
# of the same loss, ``ahead`` (+h) and ``behind`` (-h). ReLU is piecewise linear: a step across a
# kink spoils one side only, so an element is consistent when it matches either side.
GRAD_PROBE = """
import itertools
layer = {make}
_params = {{name: getattr(layer, name, None) for name in known}}
loaded = all(isinstance(p, torch.Tensor) and tuple(p.shape) == tuple(known[n].shape) for n, p in _params.items())
if loaded:
    with torch.no_grad():
        for _n, _p in _params.items():
            _p.copy_(known[_n])
Xg = X.clone().requires_grad_()
_out = layer(Xg)
out = _out.detach().clone() if isinstance(_out, torch.Tensor) else _out
tracked = isinstance(_out, torch.Tensor) and bool(_out.requires_grad)
if tracked:
    (_out * G).sum().backward()
_targets = dict(_params, X=Xg)
grads = {{n: (None if not isinstance(t, torch.Tensor) or t.grad is None else t.grad.clone()) for n, t in _targets.items()}}
ahead, behind = {{}}, {{}}
with torch.no_grad():
    def _loss():
        return float((layer(Xg) * G).sum())
    base = _loss()
    for _n, _t in _targets.items():
        if not isinstance(_t, torch.Tensor):
            continue
        _fwd = torch.zeros(_t.shape, dtype=torch.float64)
        _bwd = torch.zeros(_t.shape, dtype=torch.float64)
        for _i in itertools.product(*map(range, _t.shape)):  # indices: parameters need not be contiguous
            _old = _t.data[_i].item()
            _t.data[_i] = _old + h
            _fwd[_i] = (_loss() - base) / h
            _t.data[_i] = _old - h
            _bwd[_i] = (base - _loss()) / h
            _t.data[_i] = _old
        ahead[_n] = _fwd
        behind[_n] = _bwd
"""


def judge_gradients(r, formula, known, X, G, what):
    """Judge a GRAD_PROBE answer. ``formula(X, **params)`` is the layer's specification."""
    expect(r.tracked,
           f"{what} 的输出没有计算图（requires_grad 为 False），反向传播无从谈起。提示：前向传播里是否用了 "
           ".data、.detach() 或 torch.no_grad()？它们得到的张量与自动微分脱钩，参数的梯度会因此丢失。")
    names = list(known) + ["X"]
    label = {n: (f"{n}.grad" if n != "X" else "X.grad（输入的梯度）") for n in names}
    for n in names:
        expect(r.grads.get(n) is not None,
               f"反向传播后 {what} 的 {label[n]} 是 None：梯度没有传到{'输入' if n == 'X' else '这个参数'}上。"
               "提示：.data、.detach()、torch.tensor(...) 复制出的张量与自动微分断开；前向传播中请直接使用输入和参数本身，"
               "并确认参数是 nn.Parameter（requires_grad=True）。")
    ref = {n: v.clone().double().requires_grad_() for n, v in known.items()}
    Xr = X.double().requires_grad_()
    expected_out = formula(Xr, **ref)
    (expected_out * G.double()).sum().backward()
    expected = dict({n: ref[n].grad for n in known}, X=Xr.grad)
    right_values = (r.loaded and isinstance(r.out, torch.Tensor) and r.out.shape == expected_out.shape
                    and torch.allclose(r.out.double(), expected_out.detach(), rtol=1e-4, atol=1e-4))
    for n in names:
        grad = r.grads[n]
        expect(tuple(grad.shape) == tuple(r.ahead[n].shape),
               f"{what} 的 {label[n]} 形状 {tuple(grad.shape)} 与{'输入' if n == 'X' else '参数'}形状 "
               f"{tuple(r.ahead[n].shape)} 不一致。")
        grad = grad.double()
        if right_values:
            ratio = float((grad * expected[n]).sum() / (expected[n] * expected[n]).sum().clamp_min(1e-12))
            scaled = torch.allclose(grad, ratio * expected[n], rtol=1e-3, atol=1e-4)
            expect(torch.allclose(grad, expected[n], rtol=1e-3, atol=1e-4),
                   f"载入已知参数后，{what} 的输出数值正确，但 {label[n]} 与按公式求导的结果不一致"
                   f"{f'（正好是正确梯度的 {ratio:.3g} 倍）' if scaled else ''}。提示：前向传播中不要用 .data、.detach()、.item() 或 "
                   "numpy 绕开自动微分，不要在 torch.no_grad() 里计算其中一部分，也不要原地改写参数或输入。")
        else:
            ahead, behind = r.ahead[n], r.behind[n]
            close = (torch.isclose(grad, ahead, rtol=1e-2, atol=1e-2)
                     | torch.isclose(grad, behind, rtol=1e-2, atol=1e-2))
            expect(bool(close.all()),
                   f"{what} 的 {label[n]} 与对你自己的前向传播做数值差分得到的梯度不一致。提示：前向传播中不要用 "
                   ".data、.detach()、.item() 或 numpy 绕开自动微分，也不要原地改写参数。")


# A sample of N standard normal values: each statistic is compared with a tolerance of 6.5
# standard errors, so a correct init (torch.randn) fails each test with probability below 1e-10
# (two-sided normal tail at 6.5 sigma: 8e-11; the sample mean, standard deviation and the share
# within [-1, 1] are all close to normal at these N >= 5000), below 1e-9 for all tests of a check.
Z = 6.5
WITHIN_ONE = math.erf(1 / math.sqrt(2))  # P(|x| < 1) for N(0, 1): 0.6827


def normal_like(values: torch.Tensor):
    """(ok, description): whether ``values`` look like independent N(0, 1) draws."""
    v = values.double().flatten()
    n = v.numel()
    mean, std = float(v.mean()), float(v.std())
    share = float((v.abs() < 1).double().mean())
    ok = (abs(mean) < Z / math.sqrt(n) and abs(std - 1) < Z / math.sqrt(2 * n)
          and abs(share - WITHIN_ONE) < Z * math.sqrt(WITHIN_ONE * (1 - WITHIN_ONE) / n))
    return ok, f"均值 {mean:.3f}、标准差 {std:.3f}、落在 [-1, 1] 内的比例 {share:.3f}"


NORMAL_EXPECTED = f"标准正态分布应为均值 0、标准差 1、落在 [-1, 1] 内的比例约 {WITHIN_ONE:.3f}"


@check(points=2, title="CenteredLayer")
def centered_layer(student):
    X = torch.randn(5, 6, generator=student.rng) * 3 + 2
    T = torch.randn(2, 3, 4, generator=student.rng) * 2 - 1
    G = torch.randn(2, 3, 4, generator=student.rng)
    Z8 = torch.rand(4, 8, generator=student.rng)
    r = student.run("""
layer = CenteredLayer()
n_params = len(list(layer.parameters()))
def _call(x):
    _in = x.clone()
    try:
        return layer(_in), not torch.equal(_in, x), None
    except Exception as _e:
        return None, False, f"{type(_e).__name__}: {_e}"[:200]
small, _, small_error = _call(torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0]))
out, x_changed, x_error = _call(X)
out3, t_changed, t_error = _call(T)
Tg = T.clone().requires_grad_()
try:
    _y = layer(Tg)
    tracked = isinstance(_y, torch.Tensor) and bool(_y.requires_grad)
    if tracked:
        (_y * G).sum().backward()
    grad_error = None
except Exception as _e:  # e.g. an in-place change of a leaf that requires grad
    tracked, grad_error = False, f"{type(_e).__name__}: {_e}"[:200]
grad = Tg.grad
net = nn.Sequential(nn.Linear(8, 128), CenteredLayer())
Y = net(Z8)
w, b = net[0].weight, net[0].bias
""", "n_params small small_error out x_changed x_error out3 t_changed t_error tracked grad_error grad Y w b", X=X, T=T, G=G, Z8=Z8)
    expect(r.n_params == 0, f"CenteredLayer 不应有任何参数，你的有 {r.n_params} 个参数张量。")
    for inp, error in (((5,), r.small_error), (tuple(X.shape), r.x_error), (tuple(T.shape), r.t_error)):
        expect(error is None, f"CenteredLayer 作用在形状 {inp} 的输入上时出错：{error}。"
               "提示：这一层要能处理任意形状的输入，减去的是全部元素的一个均值。")
    expect(isinstance(r.small, torch.Tensor) and torch.allclose(r.small, torch.tensor([-2.0, -1.0, 0.0, 1.0, 2.0]), atol=1e-5),
           f"CenteredLayer()(torch.tensor([1., 2., 3., 4., 5.])) 应为 [-2, -1, 0, 1, 2]，你的是 "
           f"{r.small.tolist() if isinstance(r.small, torch.Tensor) else r.small}。")
    for inp, out, changed in ((X, r.out, r.x_changed), (T, r.out3, r.t_changed)):
        expect(isinstance(out, torch.Tensor) and tuple(out.shape) == tuple(inp.shape),
               f"CenteredLayer 的输出形状应与输入相同：输入 {tuple(inp.shape)}，你的输出 "
               f"{tuple(out.shape) if isinstance(out, torch.Tensor) else type(out).__name__}。")
        expect(torch.allclose(out, inp - inp.mean(), atol=1e-5),
               f"对形状 {tuple(inp.shape)} 的输入，CenteredLayer 的输出不等于“每个元素减去整个张量的均值”"
               f"（逐元素最大相差 {float((out - (inp - inp.mean())).abs().max()):.3g}）。提示：这里减去的是全部元素的一个均值，"
               "而不是按行、按列或按某一维的均值。")
        expect(not changed,
               f"CenteredLayer 改动了传给它的输入张量（形状 {tuple(inp.shape)}）。提示：不要原地修改 X"
               "（如 X -= ...、X.sub_(...)），返回一个新张量。")
    expect(r.grad_error is None,
           f"输入需要梯度时，CenteredLayer 出错：{r.grad_error}。提示：不要原地修改输入，返回一个新张量。")
    expect(r.tracked and r.grad is not None,
           "输入需要梯度时，CenteredLayer 的输出应带计算图，反向传播后输入应有梯度；你的没有。"
           "提示：不要用 .detach()、.data、.item() 或 numpy 计算。")
    expected = G - G.mean()  # d/dX of sum(G * (X - mean(X)))
    expect(torch.allclose(r.grad, expected, atol=1e-5),
           "CenteredLayer 的输出数值正确，但对输入的梯度不对：损失对输入的梯度应为 G - mean(G)。"
           "提示：均值也要参与自动微分；用 X.mean().item() 或 .detach() 得到的均值是常数，梯度里就少了它那一项。")
    H = Z8 @ r.w.T + r.b
    expect(isinstance(r.Y, torch.Tensor) and abs(float(r.Y.mean())) < 1e-4
           and torch.allclose(r.Y, H - H.mean(), atol=1e-4),
           "把 CenteredLayer 接在 nn.Linear(8, 128) 之后，网络输出的均值应当（在浮点误差内）为 0。")


@check(points=1, title="MyLinear 的参数")
def mylinear_params(student):
    r = student.run("""
layer = MyLinear(5, 3)
info = [(name, "Parameter" if isinstance(p, nn.Parameter) else type(p).__name__, tuple(p.shape), bool(p.requires_grad))
        for name, p in layer.named_parameters()]
keys = sorted(layer.state_dict().keys())
other = MyLinear(2, 7)
info2 = sorted((name, tuple(p.shape)) for name, p in other.named_parameters())
big = MyLinear(20, 5000)
w, b = big.weight, big.bias
""", "info keys info2 w b")
    expect(sorted(r.info) == [("bias", "Parameter", (3,), True), ("weight", "Parameter", (5, 3), True)],
           f"MyLinear(5, 3) 应登记两个参数：weight 形状 (5, 3)、bias 形状 (3,)，都是需要梯度的 nn.Parameter；"
           f"你的是 {r.info}。提示：把张量包成 nn.Parameter 再赋给 self 的属性，名字要叫 weight 和 bias。")
    expect(r.info2 == [("bias", (7,)), ("weight", (2, 7))],
           f"MyLinear(2, 7) 的参数应为 weight (2, 7)、bias (7,)，你的是 {r.info2}。"
           "提示：权重形状是 (in_units, units)。")
    expect(r.keys == ["bias", "weight"], f"MyLinear 的 state_dict() 应只包含 weight 和 bias，你的是 {r.keys}。")
    # Weight (100 000 values) and bias (5 000 values) judged separately: see normal_like for the error rate.
    for name, values in (("weight", r.w), ("bias", r.b)):
        ok, seen = normal_like(values)
        expect(ok,
               f"MyLinear(20, 5000) 的 {name} 看起来不像来自标准正态分布：{seen}（{NORMAL_EXPECTED}）。"
               f"提示：{name} 应该用 torch.randn 初始化，不要缩放、平移或置零。")


@check(points=2, title="MyLinear 的前向传播")
def mylinear_forward(student):
    cases = []
    for n, i, u in ((6, 5, 3), (2, 7, 4), (1, 3, 1)):
        cases.append((torch.randn(n, i, generator=student.rng), torch.randn(i, u, generator=student.rng),
                      torch.randn(u, generator=student.rng)))
    r = student.run("""
outs, loaded, changed = [], [], []
for _X, _W, _b in cases:
    layer = MyLinear(_W.shape[0], _W.shape[1])
    _ok = (isinstance(getattr(layer, "weight", None), torch.Tensor) and isinstance(getattr(layer, "bias", None), torch.Tensor)
           and tuple(layer.weight.shape) == tuple(_W.shape) and tuple(layer.bias.shape) == tuple(_b.shape))
    if _ok:
        with torch.no_grad():
            layer.weight.copy_(_W)
            layer.bias.copy_(_b)
    loaded.append(_ok)
    _in = _X.clone()
    _out = layer(_in)
    changed.append(not torch.equal(_in, _X))
    outs.append(_out)
""", "outs loaded changed", cases=cases)
    for (X, W, b), out, loaded, changed in zip(cases, r.outs, r.loaded, r.changed):
        size = (X.shape[0], W.shape[1])
        where = f"MyLinear{tuple(W.shape)} 作用在形状 {tuple(X.shape)} 的输入上"
        expect(loaded,
               f"无法把已知参数载入 MyLinear{tuple(W.shape)}：它的 weight 应为形状 {tuple(W.shape)}、bias 为 {tuple(b.shape)}。")
        expect(isinstance(out, torch.Tensor) and tuple(out.shape) == size,
               f"{where}，输出形状应为 {size}，你的是 "
               f"{tuple(out.shape) if isinstance(out, torch.Tensor) else type(out).__name__}。")
        expect(torch.allclose(out, F.relu(X @ W + b), rtol=1e-4, atol=1e-4),
               f"载入已知参数后，{where}的输出不等于 relu(X @ weight + bias)。提示：权重的形状是 (in_units, units)，"
               "直接右乘即可；偏置要在激活之前加上。")
        expect(not changed, f"{where}时改动了输入张量 X。提示：不要原地修改输入。")


@check(points=2, title="MyLinear 的梯度")
def mylinear_grad(student):
    X = torch.randn(4, 5, generator=student.rng)
    G = torch.randn(4, 3, generator=student.rng)
    known = {"weight": torch.randn(5, 3, generator=student.rng), "bias": torch.randn(3, generator=student.rng)}
    r = student.run(GRAD_PROBE.format(make="MyLinear(5, 3)"), "loaded out tracked grads ahead behind",
                    X=X, G=G, known=known, h=1e-3)
    judge_gradients(r, lambda X, weight, bias: F.relu(X @ weight + bias), known, X, G, "MyLinear")


@check(points=1, title="用 MyLinear 搭的网络")
def mylinear_sequential(student):
    X = torch.rand(2, 64, generator=student.rng)
    r = student.run("""
is_seq = isinstance(mylinear_net, nn.Sequential)
_subs = list(mylinear_net._modules.values()) if is_seq else []
kinds = [type(m).__name__ for m in _subs]
mine = [isinstance(m, MyLinear) for m in _subs]
shapes = [[tuple(getattr(m, n).shape) if isinstance(getattr(m, n, None), torch.Tensor) else None
           for n in ("weight", "bias")] for m in _subs]
out = mylinear_net(X)
""", "is_seq kinds mine shapes out", X=X)
    expect(r.is_seq and len(r.mine) == 2 and all(r.mine),
           f"mylinear_net 应是由两个 MyLinear 组成的 nn.Sequential，你的"
           f"{'子层是 ' + str(r.kinds) if r.is_seq else ' mylinear_net 不是 nn.Sequential'}。")
    expect(r.shapes == [[(64, 8), (8,)], [(8, 1), (1,)]],
           f"mylinear_net 应先把 64 维变成 8 维（weight (64, 8)、bias (8,)），再把 8 维变成 1 维"
           f"（weight (8, 1)、bias (1,)）；你的两层参数形状是 {r.shapes}。")
    expect(isinstance(r.out, torch.Tensor) and tuple(r.out.shape) == (2, 1),
           "mylinear_net 对形状 (2, 64) 的输入应输出形状 (2, 1)。")


def reduce_reference(X, weight):
    return torch.einsum("bi,bj,ijk->bk", X, X, weight)


@check(points=2, title="TensorReductionLayer 的前向传播")
def tensor_reduction(student):
    cases = [(torch.randn(5, 4, generator=student.rng), torch.randn(4, 4, 3, generator=student.rng)),
             (torch.randn(3, 2, generator=student.rng), torch.randn(2, 2, 5, generator=student.rng)),
             (torch.randn(1, 6, generator=student.rng), torch.randn(6, 6, 1, generator=student.rng))]
    r = student.run("""
layer = TensorReductionLayer(4, 3)
names = [name for name, _ in layer.named_parameters()]
kind = "Parameter" if isinstance(getattr(layer, "weight", None), nn.Parameter) else type(getattr(layer, "weight", None)).__name__
shape = tuple(layer.weight.shape) if isinstance(getattr(layer, "weight", None), torch.Tensor) else None
outs, loaded, changed = [], [], []
for _X, _W in cases:
    layer = TensorReductionLayer(_W.shape[0], _W.shape[2])
    _ok = isinstance(getattr(layer, "weight", None), torch.Tensor) and tuple(layer.weight.shape) == tuple(_W.shape)
    if _ok:
        with torch.no_grad():
            layer.weight.copy_(_W)
    loaded.append(_ok)
    _in = _X.clone()
    outs.append(layer(_in))
    changed.append(not torch.equal(_in, _X))
init = TensorReductionLayer(30, 40).weight
""", "names kind shape outs loaded changed init", cases=cases)
    expect(r.names == ["weight"] and r.kind == "Parameter" and r.shape == (4, 4, 3),
           f"TensorReductionLayer(4, 3) 应只登记一个参数 weight（nn.Parameter），形状 (d, d, k) = (4, 4, 3)；"
           f"你的参数是 {r.names}、weight 形状 {r.shape}。")
    for (X, W), out, loaded, changed in zip(cases, r.outs, r.loaded, r.changed):
        d, k = W.shape[0], W.shape[2]
        expect(loaded, f"无法把已知参数载入 TensorReductionLayer({d}, {k})：weight 的形状应为 {tuple(W.shape)}。")
        size = (X.shape[0], k)
        expect(isinstance(out, torch.Tensor) and tuple(out.shape) == size,
               f"TensorReductionLayer({d}, {k}) 作用在形状 {tuple(X.shape)} 的输入上，输出形状应为（批量大小，k）= "
               f"{size}，你的是 {tuple(out.shape) if isinstance(out, torch.Tensor) else type(out).__name__}。")
        expect(torch.allclose(out, reduce_reference(X, W), rtol=1e-4, atol=1e-4),
               f"载入已知参数后，TensorReductionLayer({d}, {k}) 的输出与 y_k = Σ_ij W_ijk x_i x_j 不一致。"
               "提示：i、j 两个下标都要求和，且分别对应同一个样本 x 的两个分量；k 保留为输出维，批量维逐样本保留。")
        expect(not changed, f"TensorReductionLayer({d}, {k}) 改动了输入张量 X。提示：不要原地修改输入。")
    # 36 000 values: see normal_like for the error rate.
    ok, seen = normal_like(r.init)
    expect(isinstance(r.init, torch.Tensor) and tuple(r.init.shape) == (30, 30, 40) and ok,
           f"TensorReductionLayer(30, 40) 的 weight 看起来不像来自标准正态分布：{seen}（{NORMAL_EXPECTED}）。"
           "提示：weight 应该用 torch.randn(d, d, k) 初始化。")


@check(points=1, title="TensorReductionLayer 的梯度")
def tensor_reduction_grad(student):
    X = torch.randn(4, 3, generator=student.rng)
    G = torch.randn(4, 2, generator=student.rng)
    known = {"weight": torch.randn(3, 3, 2, generator=student.rng)}
    r = student.run(GRAD_PROBE.format(make="TensorReductionLayer(3, 2)"), "loaded out tracked grads ahead behind",
                    X=X, G=G, known=known, h=1e-2)
    judge_gradients(r, reduce_reference, known, X, G, "TensorReductionLayer")


def fourier_reference(X):
    return torch.fft.fft(X, dim=-1)[..., : X.shape[-1] // 2]


@check(points=2, title="FourierLayer")
def fourier_layer(student):
    inputs = [torch.randn(3, 8, generator=student.rng), torch.randn(2, 3, 7, generator=student.rng),
              torch.randn(2, 7, generator=student.rng), torch.randn(6, generator=student.rng),
              torch.randn(2, 1, 2, 5, generator=student.rng)]
    B = inputs[1]
    G = torch.randn(2, 3, 3, 2, generator=student.rng)
    r = student.run("""
layer = FourierLayer()
n_params = len(list(layer.parameters()))
outs, changed, errors = [], [], []
for _X in inputs:
    _in = _X.clone()
    try:
        outs.append(layer(_in))
        errors.append(None)
    except Exception as _e:
        outs.append(None)
        errors.append(f"{type(_e).__name__}: {_e}"[:200])
    changed.append(not torch.equal(_in, _X))
Bg = B.clone().requires_grad_()
try:
    _y = layer(Bg)
    tracked = isinstance(_y, torch.Tensor) and bool(_y.requires_grad)
    if tracked and _y.is_complex() and tuple(_y.shape) == tuple(G.shape[:-1]):
        (torch.stack([_y.real, _y.imag], -1) * G).sum().backward()
except Exception:  # judged through outs and errors above
    tracked = False
grad = Bg.grad
""", "n_params outs changed errors tracked grad", inputs=inputs, B=B, G=G)
    expect(r.n_params == 0, f"FourierLayer 不需要任何参数，你的有 {r.n_params} 个参数张量。")
    for inp, error in zip(inputs, r.errors):
        expect(error is None, f"FourierLayer 作用在形状 {tuple(inp.shape)} 的输入上时出错：{error}。"
               "提示：输入形状是 (..., n)，前面可以有任意多个批量维（也可以没有），变换沿最后一维进行。")
    for inp, out, changed in zip(inputs, r.outs, r.changed):
        n = inp.shape[-1]
        shape = tuple(inp.shape[:-1]) + (n // 2,)
        expect(isinstance(out, torch.Tensor) and out.is_complex(),
               f"FourierLayer 应返回复数张量（傅里叶系数本身），输入形状 {tuple(inp.shape)} 时你返回的是 "
               f"{out.dtype if isinstance(out, torch.Tensor) else type(out).__name__}。"
               "提示：不要取实部、模长或拆成实数。")
        expect(tuple(out.shape) == shape,
               f"输入形状 {tuple(inp.shape)} 时输出形状应为 {shape}，你的是 {tuple(out.shape)}。提示：沿最后一维"
               "变换，只保留前 n // 2 个系数；rfft 本身返回 n // 2 + 1 个。")
        expect(torch.allclose(out.to(torch.complex64), fourier_reference(inp), rtol=1e-4, atol=1e-4),
               f"输入形状 {tuple(inp.shape)} 时，FourierLayer 的输出与 torch.fft.fft 沿最后一维、取前 n // 2 个系数的"
               "结果不一致。提示：检查变换的维度和归一化方式（用默认归一化）。")
        expect(not changed, f"FourierLayer 改动了输入张量（形状 {tuple(inp.shape)}）。提示：不要原地修改输入。")
    Bd = B.double().requires_grad_()
    _ref = fourier_reference(Bd)
    (torch.stack([_ref.real, _ref.imag], -1) * G.double()).sum().backward()
    expect(r.tracked and r.grad is not None,
           "输入需要梯度时，FourierLayer 的输出应带计算图，反向传播后输入应有梯度；你的没有。"
           "提示：用 torch.fft 在张量上直接计算，不要经过 numpy、.detach() 或 .data。")
    expect(torch.allclose(r.grad.double(), Bd.grad, rtol=1e-3, atol=1e-4),
           "FourierLayer 的输出数值正确，但对输入的梯度与 torch.fft.fft 的梯度不一致。提示：不要用 .detach() 或 "
           "torch.no_grad() 计算其中一部分。")
