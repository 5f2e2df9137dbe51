"""Hidden checks for 04_parameter_tying (5.2.3 参数绑定，exercises 3 and 4 of 5.2)."""
import functools
import math


import torch
import torch.nn.functional as F

from autograder.checks.common import expect_choices
from autograder.registry import check, expect

LINEAR_KINDS = ["Linear", "ReLU", "Linear", "ReLU", "Linear", "ReLU", "Linear"]
POSITIONS = ["0", "2", "4", "6"]

# The book's tied net, built inside a probe from known-good pieces (so a check of a later part
# does not depend on the student's make_tied_net).
BOOK_NET = """
import copy
shared = nn.Linear(8, 8)
tied_net_ = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), shared, nn.ReLU(), shared, nn.ReLU(), nn.Linear(8, 1))
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


@functools.lru_cache(maxsize=None)
def digits_split(test_fraction=0.2, seed=0):
    """The notebook's load_digits_split, recomputed on the judge's side."""
    from sklearn.datasets import load_digits
    digits = load_digits()
    features = torch.tensor(digits.data, dtype=torch.float32)
    labels = torch.tensor(digits.target, dtype=torch.long)
    order = torch.randperm(len(features), generator=torch.Generator().manual_seed(seed))
    n_test = int(len(features) * test_fraction)
    test_idx, train_idx = order[:n_test], order[n_test:]
    mean = features[train_idx].mean(0)
    scale = features[train_idx].std(0).clamp_min(1.0)
    features = (features - mean) / scale
    return features[train_idx], labels[train_idx], features[test_idx], labels[test_idx]


@check(points=2, title="两个位置是同一个张量")
def tied_identity(student):
    X = torch.randn(5, 4, generator=student.rng)
    r = student.run("""
net = make_tied_net()
kinds = [type(m).__name__ for m in net]
out = net(X)
weights = [net[i].weight for i in (0, 2, 4, 6)]
biases = [net[i].bias for i in (0, 2, 4, 6)]
same_weight = net[2].weight is net[4].weight and net[2].weight.data_ptr() == net[4].weight.data_ptr()
same_bias = net[2].bias is net[4].bias
poked = make_tied_net()
with torch.no_grad():
    poked[2].weight[0, 0] = 100.0
follows = poked[4].weight[0, 0].item()
fresh = make_tied_net()[2].weight is not make_tied_net()[2].weight
""", "kinds out weights biases same_weight same_bias follows fresh", X=X)
    expect(r.kinds == LINEAR_KINDS,
           f"make_tied_net() 的各位置应依次为 Linear、ReLU、Linear、ReLU、Linear、ReLU、Linear，你的是 {r.kinds}。")
    expect([tuple(w.shape) for w in r.weights] == [(8, 4), (8, 8), (8, 8), (1, 8)],
           "各线性层的尺寸不对：应为 Linear(4, 8)、共享的 Linear(8, 8)（出现两次）、Linear(8, 1)。")
    expected = mlp_forward(X, r.weights, r.biases)
    expect(isinstance(r.out, torch.Tensor) and r.out.shape == (5, 1) and torch.allclose(r.out, expected, atol=1e-5),
           "make_tied_net()(X) 的输出与按表格逐层计算的结果不一致。提示：检查 ReLU 的位置，最后一层之后没有激活。")
    expect(r.same_weight and r.same_bias and r.follows == 100.0,
           "下标 2 和 4 的参数只是数值相等，并不是同一个张量：改动其中一个，另一个没有跟着变。"
           "提示：复制数值得到的是两个独立的层；要把同一个层对象放到两个位置上。")
    expect(r.fresh,
           "两次调用 make_tied_net() 得到的网络共用了同一个共享层。提示：共享层应在函数内部、每次调用时新建。")


@check(points=2, title="untied_copy 生成解绑的副本")
def untie_copy(student):
    X = torch.randn(6, 4, generator=student.rng)
    r = student.run(BOOK_NET + """
twin = untied_copy(tied_net_)
kind = type(twin).__name__
kinds = [type(m).__name__ for m in twin]
out, ref = twin(X), tied_net_(X)
own_ptrs = [p.data_ptr() for p in tied_net_.parameters()]
twin_params = [p for m in twin for p in m.parameters()]
twin_ptrs = [p.data_ptr() for p in twin_params]
same_values = [torch.equal(a, b) for a, b in zip(
    [p for m in tied_net_ for p in m.parameters()], twin_params)]
tied_before = tied_net_[2].weight.clone()
with torch.no_grad():
    for p in twin_params:
        p.add_(1.0)
