"""Hidden checks for 03_initialization (5.2.2 参数初始化).

What each check judges, every part of an initialisation on its own:

- ``builtin_init``: ``init_normal`` / ``init_constant`` on a nested net and on a lone layer: each
  ``nn.Linear``'s weights (N(0, 0.01²) judged by mean, scale and shape; constant 1 exactly), each
  bias exactly 0, and every layer of another type left bit-for-bit unchanged (``LayerNorm``,
  ``Conv1d``, ``Embedding``, ``nn.Bilinear`` and a probe module whose class name contains
  "Linear" but which is no ``nn.Linear``).
- ``per_block_init``: ``init_xavier`` / ``init_42`` on a nested net and block by block: each
  weight U(-a, a) with a = √(6/(fan_in+fan_out)) of its own layer, or exactly 42; every bias and
  every other layer unchanged.
- ``my_init_distribution``: per layer, the share of zeros and of each eighth of ±[5, 10], the
  range of the non-zeros; other layers unchanged (the bias is free: "偏置不用管").
- ``my_init_in_place``: every weight of a nested net stays the very Parameter (the object an
  optimizer made before holds), a trainable leaf that receives gradients.
- ``edit_first_layer``: three nets loaded with known parameters; the first weight must be
  known + 1 with [0, 0] = 42, every other parameter unchanged, the same trainable Parameter,
  and output and gradients equal to those of the expected net.
- ``subclass_safe``: all five init functions on nets holding ``nn.Linear`` subclasses whose names
  do not contain "Linear" (so ``type(m).__name__.find('Linear')`` cannot pass): each subclass
  layer must be touched exactly like a plain ``nn.Linear`` (weight, and bias).
- ``kaiming`` / ``orthogonal_trunc`` / ``gain_xavier``: the returned tensors on three shapes each
  (fan_in ≠ fan_out both ways), gains passed by keyword and by position.

Statistics and their false-fail rates (for the instructor). Every statistical comparison below is
given the same budget: a correct solution fails it with probability at most ``DELTA = 1e-8``,
whatever the seed, by an exact or a distribution-free bound:

- mean of n iid N(0, s²): |mean| ≤ Z·s/√n with erfc(Z/√2) = DELTA (Z ≈ 5.73), exact;
- scale of n iid N(0, s²): Σw²/s² ~ χ²_n kept in [n − 2√(nx), n + 2√(nx) + 2x], x = ln(2/DELTA)
  (Laurent & Massart 2000, each side ≤ DELTA/2);
- a share of samples in a set (normal tails beyond 2s, zeros, bins) and means of bounded values
  (uniform and truncated samples, their squares): Hoeffding, |p̂ − p| ≤ width·√(x/(2n));
- the largest |w| of a uniform or truncated sample reaching (1 − ε) of its bound: P(miss) ≤
  exp(−c·ε·n) = DELTA, with c the lowest density near the bound.

Per check, by the union bound over its comparisons: builtin_init 15·DELTA = 1.5e-7,
per_block_init 20·DELTA = 2e-7, my_init_distribution 27·DELTA = 2.7e-7, kaiming 21·DELTA =
2.1e-7, orthogonal_trunc 12·DELTA = 1.2e-7 (its entry bound adds < 3e-13), gain_xavier
6·DELTA = 6e-8; the other checks are exact. All below 1e-6; each check's comment repeats its sum.

Power: every law is judged on at least one sample of 60000–65536 values, where the scale
tolerance is about ±1.8 % of the std and a share's ±1.2 percentage points; so a std off by 10 %
(let alone 2×), another distribution with the same std (uniform for normal: 0 % instead of 4.55 %
beyond 2 std; normal for uniform: beyond the bound), a mean set instead of a std, or a wrong bias
(judged exactly) fails with probability 1 − 1e-20 or more. The visible self-checks in the test
cells are wider still (≥ 14 standard errors): a correct answer fails one with probability < 1e-40.
"""
import math

import torch

from autograder.checks.common import expect_choices
from autograder.registry import check, expect

SENTINEL = 7.77  # a value no initialiser writes: "still SENTINEL" means "never touched"

DELTA = 1e-8  # false-fail probability allotted to each statistical comparison (see the docstring)
_X = math.log(2 / DELTA)  # ≈ 19.1: Hoeffding's and Laurent–Massart's exponent for two sides


def _z_for(delta):
    """Z with erfc(Z/√2) = delta: two-sided normal quantile, by bisection."""
    lo, hi = 0.0, 40.0
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if math.erfc(mid / math.sqrt(2)) > delta else (lo, mid)
    return hi


_Z = _z_for(DELTA)  # ≈ 5.73
_P_BEYOND_2 = math.erfc(2 / math.sqrt(2))  # P(|N(0, 1)| > 2) ≈ 0.0455


def _hoeffding(n, width=1.0):
    """Half-width t with P(|mean − E| ≥ t) ≤ DELTA for n iid values in an interval of this width."""
    return width * math.sqrt(_X / (2 * n))


def _fmt(x):
    return f"{x:.4g}"


def _not_finite(w):
    bad = int((~torch.isfinite(w)).sum())
    return f"有 {bad} 个元素是 NaN 或无穷大" if bad else None


def _linear_name(path, shape):
    index = "".join(f"[{part}]" for part in path.split(".")) if path else ""
    return f"net{index}（Linear({shape[1]}, {shape[0]})）" if path else f"Linear({shape[1]}, {shape[0]})"


# --- statistical verdicts: each returns None (consistent with the law) or what was measured ---------

