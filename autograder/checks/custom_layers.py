"""Hidden checks for 06_custom_layers (5.4 自定义层).

Gradients are judged by consistency: the student's autograd gradient must match finite
differences of the student's own forward pass (computed in the probe, compared here). So a wrong
forward with a consistent backward loses only the forward check, and the book's ``.data`` forward
(right values, no gradient) loses only the gradient check.
"""
import torch
import torch.nn.functional as F

from autograder.registry import check, expect

# Probe snippet: needs ``layer``, ``X``, ``G`` (loss weights), ``names`` (parameter attributes), ``h``.
# Returns ``tracked`` (the loss has a graph), ``grads`` (p.grad after one backward, or None) and
# one-sided differences of the same loss, ``ahead`` (w + h) and ``behind`` (w - h), per parameter.
# ReLU is piecewise linear: a step that crosses a kink spoils one side only, so an element passes
# when its gradient matches either side.
NUMERIC_GRAD = """
params = [getattr(layer, name) for name in names]
def _loss():
    return (layer(X) * G).sum()
_value = _loss()
tracked = bool(_value.requires_grad)
if tracked:
    _value.backward()
grads = [None if p.grad is None else p.grad.clone() for p in params]
ahead, behind = [], []
with torch.no_grad():
    base = _loss().item()
    for p in params:
        flat = p.data.view(-1)
        fwd = torch.zeros(flat.numel(), dtype=torch.float64)
        bwd = torch.zeros(flat.numel(), dtype=torch.float64)
        for i in range(flat.numel()):
            old = flat[i].item()
            flat[i] = old + h
            fwd[i] = (_loss().item() - base) / h
            flat[i] = old - h
            bwd[i] = (base - _loss().item()) / h
            flat[i] = old
        ahead.append(fwd.view(p.shape))
        behind.append(bwd.view(p.shape))
"""


def gradients_match(r, names, what):
    """Judge a NUMERIC_GRAD probe's answer; ``what`` names the layer in messages."""
    expect(r.tracked,
           f"{what} 的输出没有计算图（requires_grad 为 False），反向传播无从谈起。提示：前向传播里是否用了 "
           ".data 或 .detach()？它们返回与自动微分脱钩的张量，参数的梯度会因此丢失。")
    for name, grad, ahead, behind in zip(names, r.grads, r.ahead, r.behind):
        expect(grad is not None,
               f"反向传播后 {what} 的 {name}.grad 是 None：梯度没有传到这个参数上。提示：.data（或 .detach()）"
               "返回的张量与自动微分断开，用它计算时 PyTorch 不会记录对参数的依赖；前向传播中请直接使用参数本身，"
               "并确认它是 nn.Parameter(requires_grad=True)。")
        expect(tuple(grad.shape) == tuple(ahead.shape),
               f"{what} 的 {name}.grad 形状 {tuple(grad.shape)} 与参数形状 {tuple(ahead.shape)} 不一致。")
        grad = grad.double()
        close = torch.isclose(grad, ahead, rtol=1e-2, atol=1e-2) | torch.isclose(grad, behind, rtol=1e-2, atol=1e-2)
        expect(bool(close.all()),
               f"{what} 的 {name}.grad 与对你自己的前向传播做数值差分得到的梯度不一致。提示：前向传播中不要用 "
               ".data、.detach()、.item() 或 numpy 绕开自动微分，也不要原地改写参数。")


@check(points=2, title="CenteredLayer")
def centered_layer(student):
    X = torch.randn(5, 6, generator=student.rng) * 3 + 2
    Z = torch.rand(4, 8, generator=student.rng)
    r = student.run("""
layer = CenteredLayer()
n_params = len(list(layer.parameters()))
small = layer(torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0]))
out = layer(X)
net = nn.Sequential(nn.Linear(8, 128), CenteredLayer())
Y = net(Z)
w, b = net[0].weight, net[0].bias
""", "n_params small out Y w b", X=X, Z=Z)
    expect(r.n_params == 0, f"CenteredLayer 不应有任何参数，你的有 {r.n_params} 个参数张量。")
    expect(isinstance(r.out, torch.Tensor) and tuple(r.out.shape) == tuple(X.shape),
           "CenteredLayer 的输出形状应与输入相同。")
    expect(torch.allclose(r.small, torch.tensor([-2.0, -1.0, 0.0, 1.0, 2.0]), atol=1e-5),
           f"CenteredLayer()([1, 2, 3, 4, 5]) 应为 [-2, -1, 0, 1, 2]，你的是 {r.small.tolist()}。")
    expect(torch.allclose(r.out, X - X.mean(), atol=1e-5),
           "对二维输入，CenteredLayer 的输出不等于“每个元素减去整个张量的均值”。提示：这里减去的是全部元素的"
           "一个均值，而不是按行或按列的均值。")
    H = Z @ r.w.T + r.b
    expect(isinstance(r.Y, torch.Tensor) and abs(float(r.Y.mean())) < 1e-4
           and torch.allclose(r.Y, H - H.mean(), atol=1e-4),
           "把 CenteredLayer 接在 nn.Linear(8, 128) 之后，网络输出的均值应当（在浮点误差内）为 0。")


