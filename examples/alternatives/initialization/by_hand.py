"""Every initialiser written by hand instead of nn.init: in-place tensor methods under no_grad
(normal_, zero_, fill_, uniform_ with Xavier's bound computed from in_features/out_features),
my_init by boolean indexing, the Kaiming and Xavier formulas with torch.randn / torch.rand, an
orthogonal matrix from a QR decomposition, a truncated normal by rejection sampling, the
LeakyReLU gain from its formula."""

# %% builtin_init_answer
def init_normal(m):
    if isinstance(m, nn.Linear):
        with torch.no_grad():
            m.weight.normal_(0, 0.01)
            m.bias.zero_()


def init_constant(m):
    if isinstance(m, nn.Linear):
        with torch.no_grad():
            m.weight.fill_(1.0)
            m.bias.fill_(0.0)

# %% per_block_answer
def init_xavier(m):
    if isinstance(m, nn.Linear):
        bound = math.sqrt(6.0 / (m.in_features + m.out_features))
        with torch.no_grad():
            m.weight.uniform_(-bound, bound)


def init_42(m):
    if isinstance(m, nn.Linear):
        with torch.no_grad():
            m.weight.fill_(42)

# %% my_init_answer
def my_init(m):
    if isinstance(m, nn.Linear):
        with torch.no_grad():
            m.weight.uniform_(-10, 10)
            m.weight[m.weight.abs() < 5] = 0

# %% edit_first_layer_answer
def edit_first_layer(net):
    weight = net[0].weight
    with torch.no_grad():
        weight.add_(1)
        weight[0][0] = 42

# %% kaiming_answer
def relu_normal(shape):
    fan_in = shape[1]
    return torch.randn(shape) * math.sqrt(2 / fan_in)


def relu_uniform_fan_out(shape):
    fan_out = shape[0]
    bound = math.sqrt(3) * math.sqrt(2) / math.sqrt(fan_out)
    return (torch.rand(shape) * 2 - 1) * bound

# %% orthogonal_trunc_answer
def orthogonal_weight(rows, cols, gain=1.0):
    q, r = torch.linalg.qr(torch.randn(max(rows, cols), min(rows, cols)))
    q = q * torch.sign(torch.diagonal(r))  # a uniformly random orthogonal matrix
    if rows < cols:
        q = q.T
    return gain * q


def truncated_weight(shape, std):
    w = torch.randn(shape) * std
    outside = w.abs() > 2 * std
    while outside.any():  # draw the rejected ones again until all lie in [-2std, 2std]
        w[outside] = torch.randn(int(outside.sum())) * std
        outside = w.abs() > 2 * std
    return w

# %% gain_xavier_answer
def leaky_gain(slope):
    return math.sqrt(2 / (1 + slope ** 2))


def tanh_xavier(shape):
    fan_out, fan_in = shape
    std = 5 / 3 * math.sqrt(2 / (fan_in + fan_out))
    return torch.randn(shape) * std