def _normal_verdict(w, std):
    """n iid N(0, std²)? Three comparisons (mean, scale, shape), each false-fails w.p. ≤ DELTA."""
    w = w.detach().double().flatten()
    if _not_finite(w):
        return _not_finite(w)
    n = w.numel()
    mean, sd = w.mean().item(), (w.std().item() if n > 1 else 0.0)
    ratio = w.square().mean().item() / std ** 2  # Σw²/(n·std²) ~ χ²_n / n
    lo, hi = 1 - 2 * math.sqrt(_X / n), 1 + 2 * math.sqrt(_X / n) + 2 * _X / n
    measured = f"实测均值 {_fmt(mean)}、标准差 {_fmt(sd)}"
    if not lo <= ratio <= hi or abs(mean) > _Z * std / math.sqrt(n):
        # The verdict used the law's std; the diagnosis judges each part at the spread measured.
        problems = []
        if abs(mean) > _Z * max(std, sd) / math.sqrt(n):
            problems.append("均值应约为 0")
        if not lo <= (sd / std) ** 2 <= hi:
            problems.append(f"标准差应约为 {_fmt(std)}")
        return f"{measured}：{'，'.join(problems) or f'应为均值 0、标准差 {_fmt(std)}'}"
    tail = (w.abs() > 2 * std).double().mean().item()
    if abs(tail - _P_BEYOND_2) > _hoeffding(n):
        return (f"均值与标准差都对，但绝对值超过 2 倍标准差的样本占 {tail:.2%}，正态分布约为 "
                f"{_P_BEYOND_2:.2%}：分布不是正态")
    return None


def _uniform_verdict(w, bound):
    """n iid U(-bound, bound)? The bound (exact), reaching it, mean, mean square, the share inside
    ±bound/2: four statistical comparisons, each false-fails w.p. ≤ DELTA."""
    w = w.detach().double().flatten()
    if _not_finite(w):
        return _not_finite(w)
    n = w.numel()
    top = w.abs().max().item()
    measured = f"实测最大绝对值 {_fmt(top)}、标准差 {_fmt(w.std().item() if n > 1 else 0.0)}"
    if top > bound * (1 + 1e-5):
        return f"{measured}：超出了 U(-{_fmt(bound)}, {_fmt(bound)}) 的边界"
    # P(all |w| < (1-eps)·bound) = (1-eps)^n <= exp(-eps·n) = DELTA
    eps = math.log(1 / DELTA) / n
    if top < bound * (1 - eps):
        return f"{measured}：U(-{_fmt(bound)}, {_fmt(bound)}) 的样本应几乎碰到边界 {_fmt(bound)}"
    if abs(w.mean().item()) > _hoeffding(n, 2 * bound):
        return f"实测均值 {_fmt(w.mean().item())}：U(-a, a) 的均值应约为 0"
    if abs(w.square().mean().item() - bound ** 2 / 3) > _hoeffding(n, bound ** 2):
        return f"{measured}：U(-a, a) 的标准差应约为 a/√3 = {_fmt(bound / math.sqrt(3))}"
    inner = (w.abs() < bound / 2).double().mean().item()
    if abs(inner - 0.5) > _hoeffding(n):
        return f"{measured}，但绝对值小于 a/2 的样本占 {inner:.2%}（均匀分布应为 50%）：分布不均匀"
    return None


def _trunc_std_factor(k):
    """Std of a standard normal truncated to [-k, k]."""
    density = math.exp(-k * k / 2) / math.sqrt(2 * math.pi)
    return math.sqrt(1 - 2 * k * density / math.erf(k / math.sqrt(2)))


_TRUNC_INNER = math.erf(1 / math.sqrt(2)) / math.erf(2 / math.sqrt(2))  # P(|Z|<1 | |Z|<2) ≈ 0.7152
# density of |Z| given |Z| < 2, at its lowest on [1.9, 2]: a sample lands within eps·2 of the edge
# with probability >= _EDGE_DENSITY · 2·eps
_EDGE_DENSITY = 2 * math.exp(-2) / math.sqrt(2 * math.pi) / math.erf(2 / math.sqrt(2))


def _trunc_verdict(w, std):
    """n iid N(0, std²) truncated to [-2std, 2std]? The bound (exact), reaching it, mean, mean
    square, the share inside ±std: four statistical comparisons, each false-fails w.p. ≤ DELTA."""
    w = w.detach().double().flatten()
    if _not_finite(w):
        return _not_finite(w)
    n = w.numel()
    edge = 2 * std
    top = w.abs().max().item()
    expected_sd = std * _trunc_std_factor(2.0)
    measured = f"实测最大绝对值 {_fmt(top)}、标准差 {_fmt(w.std().item())}"
    if top > edge * (1 + 1e-5):
        return f"{measured}：超出了截断边界 ±{edge:g}。提示：trunc_normal_ 的 a、b 是绝对取值边界，不是“几个标准差”"
    # P(no sample in [(1-eps)·edge, edge]) <= (1 - _EDGE_DENSITY·2·eps)^n <= DELTA
    eps = math.log(1 / DELTA) / (_EDGE_DENSITY * 2 * n)
    if top < edge * (1 - eps):
        return f"{measured}：截断在 ±{edge:g} 的正态样本应几乎碰到边界"
    if abs(w.mean().item()) > _hoeffding(n, 2 * edge):
        return f"实测均值 {_fmt(w.mean().item())}：均值应约为 0"
    if abs(w.square().mean().item() - expected_sd ** 2) > _hoeffding(n, edge ** 2):
        return f"{measured}：截断在 ±2std 的正态，样本标准差应约为 {_fmt(expected_sd)}（小于参数 std={std:g}）"
    inner = (w.abs() < std).double().mean().item()
    if abs(inner - _TRUNC_INNER) > _hoeffding(n):
        return (f"{measured}，但绝对值小于 std 的样本占 {inner:.2%}（截断正态应约为 {_TRUNC_INNER:.2%}）："
                "分布形状不对")
    return None


