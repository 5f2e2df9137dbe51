"""Shorter and reordered: one-line nn.init calls in conditional expressions, bias before weight,
the xavier bound written with fan_in/fan_out from nn.init's own helper, my_init by multiplying
with a float mask and using masked_fill_, edit_first_layer by index_put_-style element assignment
through .data's item; shapes passed as *shape; the quiz answer as a frozenset."""

# %% builtin_init_answer
def init_normal(m):
    if type(m) is nn.Linear or isinstance(m, nn.Linear):
        nn.init.zeros_(m.bias)
        nn.init.normal_(m.weight, 0.0, 0.01)


def init_constant(m):
    if isinstance(m, nn.Linear):
        nn.init.zeros_(m.bias)
        nn.init.ones_(m.weight)

# %% per_block_answer
def init_xavier(m):
    if isinstance(m, nn.Linear):
        fan_in, fan_out = nn.init._calculate_fan_in_and_fan_out(m.weight)
        a = (6 / (fan_in + fan_out)) ** 0.5
        nn.init.uniform_(m.weight, -a, a)


def init_42(m):
    if isinstance(m, nn.Linear):
        nn.init.constant_(m.weight, 42)

# %% my_init_answer
def my_init(m):
    if isinstance(m, nn.Linear):
        with torch.no_grad():
            nn.init.uniform_(m.weight, a=-10.0, b=10.0)
            m.weight.masked_fill_(m.weight.abs() < 5, 0.0)

# %% edit_first_layer_answer
def edit_first_layer(net):
    with torch.no_grad():
        for row in net[0].weight:
            row += 1
        net[0].weight[0, 0] = 42

# %% no_grad_quiz_answer
NO_GRAD_FACTS = frozenset({"A", "C", "D", "E"})

# %% kaiming_answer
def relu_normal(shape):
    return nn.init.kaiming_normal_(torch.empty(*shape), mode="fan_in", nonlinearity="relu")


def relu_uniform_fan_out(shape):
    return nn.init.kaiming_uniform_(torch.empty(*shape), mode="fan_out", nonlinearity="relu")

# %% orthogonal_trunc_answer
def orthogonal_weight(rows, cols, gain=1.0):
    if rows <= cols:
        q, _ = torch.linalg.qr(torch.randn(cols, rows))
        w = q.T
    else:
        w, _ = torch.linalg.qr(torch.randn(rows, cols))
    return w * gain


def truncated_weight(shape, std):
    return nn.init.trunc_normal_(torch.empty(*shape), 0.0, std, -2 * std, 2 * std)

# %% gain_xavier_answer
def leaky_gain(slope):
    return nn.init.calculate_gain("leaky_relu", param=float(slope))


def tanh_xavier(shape):
    return nn.init.xavier_normal_(torch.empty(*shape), gain=nn.init.calculate_gain("tanh"))
