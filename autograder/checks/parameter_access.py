"""Hidden checks for 02_parameter_access （5.2 参数管理：参数访问）."""
import torch

from autograder.registry import check, expect


def as_shape(value):
    """A shape the student gave as a tuple, list or torch.Size (which arrives as a tuple)."""
    if isinstance(value, (list, tuple)) and all(isinstance(n, int) and not isinstance(n, bool) for n in value):
        return tuple(value)
    return value


def as_table(value):
    """A list of (name, shape) pairs, normalised; anything else is returned unchanged."""
    if not isinstance(value, (list, tuple)):
        return value
    rows = []
    for row in value:
        if not (isinstance(row, (list, tuple)) and len(row) == 2):
            return value
        rows.append((row[0], as_shape(row[1])))
    return rows


@check(points=1, title="state_dict 中每一项的形状")
def state_shapes(student):
    r = student.run("""
linear_shapes = state_shapes(nn.Linear(3, 5))
nobias_shapes = state_shapes(nn.Linear(6, 2, bias=False))
bn_shapes = state_shapes(nn.BatchNorm1d(4))
""", "linear_shapes nobias_shapes bn_shapes")
    for got in (r.linear_shapes, r.nobias_shapes, r.bn_shapes):
        expect(isinstance(got, dict), f"state_shapes 应返回字典（键 → 形状元组），你返回的是 {type(got).__name__}。")
    linear = {k: as_shape(v) for k, v in r.linear_shapes.items()}
    expect(linear == {"weight": (5, 3), "bias": (5,)},
           f"state_shapes(nn.Linear(3, 5)) 应为 {{'weight': (5, 3), 'bias': (5,)}},你的是 {linear}。"
           "提示：全连接层的权重形状是（输出维度，输入维度）。")
    nobias = {k: as_shape(v) for k, v in r.nobias_shapes.items()}
    expect(nobias == {"weight": (2, 6)},
           f"state_shapes(nn.Linear(6, 2, bias=False)) 应只有 weight，形状 (2, 6)，你的是 {nobias}。"
           "提示：键要从 state_dict() 里取，不要自己假定每层都有 weight 和 bias。")
    bn = {k: as_shape(v) for k, v in r.bn_shapes.items()}
    expected = {"weight": (4,), "bias": (4,), "running_mean": (4,), "running_var": (4,), "num_batches_tracked": ()}
    expect(bn == expected,
           f"对 nn.BatchNorm1d(4),state_dict 共有 5 项，你的结果是 {bn}。"
           "提示：state_dict() 不只包含参数，还包含缓冲区；题目要的是 state_dict 中的每一项。")


@check(points=2, title="反向传播前后的梯度")
def grad_snapshot(student):
    X = torch.randn(5, 3, generator=student.rng)
    r = student.run("""
net = nn.Sequential(nn.Linear(3, 6), nn.Tanh(), nn.Linear(6, 2))
params = [p.detach().clone() for p in net.parameters()]
result = grad_snapshot(net, X)
""", "params result", X=X)
    names = ["0.weight", "0.bias", "2.weight", "2.bias"]
    expect(isinstance(r.result, (tuple, list)) and len(r.result) == 2
           and all(isinstance(d, dict) for d in r.result),
           "grad_snapshot(net, X) 应返回两个字典组成的元组 (before, after)。")
    before, after = r.result
    expect(sorted(before) == sorted(names) and sorted(after) == sorted(names),
           f"before 和 after 的键应是 named_parameters() 给出的参数名 {names}，"
           f"你的是 {sorted(before)} 和 {sorted(after)}。")
    expect(all(before[n] is None for n in names),
           "在从未做过反向传播的新网络上，before 中的每个梯度都应是 None。"
           "提示：要在调用 backward() 之前读取 p.grad，并且记录的是梯度本身，而不是参数的值。")
    w1, b1, w2, b2 = (p.clone().requires_grad_() for p in r.params)
    (torch.tanh(X @ w1.T + b1) @ w2.T + b2).sum().backward()
    expected = dict(zip(names, (w1.grad, b1.grad, w2.grad, b2.grad)))
    for n in names:
        g = after[n]
        expect(isinstance(g, torch.Tensor) and g.shape == expected[n].shape,
               f"after['{n}'] 应是与参数同形状的梯度张量。提示:反向传播之后再读 p.grad。")
        expect(torch.allclose(g, expected[n], atol=1e-5),
               f"after['{n}'] 的数值不是以 net(X).sum() 为损失做一次反向传播得到的梯度。"
               "提示：检查损失是否按题目要求构造、是否只反向传播了一次。")