# --- probes -------------------------------------------------------------------------------------------

# Defined inside the student's namespace copy by the probes. _LinearResidual has weight, bias and
# "Linear" in its name but is no nn.Linear; _Dense and _Projection are nn.Linear subclasses whose
# names do not contain "Linear". _flat packs parameters into one tensor (one tensor travels back
# faster than twenty).
_PROBE_MODULES = '''
class _LinearResidual(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(n, n))
        self.bias = nn.Parameter(torch.randn(n))

    def forward(self, x):
        return x + x @ self.weight.T + self.bias


class _Dense(nn.Linear):
    def forward(self, x):
        return super().forward(x)


class _Projection(_Dense):
    pass


def _flat(net, names):
    _p = dict(net.named_parameters())
    if not all(_n in _p for _n in names):
        return None
    return torch.cat([_p[_n].detach().reshape(-1) for _n in names]).clone()


def _layers(net, paths):
    _m = dict(net.named_modules())
    return {_path: (_m[_path].weight, _m[_path].bias) for _path in paths}
'''


def _structure(source):
    """(name, numel) of each parameter of the probe net ``source``, built on the meta device."""
    return [(name, k) for name, k, _ in _owned(source)]


def _owned(source):
    """(name, numel, owner) of each parameter of ``source``; owner reads like ``net[2][1]（LayerNorm）``."""
    scope = {"nn": torch.nn, "torch": torch}
    exec(_PROBE_MODULES, scope)
    with torch.device("meta"):
        net = eval(source, scope)
    kinds = {path: type(m).__name__ for path, m in net.named_modules()}
    out = []
    for name, p in net.named_parameters():
        path = name.rsplit(".", 1)[0]
        index = "".join(f"[{part}]" for part in path.split("."))
        out.append((name, p.numel(), f"net{index}（{kinds[path]}）"))
    return out


# A nested net with layers of other types (a Bilinear and a non-Linear "…Linear…" among them).
_NESTED = """nn.Sequential(
    nn.Linear(300, 200), nn.ReLU(),
    nn.Sequential(nn.Linear(200, 100), nn.LayerNorm(100), nn.Sequential(nn.Linear(100, 20), nn.Tanh())),
    _LinearResidual(20), nn.Bilinear(20, 20, 4), nn.Conv1d(2, 3, 3), nn.Embedding(10, 4),
    nn.Linear(20, 3))"""
_NESTED_LINEARS = {"0": (200, 300), "2.0": (100, 200), "2.2.0": (20, 100), "7": (3, 20)}


def _others(source, linears):
    """Parameters of ``source`` outside its nn.Linear layers, as (name, numel, owner)."""
    return [(n, k, o) for n, k, o in _owned(source) if n.rsplit(".", 1)[0] not in linears]


_NESTED_OTHERS = _others(_NESTED, _NESTED_LINEARS)


def _changed_others(before, after, others):
    """The layers (outside the nn.Linear ones) whose parameters changed, vanished or were reshaped."""
    if not (isinstance(before, torch.Tensor) and isinstance(after, torch.Tensor) and before.shape == after.shape):
        return list(dict.fromkeys(o for _, _, o in others))
    out, at = [], 0
    for _, k, owner in others:
        if not torch.equal(before[at:at + k], after[at:at + k]) and owner not in out:
            out.append(owner)
        at += k
    return out


def _others_message(fn, changed):
    return (f"{fn} 改动了不是 nn.Linear 的层的参数：{'、'.join(changed[:4])}。题目要求只处理 nn.Linear，"
            "其他层保持原样（检查用的网络里还有类名带“Linear”、却不是 nn.Linear 的层）。"
            "提示：用 isinstance(m, nn.Linear) 判断，不要看 m 有没有 weight，也不要在类名里找“Linear”。")


def _weight(layers, path, shape, fn):
    w = layers[path][0]
    expect(isinstance(w, torch.Tensor) and tuple(w.shape) == tuple(shape) and w.dtype == torch.float32,
           f"{fn} 之后 {_linear_name(path, shape)} 的权重应仍是形状 {tuple(shape)} 的 float32 张量，"
           f"实际是 {_describe(w)}{'（' + str(w.dtype) + '）' if isinstance(w, torch.Tensor) else ''}。")
    return w


def _bias_text(b):
    return f"最大绝对值为 {_fmt(b.abs().max().item())}" if isinstance(b, torch.Tensor) else "没有偏置"


_INIT_AND_READ = """
def _init_and_read(fn, source, paths, others, fill=None):
    net = eval(source)
    if fill is not None:
        with torch.no_grad():
            for _p in net.parameters():
                _p.fill_(fill)
    before = _flat(net, others)
    biases = {_path: _b.detach().clone() for _path, (_, _b) in _layers(net, paths).items()}
    net.apply(fn)
    return {"layers": _layers(net, paths), "biases_before": biases, "before": before, "after": _flat(net, others)}
"""