tied_after = tied_net_[2].weight.clone()
n_params = len(list(twin.parameters()))
""", "kind kinds out ref own_ptrs twin_ptrs same_values tied_before tied_after n_params", X=X)
    expect(r.kind == "Sequential" and r.kinds == LINEAR_KINDS,
           f"untied_copy(net) 应返回子块种类、顺序与 net 相同的 nn.Sequential，你的是 {r.kind}：{r.kinds}。")
    expect(len(r.same_values) == 8 and all(r.same_values) and torch.allclose(r.out, r.ref, atol=1e-6),
           "副本的参数数值（或输出）与原网络不同。提示：副本应是原网络的拷贝，而不是重新初始化的新层。")
    expect(len(set(r.twin_ptrs)) == 8 and r.n_params == 8,
           "副本中仍有位置彼此共享参数（下标 2 和 4 还是同一个张量）。"
           "提示：copy.deepcopy 在一次调用中会保留共享结构。")
    expect(not set(r.twin_ptrs) & set(r.own_ptrs) and torch.equal(r.tied_before, r.tied_after),
           "副本与原网络共用了参数：改动副本会改动原网络。提示：每个位置都要真正复制，而不是放入原来的子块。")


@check(points=2, title="共享梯度等于两处贡献之和")
def grad_sum(student):
    X = torch.randn(7, 4, generator=student.rng)
    X_old = torch.randn(3, 4, generator=student.rng)
    r = student.run(BOOK_NET + """
twin_ = nn.Sequential(*[copy.deepcopy(m) for m in tied_net_])
tied_net_(X_old).sum().backward()       # stale gradients the student must not return
(twin_(X_old) ** 2).sum().backward()
result = tied_grad_parts(tied_net_, twin_, X)
params = [tied_net_[i].weight for i in (0, 2, 6)] + [tied_net_[i].bias for i in (0, 2, 6)]
""", "result params", seed=3, X=X, X_old=X_old)
    expect(isinstance(r.result, (tuple, list)) and len(r.result) == 3
           and all(isinstance(t, torch.Tensor) and t.shape == (8, 8) for t in r.result),
           "tied_grad_parts 应返回三个形状为 (8, 8) 的张量 (tied, first, second)。")
    tied, first, second = r.result
    w0, ws, w6, b0, bs, b6 = r.params
    w_first = ws.clone().requires_grad_(True)
    w_second = ws.clone().requires_grad_(True)
    h = F.relu(linear(X, w0, b0))
    h = F.relu(linear(h, w_first, bs))
    h = F.relu(linear(h, w_second, bs))
    linear(h, w6, b6).sum().backward()
    ok = dict(atol=1e-5, rtol=1e-4)
    expect(torch.allclose(first, w_first.grad, **ok) and torch.allclose(second, w_second.grad, **ok),
           "first / second 不是解绑网络中下标 2、4 各自在这一次 X 上的权重梯度。"
           "提示：损失是 net(X).sum()；传入的网络可能残留旧梯度，要先清零；注意分清两个位置。")
    expect(torch.allclose(tied, w_first.grad + w_second.grad, **ok),
           "tied 不是绑定网络中共享权重在这一次 X 上的梯度。提示：传入的网络可能残留旧梯度，要先清零再反向传播。")


@check(points=2, title="参数计数")
def param_counts(student):
    r = student.run(BOOK_NET + """
book = param_summary(tied_net_)
a, b = nn.Linear(5, 5), nn.Linear(5, 5)
b.weight = a.weight
half = param_summary(nn.Sequential(a, nn.Tanh(), b, nn.Tanh(), a))
plain_net = param_summary(nn.Sequential(nn.Linear(3, 2), nn.ReLU(), nn.Linear(2, 2)))
""", "book half plain_net")
    expected = {
        "book": {"tensors": 6, "state_keys": 8, "scalars": 121},
        "half": {"tensors": 3, "state_keys": 6, "scalars": 35},
        "plain_net": {"tensors": 4, "state_keys": 4, "scalars": 14},
    }
    for name, want in expected.items():
        got = getattr(r, name)
        expect(isinstance(got, dict) and set(got) >= {"tensors", "state_keys", "scalars"},
               'param_summary 应返回含 "tensors"、"state_keys"、"scalars" 三个键的字典。')
    for key, hint in [("tensors", "parameters() 对同一个张量只给出一次"),
                      ("state_keys", "state_dict() 按路径列出每个条目，共享的张量会出现多次"),
                      ("scalars", "真正的参数量应对不重复的参数张量求 numel() 之和，不能按 state_dict() 的条目数")]:
        wrong = [name for name, want in expected.items() if getattr(r, name)[key] != want[key]]
        expect(not wrong, f'param_summary 返回的 "{key}" 不对(在{"、".join(wrong)} 这类网络上)。提示:{hint}。')


@check(points=1, title="关于参数绑定的判断")
def sharing_quiz(student):
    expect_choices(student, "SHARING_TRUE", {"B", "C", "E", "F"},
                   "每一条都可以用几行代码验证——比较 is 与 ==、"
                   "看 deepcopy 副本内部的共享、数一数 parameters() 与 state_dict() 的条目。")


def _history_ok(history, steps):
    """None if history has the required form and lengths, else a message."""
    if not isinstance(history, dict) or not {"loss", "param_norm", "grad_norm"} <= set(history):
        return 'history 应是含 "loss"、"param_norm"、"grad_norm" 三个键的字典。'
    for key in ("param_norm", "grad_norm"):
        part = history[key]
        if not isinstance(part, dict) or sorted(part) != POSITIONS:
            return f'history["{key}"] 应是以 "0"、"2"、"4"、"6" 为键的字典。'
    lists = [history["loss"]] + [history[k][p] for k in ("param_norm", "grad_norm") for p in POSITIONS]
    if not all(isinstance(v, list) and all(isinstance(x, (int, float)) for x in v) for v in lists):
        return "history 中的每条记录都应是由 float 组成的列表。"
    lengths = sorted({len(v) for v in lists})
    if lengths != [steps]:
        return (f"history 中记录的长度应等于总步数 {steps}（每个小批量记录一次），你的长度是 {lengths}。"
                "提示：检查记录是否放在小批量循环之内，以及每个周期的步数是否为 ⌈n_train / batch_size⌉。")
    if not all(math.isfinite(x) for v in lists for x in v):
        return "history 中出现了 nan 或 inf。"
    return None


@check(points=2, title="共享层 MLP 的测试准确率")
def train_accuracy(student):
    r = student.run("""