@check(points=2, title="列出全部参数的名字与形状")
def param_table(student):
    r = student.run("""
class _Probe(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(5, 3)
        self.norm = nn.BatchNorm1d(3)
        self.head = nn.Sequential(nn.ReLU(), nn.Linear(3, 2, bias=False))

    def forward(self, X):
        return self.head(self.norm(self.hidden(X)))

seq_table = param_table(nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Sequential(nn.Linear(4, 4), nn.Tanh()),
                                      nn.Linear(4, 2)))
custom_table = param_table(_Probe())
""", "seq_table custom_table")
    seq_expected = [("0.weight", (4, 3)), ("0.bias", (4,)), ("2.0.weight", (4, 4)), ("2.0.bias", (4,)),
                    ("3.weight", (2, 4)), ("3.bias", (2,))]
    seq = as_table(r.seq_table)
    expect(seq == seq_expected,
           f"对 Sequential(Linear(3, 4), ReLU(), Sequential(Linear(4, 4), Tanh()), Linear(4, 2)),"
           f"应得到 {seq_expected}，你的是 {seq}。"
           "提示：要递归地列出所有子块的参数，名字用 named_parameters() 给出的完整名字，形状写成元组。")
    custom_expected = [("hidden.weight", (3, 5)), ("hidden.bias", (3,)), ("norm.weight", (3,)), ("norm.bias", (3,)),
                       ("head.1.weight", (2, 3))]
    custom = as_table(r.custom_table)
    expect(custom == custom_expected,
           f"对一个含 Linear、BatchNorm1d 和嵌套 Sequential 的自定义块，应得到 {custom_expected}，你的是 {custom}。"
           "提示：只列参数——缓冲区（如批量规范化的 running_mean）不是参数。")


@check(points=2, title="嵌套网络 rgnet 的结构")
def rgnet(student):
    X = torch.randn(3, 4, generator=student.rng)
    r = student.run("""
top = [type(m).__name__ for m in rgnet.children()]
inner = list(rgnet.children())[0]
names = list(inner._modules.keys())  # _modules, not children(): children() skips a repeated block
layers = [[(type(l).__name__, getattr(l, "in_features", None), getattr(l, "out_features", None))
           for l in b.children()] for b in inner._modules.values()]
last = list(rgnet.children())[-1]
last_shape = (getattr(last, "in_features", None), getattr(last, "out_features", None))
n_tensors = len(list(rgnet.parameters()))
distinct_blocks = len({id(b) for b in inner._modules.values()})
fresh = block1() is not block1() and block2() is not block2()
out = rgnet(X)
""", "top names layers last_shape n_tensors distinct_blocks fresh out", X=X)
    expect(r.top == ["Sequential", "Linear"] and r.last_shape == (4, 1),
           f"rgnet 应依次包含 block2() 生成的 Sequential 和 Linear(4, 1)，你的子块是 {r.top}。")
    expect(r.names == ["block 0", "block 1", "block 2", "block 3"],
           f"block2() 里的子块应依次命名为 'block 0' … 'block 3',你的是 {r.names}。"
           "提示：用 add_module（名字，块）加入，名字中间有一个空格。")
    block = [("Linear", 4, 8), ("ReLU", None, None), ("Linear", 8, 4), ("ReLU", None, None)]
    expect(all(b == block for b in r.layers),
           "block2() 中每个子块都应是 Sequential(Linear(4, 8), ReLU(), Linear(8, 4), ReLU())。")
    expect(r.fresh, "block1() 和 block2() 每次调用都应返回一个新建的块。")
    expect(r.distinct_blocks == 4 and r.n_tensors == 18,
           f"rgnet 应有 4 个各自独立的子块、共 18 个参数张量，你的只有 {r.n_tensors} 个。"
           "提示：如果四个位置放的是同一个块对象，它们就共享同一组参数；每个位置都应调用一次 block1()。")
    expect(isinstance(r.out, torch.Tensor) and tuple(r.out.shape) == (3, 1),
           "rgnet 作用在形状 (3, 4) 的输入上，输出形状应为 (3, 1)。")


@check(points=2, title="按下标路径取深处的参数")
def deep_param(student):
    r = student.run("""
def _blk():
    return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 4), nn.ReLU())
_inner = nn.Sequential()
for _i in range(3):
    _inner.add_module(f"part {_i}", _blk())
net = nn.Sequential(_inner, nn.Linear(4, 2))
a = deep_param(net, [0, 1, 0], "bias")
b = deep_param(net, [0, 2, 2], "weight")
c = deep_param(net, [1], "bias")
single = nn.Linear(3, 2)
d = deep_param(single, [], "weight")
same = [a is net[0][1][0].bias, b is net[0][2][2].weight, c is net[1].bias, d is single.weight]
kinds = [type(v).__name__ for v in (a, b, c, d)]
""", "same kinds")
    expect(r.kinds == ["Parameter"] * 4,
           f"deep_param 应返回 Parameter 对象本身，你返回的类型是 {r.kinds}。"
           "提示：.data 给出的是普通张量，不是参数对象。")
    paths = ["[0, 1, 0] 的 bias", "[0, 2, 2] 的 weight", "[1] 的 bias", "空路径 [] 的 weight（即 net 自身的参数）"]
    wrong = [p for p, ok in zip(paths, r.same) if not ok]
    expect(not wrong,
           f"deep_param 取到的不是要求的那个参数:{'、'.join(wrong)}。"
           "提示：path 中每个下标都要用上，按顺序逐级取子块，最后取名为 name 的属性。")