@check(points=2, title="内置初始化 init_normal 与 init_constant")
def builtin_init(student):
    r = student.run(_PROBE_MODULES + _INIT_AND_READ + f"""
normal = _init_and_read(init_normal, nested, paths, others, fill={SENTINEL})
lone = nn.Linear(128, 64)
lone.apply(init_normal)
lone = (lone.weight, lone.bias)
constant = _init_and_read(init_constant, nested, paths, others)
""", "normal lone constant", seed=3, nested=_NESTED, paths=list(_NESTED_LINEARS),
                    others=[n for n, _, _ in _NESTED_OTHERS])
    # False-fail probability: 5 weight matrices judged as N(0, 0.01²), 3 comparisons each
    # (60000, 20000, 2000, 60 and 8192 values): 15·DELTA = 1.5e-7. The rest is exact.
    layers = {**r.normal["layers"], "": r.lone}
    for path, shape in [*_NESTED_LINEARS.items(), ("", (64, 128))]:
        w = _weight(layers, path, shape, "init_normal")
        wrong = _normal_verdict(w, 0.01)
        hint = ("提示：要用正态分布 nn.init.normal_，不是均匀分布之类。" if wrong and "不是正态" in wrong else
                "提示：normal_ 的第二个位置参数是 mean、第三个才是 std，写成关键字 std=0.01 最稳妥；0.01 是标准差不是方差。")
        expect(wrong is None,
               f"init_normal 之后 {_linear_name(path, shape)} 的权重应服从均值 0、标准差 0.01 的正态分布，{wrong}。{hint}")
        b = layers[path][1]
        expect(isinstance(b, torch.Tensor) and bool((b == 0).all()),
               f"init_normal 之后 {_linear_name(path, shape)} 的偏置应全部为 0，实际{_bias_text(b)}。"
               "提示：偏置要单独置 0（nn.init.zeros_），不要和权重一起按正态分布初始化。")
    changed = _changed_others(r.normal["before"], r.normal["after"], _NESTED_OTHERS)
    expect(not changed, _others_message("init_normal", changed))

    for path, shape in _NESTED_LINEARS.items():
        w = _weight(r.constant["layers"], path, shape, "init_constant")
        expect(bool((w == 1).all()),
               f"init_constant 之后 {_linear_name(path, shape)} 的权重应全部为 1，"
               f"实际有 {int((w != 1).sum())} 个元素不是 1，取值范围 [{_fmt(w.min().item())}, {_fmt(w.max().item())}]。")
        b = r.constant["layers"][path][1]
        expect(isinstance(b, torch.Tensor) and bool((b == 0).all()),
               f"init_constant 之后 {_linear_name(path, shape)} 的偏置应全部为 0，实际{_bias_text(b)}。")
    changed = _changed_others(r.constant["before"], r.constant["after"], _NESTED_OTHERS)
    expect(not changed, _others_message("init_constant", changed))


_BLOCKS = "nn.Sequential(nn.Linear(300, 200), nn.ReLU(), nn.Linear(200, 7))"
_BLOCKS_PARAMS = _structure(_BLOCKS)  # 0.weight, 0.bias, 2.weight, 2.bias


def _split(flat, structure):
    out, at = {}, 0
    for name, k in structure:
        out[name] = flat[at:at + k]
        at += k
    return out


@check(points=2, title="Xavier 与常数 42")
def per_block_init(student):
    r = student.run(_PROBE_MODULES + _INIT_AND_READ + """
xavier = _init_and_read(init_xavier, nested, paths, others)
forty_two = _init_and_read(init_42, nested, paths, others)
net = eval(blocks)
_all = [_n for _n, _ in net.named_parameters()]
blocks_before = _flat(net, _all)
net[0].apply(init_xavier)
blocks_middle = _flat(net, _all)
net[2].apply(init_42)
blocks_after = _flat(net, _all)
""", "xavier forty_two blocks_before blocks_middle blocks_after", seed=4, nested=_NESTED,
                    paths=list(_NESTED_LINEARS), others=[n for n, _, _ in _NESTED_OTHERS], blocks=_BLOCKS)
    # False-fail probability: 5 weight matrices judged as U(-a, a) (60000, 20000, 2000, 60 and
    # 60000 values), 4 statistical comparisons each: 20·DELTA = 2e-7. The rest is exact.
    def judge_xavier(w, bias, bias_before, path, shape, where):
        bound = math.sqrt(6 / (shape[0] + shape[1]))
        wrong = _uniform_verdict(w, bound)
        expect(wrong is None,
               f"{where}之后 {_linear_name(path, shape)} 的权重应服从 U(-{_fmt(bound)}, {_fmt(bound)})"
               f"（a = √(6/(fan_in+fan_out))），{wrong}。提示：题目要求 Xavier 的均匀版本 xavier_uniform_，gain 取默认值 1。")
        expect(isinstance(bias, torch.Tensor) and torch.equal(bias, bias_before),
               f"{where}之后 {_linear_name(path, shape)} 的偏置变了：init_xavier 只应修改权重，偏置保持原样。")

    for path, shape in _NESTED_LINEARS.items():
        w = _weight(r.xavier["layers"], path, shape, "init_xavier")
        judge_xavier(w, r.xavier["layers"][path][1], r.xavier["biases_before"][path], path, shape,
                     "net.apply(init_xavier) ")
    changed = _changed_others(r.xavier["before"], r.xavier["after"], _NESTED_OTHERS)
    expect(not changed, _others_message("init_xavier", changed))

    for path, shape in _NESTED_LINEARS.items():
        w = _weight(r.forty_two["layers"], path, shape, "init_42")
        expect(bool((w == 42).all()),
               f"init_42 之后 {_linear_name(path, shape)} 的权重应全部为 42，实际有 {int((w != 42).sum())} 个元素不是 42。")
        b = r.forty_two["layers"][path][1]
        expect(isinstance(b, torch.Tensor) and torch.equal(b, r.forty_two["biases_before"][path]),
               f"init_42 之后 {_linear_name(path, shape)} 的偏置变了：init_42 只应修改权重，偏置保持原样。")
    changed = _changed_others(r.forty_two["before"], r.forty_two["after"], _NESTED_OTHERS)
    expect(not changed, _others_message("init_42", changed))

    sizes = sum(k for _, k in _BLOCKS_PARAMS)
    expect(all(isinstance(f, torch.Tensor) and f.shape == (sizes,)
               for f in (r.blocks_before, r.blocks_middle, r.blocks_after)),
           "net[0].apply(init_xavier) 与 net[2].apply(init_42) 之后，网络的参数数量或形状变了。")
    before, middle, after = (_split(f, _BLOCKS_PARAMS) for f in (r.blocks_before, r.blocks_middle, r.blocks_after))
    judge_xavier(middle["0.weight"], middle["0.bias"], before["0.bias"], "0", (200, 300), "net[0].apply(init_xavier) ")
    expect(torch.equal(middle["2.weight"], before["2.weight"]) and torch.equal(middle["2.bias"], before["2.bias"]),
           "net[0].apply(init_xavier) 改动了 net[2] 的参数：它只应访问 net[0]。")
    expect(bool((after["2.weight"] == 42).all()) and torch.equal(after["2.bias"], before["2.bias"]),
           "net[2].apply(init_42) 之后 net[2] 的权重应全部为 42，偏置保持原样。")
    expect(torch.equal(after["0.weight"], middle["0.weight"]) and torch.equal(after["0.bias"], middle["0.bias"]),
           "net[2].apply(init_42) 改动了 net[0] 的参数：它只应访问 net[2]。")