net, history = train_shared(seed=1)
kinds = [type(m).__name__ for m in net]
state = {k: v for k, v in net.state_dict().items()}
""", "kinds state", seed=1)
    expect(r.kinds == LINEAR_KINDS,
           f"train_shared 返回的网络应为 Linear、ReLU、共享 Linear、ReLU、同一共享层、ReLU、Linear，你的是 {r.kinds}。")
    shapes = {k: tuple(v.shape) for k, v in r.state.items()}
    expect(shapes.get("0.weight") == (64, 64) and shapes.get("6.weight") == (10, 64)
           and shapes.get("2.weight") == shapes.get("4.weight") == (64, 64),
           "默认设置下 train_shared 的网络尺寸不对：输入 64 维、隐藏 num_hiddens=64、输出 10 类。")
    _, _, X_test, y_test = digits_split()
    ws = [r.state[f"{p}.weight"] for p in POSITIONS]
    bs = [r.state[f"{p}.bias"] for p in POSITIONS]
    accuracy = (mlp_forward(X_test, ws, bs).argmax(dim=1) == y_test).float().mean().item()
    expect(accuracy >= 0.85,
           f"用默认设置(seed=1)训练后，网络在留出的测试集上的准确率只有 {accuracy:.3f}，应明显高于 0.85。"
           "提示：检查每一步是否清零梯度、反向传播并更新参数，以及是否在训练集上按小批量遍历。")


@check(points=2, title="训练记录的结构")
def train_history(student):
    r = student.run("""
net, history = train_shared(num_epochs=2, batch_size=100, num_hiddens=16, seed=3)
weights = {str(i): m.weight for i, m in enumerate(net) if isinstance(m, nn.Linear)}
""", "history weights", seed=3)
    n_train = len(digits_split()[0])
    steps = 2 * math.ceil(n_train / 100)
    problem = _history_ok(r.history, steps)
    expect(problem is None, f"{problem}")
    expect(all(x > 0 for p in POSITIONS for x in r.history["grad_norm"][p]),
           "grad_norm 中出现了 0:记录梯度范数时梯度已经被清零了。提示：记录应在清零之前、反向传播之后。")
    expect(sorted(r.weights) == POSITIONS,
           'train_shared(num_hiddens=16) 返回的网络中，线性层应位于下标 0、2、4、6。')
    final = {p: torch.linalg.norm(r.weights[p]).item() for p in POSITIONS}
    expect(all(math.isclose(r.history["param_norm"][p][-1], final[p], rel_tol=1e-4, abs_tol=1e-6)
               for p in POSITIONS),
           "param_norm 最后一项与训练结束时各层 weight 的 L2 范数不一致。"
           "提示：记录的是各位置线性层 weight（不含 bias）在参数更新之后的范数。")


@check(points=1, title="共享位置的记录始终一致")
def history_tied(student):
    r = student.run("""
net, history = train_shared(num_epochs=2, batch_size=100, num_hiddens=16, seed=5)
still_tied = len(net) == 7 and net[2].weight is net[4].weight and net[2].bias is net[4].bias
""", "history still_tied", seed=5)
    history = r.history
    expect(isinstance(history, dict) and all(
        isinstance(history.get(k), dict) and isinstance(history[k].get("2"), list)
        and isinstance(history[k].get("4"), list) for k in ("param_norm", "grad_norm")),
        'history["param_norm"] 与 history["grad_norm"] 中应有键 "2" 和 "4"。')
    same = all(history[k]["2"] == history[k]["4"] and len(history[k]["2"]) > 1 for k in ("param_norm", "grad_norm"))
    expect(r.still_tied and same,
           "训练中下标 2 和 4 的参数范数或梯度范数出现了差别，说明两个位置并不是同一个共享层。"
           "提示：make_shared_mlp 要把同一个层对象放在两个位置，而不是两个数值相同的层。")