@check(points=2, title="统计参数个数")
def count_parameters(student):
    r = student.run("""
shared = nn.Linear(6, 6)
tied = nn.Sequential(nn.Linear(3, 6), nn.ReLU(), shared, nn.ReLU(), shared, nn.ReLU(), nn.Linear(6, 2))
first, second = nn.Linear(5, 5), nn.Linear(5, 5)
second.weight = first.weight
weight_tied = nn.Sequential(first, nn.Tanh(), second)
with_buffers = nn.Sequential(nn.Linear(4, 3, bias=False), nn.BatchNorm1d(3), nn.ReLU())
plain_net = nn.Sequential(nn.Linear(7, 9), nn.ReLU(), nn.Linear(9, 1))
empty = nn.Sequential(nn.ReLU(), nn.Flatten())
counts = [count_parameters(m) for m in (plain_net, tied, weight_tied, with_buffers, empty)]
kinds = [type(c).__name__ for c in counts]
""", "counts kinds")
    expected = [7 * 9 + 9 + 9 + 1, 3 * 6 + 6 + 6 * 6 + 6 + 6 * 2 + 2, 25 + 5 + 5, 12 + 3 + 3, 0]
    counts = [int(c) if isinstance(c, (int, float)) and not isinstance(c, bool) and float(c).is_integer() else c
              for c in r.counts]
    expect(isinstance(counts[0], int) and counts[0] == expected[0],
           f"Sequential(Linear(7, 9), ReLU(), Linear(9, 1)) 应有 {expected[0]} 个参数，你的结果是 {r.counts[0]}。"
           "提示：要数的是参数张量里的元素个数(numel)，不是张量的个数。")
    expect(counts[4] == 0, f"没有任何参数的网络应返回 0,你的结果是 {r.counts[4]}。")
    expect(counts[1] == expected[1] and counts[2] == expected[2],
           f"含共享层的网络参数量不对（应为 {expected[1]} 和 {expected[2]}，你的是 {r.counts[1]} 和 {r.counts[2]}）。"
           "提示：同一个参数对象在网络里出现多次时只能数一次；parameters() 遍历时会自动去重。")
    expect(counts[3] == expected[3],
           f"含批量规范化层的网络应有 {expected[3]} 个参数，你的结果是 {r.counts[3]}。提示：缓冲区不是参数。")
    expect(all(k == "int" for k in r.kinds), f"count_parameters 应返回 Python 整数，你返回的类型是 {r.kinds}。")


EXPECTED_FIXED = [("linear.weight", (20, 20)), ("linear.bias", (20,))]
EXPECTED_NEST = [("net.0.weight", (64, 20)), ("net.0.bias", (64,)), ("net.2.weight", (32, 64)), ("net.2.bias", (32,)),
                 ("linear.weight", (16, 32)), ("linear.bias", (16,))]


@check(points=1, title="FixedHiddenMLP 的参数")
def fancy_fixed(student):
    got = as_table(student.eval("FIXED_PARAMS"))
    expect(got == EXPECTED_FIXED,
           f"FIXED_PARAMS 不对，你的是 {got}。提示：只列可训练的参数，格式与 param_table 相同；"
           "想一想 rand_weight 是怎样登记的，以及同一个 linear 用两次会不会多出一组参数。")


@check(points=2, title="NestMLP 的参数")
def fancy_nest(student):
    r = student.run("""
table = NEST_PARAMS
kind = type(NEST_SECOND_BIAS).__name__
same = NEST_SECOND_BIAS is nest.net[2].bias
""", "table kind same")
    got = as_table(r.table)
    expect(got == EXPECTED_NEST,
           f"NEST_PARAMS 不对，你的是 {got}。提示：按 named_parameters() 的顺序和完整名字列出 nest 的全部参数。")
    expect(r.kind == "Parameter",
           f"NEST_SECOND_BIAS 应是 Parameter 对象本身，你给出的类型是 {r.kind}。提示：不要取 .data。")
    expect(r.same,
           "NEST_SECOND_BIAS 不是 nest 中第二个全连接层 Linear(64, 32) 的偏置。"
           "提示：nest.net 是一个 Sequential,ReLU 也占一个下标。")