_MY_INIT_NET = """nn.Sequential(
    nn.Linear(300, 200), nn.ReLU(),
    nn.Sequential(nn.LayerNorm(200), nn.Linear(200, 100), _LinearResidual(100)),
    nn.Bilinear(100, 3, 2), nn.Linear(100, 10))"""
_MY_INIT_LINEARS = {"0": (200, 300), "2.1": (100, 200), "4": (10, 100)}
_MY_INIT_OTHERS = _others(_MY_INIT_NET, _MY_INIT_LINEARS)


@check(points=3, title="my_init 的分布")
def my_init_distribution(student):
    r = student.run(_PROBE_MODULES + _INIT_AND_READ + """
result = _init_and_read(my_init, source, paths, others)
""", "result", seed=5, source=_MY_INIT_NET, paths=list(_MY_INIT_LINEARS), others=[n for n, _, _ in _MY_INIT_OTHERS])
    # The law: 0 w.p. 1/2, else uniform on ±[5, 10]; each of the 8 bins of width 1.25 on
    # ±[5, 10] has probability 1/16. Per layer (60000, 20000 and 1000 values): the share of zeros
    # and of each bin, Hoeffding, 9 comparisons; the range is exact. 3 layers: 27·DELTA = 2.7e-7.
    edges = [-10, -8.75, -7.5, -6.25, -5, 5, 6.25, 7.5, 8.75, 10]
    bins = [(lo, hi) for lo, hi in zip(edges, edges[1:]) if lo != -5]
    for path, shape in _MY_INIT_LINEARS.items():
        w = _weight(r.result["layers"], path, shape, "my_init").double().flatten()
        name = _linear_name(path, shape)
        tol = _hoeffding(w.numel())
        zero = (w == 0).double().mean().item()
        expect(abs(zero - 0.5) <= tol,
               f"my_init 之后 {name} 中为 0 的权重占 {zero:.2%}，应约为 50%。"
               "提示：先从 U(-10, 10) 抽样，再把绝对值小于 5 的元素清零；网络中每个 nn.Linear 都要初始化。")
        nz = w[w != 0].abs()
        expect(bool(((nz >= 5) & (nz <= 10)).all()),
               f"my_init 之后 {name} 的非零权重绝对值应在 [5, 10] 内，"
               f"实际范围是 [{_fmt(nz.min().item())}, {_fmt(nz.max().item())}]。")
        shares = [((w >= lo) & ((w < hi) | (w == 10))).double().mean().item() for lo, hi in bins]
        worst = max(range(8), key=lambda i: abs(shares[i] - 1 / 16))
        expect(abs(shares[worst] - 1 / 16) <= tol,
               f"my_init 之后 {name} 的非零权重分布不对：落在 [{bins[worst][0]:g}, {bins[worst][1]:g}) 的占全部权重的 "
               f"{shares[worst]:.2%}，应约为 6.25%（负数共占 {sum(shares[:4]):.2%}，正数共占 {sum(shares[4:]):.2%}，"
               "各应约 25%）。提示：非零权重应在 U(5, 10) 与 U(-10, -5) 上均匀分布，正负各半。")
    changed = _changed_others(r.result["before"], r.result["after"], _MY_INIT_OTHERS)
    expect(not changed, _others_message("my_init", changed))