@check(points=1, title="MyLinear 的参数")
def mylinear_params(student):
    r = student.run("""
layer = MyLinear(5, 3)
info = [(name, type(p).__name__, tuple(p.shape), bool(p.requires_grad)) for name, p in layer.named_parameters()]
keys = sorted(layer.state_dict().keys())
big = MyLinear(200, 100)
w, b = big.weight, big.bias
""", "info keys w b")
    expect(sorted(r.info) == [("bias", "Parameter", (3,), True), ("weight", "Parameter", (5, 3), True)],
           f"MyLinear(5, 3) 应登记两个参数：weight 形状 (5, 3)、bias 形状 (3,)，都是需要梯度的 nn.Parameter;"
           f"你的是 {r.info}。提示：把张量包成 nn.Parameter 再赋给 self 的属性，名字要叫 weight 和 bias。")
    expect(r.keys == ["bias", "weight"], f"MyLinear 的 state_dict() 应只包含 weight 和 bias，你的是 {r.keys}。")
    values = torch.cat([r.w.flatten(), r.b.flatten()])
    expect(abs(float(values.mean())) < 0.05 and abs(float(values.std()) - 1) < 0.05
           and float(values.min()) < -1,
           "MyLinear 的参数看起来不像来自标准正态分布（均值约 0、标准差约 1、有正有负）。"
           "提示：weight 和 bias 都应该用 torch.randn 初始化。")


@check(points=2, title="MyLinear 的前向传播")
def mylinear_forward(student):
    X = torch.randn(6, 5, generator=student.rng)
    V = torch.randn(2, 7, generator=student.rng)
    r = student.run("""
layer = MyLinear(5, 3)
out = layer(X)
w, b = layer.weight, layer.bias
other = MyLinear(7, 4)
out2 = other(V)
w2, b2 = other.weight, other.bias
""", "out w b out2 w2 b2", X=X, V=V)
    for inp, out, w, b, size in ((X, r.out, r.w, r.b, "(6, 3)"), (V, r.out2, r.w2, r.b2, "(2, 4)")):
        expect(isinstance(out, torch.Tensor) and tuple(out.shape) == (inp.shape[0], w.shape[-1]),
               f"MyLinear 的输出形状不对：批量大小为 {inp.shape[0]} 时应为 {size}。")
        expect(torch.allclose(out, F.relu(inp @ w + b), atol=1e-4),
               "MyLinear 的输出不等于 relu(X @ weight + bias)。提示：权重的形状是 (in_units, units),"
               "直接右乘即可；偏置要在激活之前加上。")


@check(points=2, title="MyLinear 的梯度")
def mylinear_grad(student):
    X = torch.randn(4, 5, generator=student.rng)
    G = torch.randn(4, 3, generator=student.rng)
    r = student.run("layer = MyLinear(5, 3)\n" + NUMERIC_GRAD, "tracked grads ahead behind",
                    X=X, G=G, names=["weight", "bias"], h=1e-3)
    gradients_match(r, ["weight", "bias"], "MyLinear")


