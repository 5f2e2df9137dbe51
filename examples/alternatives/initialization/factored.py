"""One helper factors the init functions (closures made by a factory, weight and bias rules
passed as functions); my_init as the mixture itself (a random sign, a U(5, 10) magnitude, a fair
coin for zero); kaiming's bound from calculate_gain; an orthogonal matrix as the polar factor of
an SVD; the truncated normal by inverse-CDF sampling; the quiz answer in another order."""

# %% builtin_init_answer
def _linear_init(weight_rule, bias_rule=None):
    def init(m):
        if isinstance(m, nn.Linear):
            with torch.no_grad():
                weight_rule(m.weight)
                if bias_rule is not None and m.bias is not None:
                    bias_rule(m.bias)
    return init


init_normal = _linear_init(lambda w: w.normal_(mean=0.0, std=0.01), lambda b: b.zero_())
init_constant = _linear_init(lambda w: w.fill_(1), lambda b: b.zero_())

# %% per_block_answer
init_xavier = _linear_init(nn.init.xavier_uniform_)
init_42 = _linear_init(lambda w: w.fill_(42))

# %% my_init_answer
def my_init(m):
    if isinstance(m, nn.Linear):
        shape = m.weight.shape
        magnitude = torch.empty(shape).uniform_(5, 10)
        sign = torch.randint(0, 2, shape) * 2 - 1
        keep = torch.rand(shape) < 0.5
        with torch.no_grad():
            m.weight[...] = magnitude * sign * keep

# %% edit_first_layer_answer
def edit_first_layer(net):
    with torch.no_grad():
        w = net[0].weight
        w.data.add_(torch.ones(w.shape))
        w[0, 0].fill_(42)

# %% no_grad_quiz_answer
NO_GRAD_FACTS = {"E", "D", "C", "A"}

# %% kaiming_answer
def relu_normal(shape):
    std = nn.init.calculate_gain("relu") / math.sqrt(shape[1])
    return torch.empty(shape).normal_(0, std)


def relu_uniform_fan_out(shape):
    bound = math.sqrt(3.0) * nn.init.calculate_gain("relu") / math.sqrt(shape[0])
    return torch.empty(shape).uniform_(-bound, bound)

# %% orthogonal_trunc_answer
def orthogonal_weight(rows, cols, gain=1.0):
    u, _, vh = torch.linalg.svd(torch.randn(rows, cols), full_matrices=False)
    return gain * (u @ vh)


def truncated_weight(shape, std):
    normal = torch.distributions.Normal(0.0, 1.0)
    low, high = normal.cdf(torch.tensor(-2.0)), normal.cdf(torch.tensor(2.0))
    u = low + (high - low) * torch.rand(shape)
    return (normal.icdf(u) * std).clamp(-2 * std, 2 * std)

# %% gain_xavier_answer
def leaky_gain(slope):
    return (2.0 / (1.0 + slope * slope)) ** 0.5


def tanh_xavier(shape):
    fan_in, fan_out = shape[1], shape[0]
    std = nn.init.calculate_gain("tanh") * (2.0 / (fan_in + fan_out)) ** 0.5
    w = torch.empty(shape)
    with torch.no_grad():
        w.normal_(0.0, std)
    return w