@check(points=1, title="my_init 原地修改、参数仍可训练")
def my_init_in_place(student):
    r = student.run(_PROBE_MODULES + """
net = nn.Sequential(nn.Linear(20, 10), nn.ReLU(), nn.Sequential(nn.Linear(10, 10), _Dense(10, 4)))
held = [_m.weight for _m in (net[0], net[2][0], net[2][1])]  # what an optimizer made before init holds
net.apply(my_init)
now = [net[0].weight, net[2][0].weight, net[2][1].weight]
same = [_a is _b for _a, _b in zip(held, now)]
kinds = [type(_w).__name__ for _w in now]
requires_grad = [bool(_w.requires_grad) for _w in now]
leaf = [bool(_w.is_leaf) for _w in now]
registered = [_n for _n, _ in net.named_parameters()]
net(torch.ones(3, 20)).sum().backward()
held_grads = [_w.grad for _w in held]
""", "same kinds requires_grad leaf registered held_grads", seed=6)
    expect(all(k == "Parameter" for k in r.kinds) and all(r.requires_grad) and all(r.leaf)
           and {"0.weight", "2.0.weight", "2.1.weight"} <= set(r.registered),
           "my_init 之后权重应仍是需要梯度的叶子参数（nn.Parameter，requires_grad=True），"
           f"实际类型 {r.kinds}、requires_grad {r.requires_grad}、是否叶子 {r.leaf}。"
           "提示：修改参数要原地进行，并放在 torch.no_grad() 中。")
    expect(all(r.same),
           "my_init 把 m.weight 换成了一个新的参数对象，初始化之前创建的优化器仍指向旧对象，训练时新权重不会被更新。"
           "提示：像 nn.init 的函数那样原地修改原来的权重。")
    expect(all(isinstance(g, torch.Tensor) for g in r.held_grads),
           "初始化之前取得的权重引用（优化器持有的就是它）在反向传播后没有得到梯度：它已与模型脱节。")


_EDIT_NETS = [
    # (source, its parameters' shapes in named_parameters() order)
    ("nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))", [(8, 4), (8,), (1, 8), (1,)]),
    ("nn.Sequential(nn.Linear(6, 5, bias=False), nn.Sequential(nn.Tanh(), nn.Linear(5, 3)), nn.Linear(3, 2))",
     [(5, 6), (3, 5), (3,), (2, 3), (2,)]),
    ("nn.Sequential(nn.Linear(3, 3))", [(3, 3), (3,)]),
]


@check(points=2, title="直接修改第一层权重")
def edit_first_layer(student):
    known = [[torch.randn(s, generator=student.rng) for s in shapes] for _, shapes in _EDIT_NETS]
    inputs = [torch.randn(5, shapes[0][1], generator=student.rng) for _, shapes in _EDIT_NETS]
    r = student.run("""
results = []
for _source, _values, _X in zip(sources, known, inputs):
    net = eval(_source)
    with torch.no_grad():
        for _p, _v in zip(net.parameters(), _values):
            _p.copy_(_v)
    _original = net[0].weight
    edit_first_layer(net)
    _after = list(net.parameters())
    _first = net[0].weight
    _out = net(_X)
    _out.sum().backward()
    results.append({"after": _after, "same": _first is _original, "kind": type(_first).__name__,
                    "requires_grad": bool(_first.requires_grad), "out": _out,
                    "grads": [_p.grad for _p in net.parameters()]})
""", "results", sources=[s for s, _ in _EDIT_NETS], known=known, inputs=inputs, seed=7)
    for (source, shapes), values, X, res in zip(_EDIT_NETS, known, inputs, r.results):
        where = f"对 {source} 调用 edit_first_layer 之后，"
        after = res["after"]
        expect(len(after) == len(values) and all(isinstance(a, torch.Tensor) and tuple(a.shape) == tuple(s)
                                                 for a, s in zip(after, shapes)),
               f"{where}网络应仍有 {len(values)} 个参数张量，形状不变。")
        expected = values[0] + 1
        expected[0, 0] = 42
        w = after[0]
        rest = torch.ones_like(w, dtype=torch.bool)
        rest[0, 0] = False
        diff = (w - values[0])[rest]
        expect(abs(w[0, 0].item() - 42) <= 1e-6,
               f"{where}net[0].weight[0, 0] 应为 42，你的是 {_fmt(w[0, 0].item())}。提示：先整体加 1，再把 [0, 0] 设为 42。")
        expect(torch.allclose(w, expected, atol=1e-6),
               f"{where}net[0] 权重中除 [0, 0] 以外的元素应为原值加 1，实际与原值之差在 "
               f"[{_fmt(diff.min().item())}, {_fmt(diff.max().item())}] 内。")
        expect(all(torch.equal(a, v) for a, v in zip(after[1:], values[1:])),
               f"{where}偏置和其他层的参数变了：edit_first_layer 只应修改 net[0] 的权重。")
        expect(res["same"] and res["kind"] == "Parameter" and res["requires_grad"],
               f"{where}net[0].weight 应仍是原来那个需要梯度的参数对象。"
               "提示：在 torch.no_grad() 中原地修改，不要替换参数对象，也不要关掉 requires_grad。")
        # What the edited net must compute, from the known parameters (never the student's own).
        net = eval(source, {"nn": torch.nn})
        with torch.no_grad():
            for p, v in zip(net.parameters(), [expected] + values[1:]):
                p.copy_(v)
        out = net(X)
        out.sum().backward()
        grads = [p.grad for p in net.parameters()]
        expect(isinstance(res["out"], torch.Tensor) and torch.allclose(res["out"], out, atol=1e-4)
               and all(isinstance(g, torch.Tensor) and torch.allclose(g, e, atol=1e-4)
                       for g, e in zip(res["grads"], grads)),
               f"{where}网络的输出或反向传播得到的梯度与修改后应有的网络不一致：net[0].weight 应仍参与前向计算并得到梯度。")