@check(points=1, title="用 MyLinear 搭的网络")
def mylinear_sequential(student):
    X = torch.rand(2, 64, generator=student.rng)
    r = student.run("""
kind = type(mylinear_net).__name__
kinds = [type(m).__name__ for m in mylinear_net.children()]
shapes = [(name, tuple(p.shape)) for name, p in mylinear_net.named_parameters()]
out = mylinear_net(X)
""", "kind kinds shapes out", X=X)
    expect(r.kind == "Sequential" and r.kinds == ["MyLinear", "MyLinear"],
           f"mylinear_net 应是由两个 MyLinear 组成的 nn.Sequential，你的子层是 {r.kinds}。")
    expect(r.shapes == [("0.weight", (64, 8)), ("0.bias", (8,)), ("1.weight", (8, 1)), ("1.bias", (1,))],
           f"mylinear_net 的参数应为 0.weight (64, 8)、0.bias (8,)、1.weight (8, 1)、1.bias (1,)，你的是 {r.shapes}。")
    expect(isinstance(r.out, torch.Tensor) and tuple(r.out.shape) == (2, 1),
           "mylinear_net 对形状 (2, 64) 的输入应输出形状 (2, 1)。")


def reduce_reference(X, W):
    return torch.einsum("bi,bj,ijk->bk", X, X, W)


@check(points=2, title="TensorReductionLayer 的前向传播")
def tensor_reduction(student):
    X = torch.randn(5, 4, generator=student.rng)
    V = torch.randn(3, 2, generator=student.rng)
    r = student.run("""
layer = TensorReductionLayer(4, 3)
names = [name for name, _ in layer.named_parameters()]
out = layer(X)
w = layer.weight
second = TensorReductionLayer(2, 5)
out2 = second(V)
w2 = second.weight
""", "names out w out2 w2", X=X, V=V)
    expect(r.names == ["weight"] and tuple(r.w.shape) == (4, 4, 3),
           f"TensorReductionLayer(4, 3) 应只登记一个参数 weight，形状 (d, d, k) = (4, 4, 3);"
           f"你的参数是 {r.names}、weight 形状 {tuple(r.w.shape) if isinstance(r.w, torch.Tensor) else r.w}。")
    for inp, out, w in ((X, r.out, r.w), (V, r.out2, r.w2)):
        expect(isinstance(out, torch.Tensor) and tuple(out.shape) == (inp.shape[0], w.shape[-1]),
               f"TensorReductionLayer(d, k) 的输出形状应为（批量大小，k） = {(inp.shape[0], w.shape[-1])}。")
        expect(torch.allclose(out, reduce_reference(inp, w), rtol=1e-4, atol=1e-4),
               "TensorReductionLayer 的输出与 y_k = Σ_ij W_ijk x_i x_j 不一致。提示：i、j 两个下标都要求和，"
               "且分别对应同一个样本 x 的两个分量；k 保留为输出维，批量维逐样本保留。")


@check(points=1, title="TensorReductionLayer 的梯度")
def tensor_reduction_grad(student):
    X = torch.randn(4, 3, generator=student.rng)
    G = torch.randn(4, 2, generator=student.rng)
    r = student.run("layer = TensorReductionLayer(3, 2)\n" + NUMERIC_GRAD, "tracked grads ahead behind",
                    X=X, G=G, names=["weight"], h=1e-2)
    gradients_match(r, ["weight"], "TensorReductionLayer")


@check(points=2, title="FourierLayer")
def fourier_layer(student):
    A = torch.randn(3, 8, generator=student.rng)
    B = torch.randn(2, 3, 7, generator=student.rng)
    r = student.run("""
layer = FourierLayer()
n_params = len(list(layer.parameters()))
out_a = layer(A)
out_b = layer(B)
""", "n_params out_a out_b", A=A, B=B)
    expect(r.n_params == 0, "FourierLayer 不需要任何参数。")
    for inp, out in ((A, r.out_a), (B, r.out_b)):
        n = inp.shape[-1]
        shape = tuple(inp.shape[:-1]) + (n // 2,)
        expect(isinstance(out, torch.Tensor) and out.is_complex(),
               "FourierLayer 应返回复数张量（傅里叶系数本身），不要取实部、模长或拆成实数。")
        expect(tuple(out.shape) == shape,
               f"输入形状 {tuple(inp.shape)} 时输出形状应为 {shape}，你的是 {tuple(out.shape)}。提示：沿最后一维"
               "变换，只保留前 n // 2 个系数；rfft 本身返回 n // 2 + 1 个。")
        expected = torch.fft.fft(inp, dim=-1)[..., : n // 2]
        expect(torch.allclose(out.to(torch.complex64), expected, rtol=1e-4, atol=1e-4),
               "FourierLayer 的输出与 torch.fft.fft 沿最后一维、取前 n // 2 个系数的结果不一致。"
               "提示：检查变换的维度和归一化方式（用默认归一化）。")