@check(points=1, title="no_grad 与 .data")
def no_grad_quiz(student):
    expect_choices(student, "NO_GRAD_FACTS", {"A", "C", "D", "E"},
                   "把第 6 节的演示格逐个改一改、跑一跑；"
                   "留意 requires_grad 在 with 块前后的值，以及给 m.weight 赋普通张量时会发生什么。")


_SUBCLASS_NET = "nn.Sequential(nn.Linear(16, 16), nn.ReLU(), _Dense(16, 16), nn.Sequential(nn.Tanh(), _Projection(16, 16)))"


@check(points=2, title="初始化函数也能处理 nn.Linear 的子类")
def subclass_safe(student):
    # _Dense(nn.Linear) and _Projection(_Dense): subclasses whose names do not contain "Linear",
    # so neither type(m) == nn.Linear nor a search for "Linear" in the class name selects them.
    r = student.run(_PROBE_MODULES + f"""
touched = {{}}
for _name in ("init_normal", "init_constant", "init_xavier", "init_42", "my_init"):
    _net = {_SUBCLASS_NET}
    with torch.no_grad():
        for _p in _net.parameters():
            _p.fill_({SENTINEL})
    _net.apply(eval(_name))
    touched[_name] = [(_m.weight, _m.bias) for _m in (_net[0], _net[2], _net[3][1])]
""", "touched", seed=8)
    skipped = []
    for name, layers in r.touched.items():
        (plain_w, plain_b), *subclasses = layers
        for label, (w, b) in zip(("_Dense(nn.Linear)", "_Projection(_Dense)"), subclasses):
            for part, plain_part, sub_part in (("权重", plain_w, w), ("偏置", plain_b, b)):
                plain_done = not bool((plain_part == SENTINEL).all())
                sub_done = not bool((sub_part == SENTINEL).all())
                if plain_done and not sub_done:
                    skipped.append(f"{name} 跳过了 {label} 的{part}")
    expect(not skipped,
           f"{'；'.join(skipped[:3])}：它们初始化了 nn.Linear，却静悄悄地跳过了 nn.Linear 的子类"
           "（检查用的子类名字里没有“Linear”）。"
           "提示：type(m) == nn.Linear 只认恰好是 nn.Linear 的对象，类名也不可靠，请用 isinstance(m, nn.Linear)。")


_KAIMING_SHAPES = [(128, 512), (512, 128), (100, 150)]


@check(points=2, title="Kaiming 初始化")
def kaiming(student):
    r = student.run("""
normal = [relu_normal(_s) for _s in shapes]
uniform = [relu_uniform_fan_out(_s) for _s in shapes]
""", "normal uniform", shapes=_KAIMING_SHAPES, seed=9)
    # False-fail probability: 3 normal samples (65536, 65536, 15000 values) × 3 comparisons +
    # 3 uniform samples × 4 comparisons = 21·DELTA = 2.1e-7.
    for shape, n, u in zip(_KAIMING_SHAPES, r.normal, r.uniform):
        expect(_is_tensor(n, shape), f"relu_normal({shape}) 应返回形状为 {shape} 的张量，得到 {_describe(n)}。")
        expect(_is_tensor(u, shape), f"relu_uniform_fan_out({shape}) 应返回形状为 {shape} 的张量，得到 {_describe(u)}。")
        sigma = math.sqrt(2 / shape[1])  # gain √2, fan_in = shape[1]
        wrong = _normal_verdict(n, sigma)
        expect(wrong is None,
               f"relu_normal({shape}) 应服从 N(0, σ²)，σ = √2/√fan_in = {_fmt(sigma)}，{wrong}。"
               "提示：fan_in 是权重形状的第二维（shape[1]）；ReLU 的增益是 √2；要用正态版本 kaiming_normal_。")
        bound = math.sqrt(6 / shape[0])  # √3 · √2 / √fan_out, fan_out = shape[0]
        wrong = _uniform_verdict(u, bound)
        expect(wrong is None,
               f"relu_uniform_fan_out({shape}) 应服从 U(-b, b)，b = √3·√2/√fan_out = {_fmt(bound)}，{wrong}。"
               "提示：要保持反向传播的方差，用的是 fan_out（shape[0]）；ReLU 的增益是 √2；要用均匀版本 kaiming_uniform_。")


def _is_tensor(value, shape=None):
    return isinstance(value, torch.Tensor) and (shape is None or tuple(value.shape) == tuple(shape))


def _describe(value):
    if isinstance(value, torch.Tensor):
        return f"形状为 {tuple(value.shape)} 的张量"
    return f"{value!r}"[:60]


# The entries of a Haar-random semi-orthogonal matrix (any column signs) are coordinates of unit
# vectors uniform on the sphere S^{d-1}, d = max(rows, cols): P(|x_1| ≥ t) ≤ 2·exp(−d·t²/2).
_ORTHO_TOP = 0.9


def _ortho_entry_bound(rows, cols):
    return rows * cols * 2 * math.exp(-max(rows, cols) * _ORTHO_TOP ** 2 / 2)


# The shapes orthogonal_trunc draws: the chance that a correct answer trips the 0.9·gain bound.
assert sum(_ortho_entry_bound(*shape) for shape in ((64, 128), (128, 64), (96, 96))) < 3e-13


_TRUNC_CASES = [((256, 256), 0.02), ((128, 128), 0.5), ((30, 20, 10), 1.0)]


@check(points=2, title="正交初始化与截断正态")
def orthogonal_trunc(student):
    r = student.run("""
wide = orthogonal_weight(64, 128)
tall = orthogonal_weight(128, 64, gain=2.0)
square = orthogonal_weight(96, 96, 0.5)
other = orthogonal_weight(64, 128)
truncated = [truncated_weight(_shape, _std) for _shape, _std in cases]
""", "wide tall square other truncated", cases=_TRUNC_CASES, seed=10)
    # False-fail probability: orthogonality is algebra (float error ~1e-6 against a 1e-4
    # tolerance); no entry of a random orthogonal matrix reaches 0.9·gain: P ≤ Σ rows·cols·2·
    # exp(−max(rows, cols)·0.81/2) < 3e-13; two calls agreeing has probability 0. Truncated normal:
    # 3 samples (65536, 16384, 6000 values) × 4 comparisons = 12·DELTA = 1.2e-7.
    for value, shape, call in ((r.wide, (64, 128), "orthogonal_weight(64, 128)"),
                               (r.tall, (128, 64), "orthogonal_weight(128, 64, gain=2.0)"),
                               (r.square, (96, 96), "orthogonal_weight(96, 96, 0.5)")):
        expect(_is_tensor(value, shape), f"{call} 应返回形状为 {shape} 的张量，得到 {_describe(value)}。")
    expect(torch.allclose(r.wide @ r.wide.T, torch.eye(64), atol=1e-4),
           "orthogonal_weight(64, 128) 的各行应两两正交且长度为 1（W Wᵀ ≈ I），实测 W Wᵀ 与 I 最多相差 "
           f"{_fmt((r.wide @ r.wide.T - torch.eye(64)).abs().max().item())}。")
    expect(torch.allclose(r.tall.T @ r.tall, 4 * torch.eye(64), atol=4e-4),
           "orthogonal_weight(128, 64, gain=2.0) 应满足 WᵀW ≈ 4I，实测对角线均值 "
           f"{_fmt(torch.diagonal(r.tall.T @ r.tall).mean().item())}。提示：gain 要传给初始化函数。")
    expect(torch.allclose(r.square @ r.square.T, 0.25 * torch.eye(96), atol=1e-4)
           and torch.allclose(r.square.T @ r.square, 0.25 * torch.eye(96), atol=1e-4),
           "orthogonal_weight(96, 96, 0.5)（gain 按位置传入）应满足 W Wᵀ = WᵀW ≈ 0.25·I，实测 W Wᵀ 的对角线均值 "
           f"{_fmt(torch.diagonal(r.square @ r.square.T).mean().item())}。")
    peaks = [(r.wide.abs().max().item(), 1.0), (r.tall.abs().max().item(), 2.0), (r.square.abs().max().item(), 0.5)]
    expect(not torch.equal(r.wide, r.other) and all(top < _ORTHO_TOP * gain for top, gain in peaks),
           "orthogonal_weight 应给出随机的正交矩阵（每次调用都不同，元素分散），而不是单位矩阵、置换矩阵之类固定或稀疏的矩阵。")
    for (shape, std), w in zip(_TRUNC_CASES, r.truncated):
        call = f"truncated_weight({shape}, {std})"
        expect(_is_tensor(w, shape), f"{call} 应返回形状为 {shape} 的张量，得到 {_describe(w)}。")
        wrong = _trunc_verdict(w, std)
        expect(wrong is None, f"{call} 应是均值 0、参数标准差 {std}、截断在 ±{2 * std:g} 的截断正态，{wrong}。")


_LEAKY_SLOPES = (0.01, 0.1, 0.2, 0.5, 1.0)
_TANH_SHAPES = [(200, 300), (500, 60)]


@check(points=2, title="calculate_gain 与 Xavier 正态")
def gain_xavier(student):
    r = student.run("""
gains = [leaky_gain(_s) for _s in slopes]
ws = [tanh_xavier(_shape) for _shape in shapes]
""", "gains ws", slopes=list(_LEAKY_SLOPES), shapes=_TANH_SHAPES, seed=11)
    for slope, gain in zip(_LEAKY_SLOPES, r.gains):
        expected = math.sqrt(2 / (1 + slope ** 2))
        hint = "提示：用 calculate_gain(\"leaky_relu\", slope)，把斜率作为第二个参数传入。"
        if isinstance(gain, (int, float)) and abs(gain - math.sqrt(2 / (1 + 0.01 ** 2))) < 1e-9 and slope != 0.01:
            hint = "你的结果是默认斜率 0.01 的增益：斜率没有传给 calculate_gain。"
        expect(isinstance(gain, (int, float)) and not isinstance(gain, bool) and abs(gain - expected) < 1e-6,
               f"leaky_gain({slope}) 应返回 Python 数 {expected:.6f}，你的是 {gain!r}。{hint}")
    # False-fail probability: 2 samples (60000, 30000 values) × 3 comparisons = 6·DELTA = 6e-8.
    for shape, w in zip(_TANH_SHAPES, r.ws):
        expect(_is_tensor(w, shape), f"tanh_xavier({shape}) 应返回形状为 {shape} 的张量，得到 {_describe(w)}。")
        std = 5 / 3 * math.sqrt(2 / (shape[0] + shape[1]))
        wrong = _normal_verdict(w, std)
        expect(wrong is None,
               f"tanh_xavier({shape}) 应服从 N(0, σ²)，σ = gain·√(2/(fan_in+fan_out)) = {_fmt(std)}（gain = 5/3），{wrong}。"
               "提示：用 xavier_normal_，gain 取 calculate_gain(\"tanh\")。")
