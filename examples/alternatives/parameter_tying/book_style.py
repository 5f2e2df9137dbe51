"""The book's own style: the shared layer exactly as in 5.2.3 (net[2] and net[4]), a d2l-like
data_iter generator for minibatches, sgd(params, lr, batch_size) written as in 3.2 with the
loss summed and divided by the batch size, and the quiz answer as a list."""
# %% make_tied_net_answer
def make_tied_net():
    # 我们需要给共享层一个名称，以便可以引用它的参数
    shared = nn.Linear(8, 8)
    net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(),
                        shared, nn.ReLU(),
                        shared, nn.ReLU(),
                        nn.Linear(8, 1))
    return net

# %% untied_copy_answer
def untied_copy(net):
    new_blocks = list(map(copy.deepcopy, list(net)))
    return nn.Sequential(*new_blocks)

# %% tied_grad_parts_answer
def tied_grad_parts(tied_net, untied_net, X):
    out = []
    for net in [tied_net, untied_net]:
        for param in net.parameters():
            if param.grad is not None:
                param.grad.data.zero_()
        l = net(X).sum()
        l.backward()
        out.append(net[2].weight.grad.clone())
        if net is untied_net:
            out.append(net[4].weight.grad.clone())
    return tuple(out)

# %% param_summary_answer
def param_summary(net):
    return {
        "tensors": len(list(net.parameters())),
        "state_keys": len(net.state_dict().keys()),
        "scalars": sum(param.numel() for param in net.parameters()),
    }

# %% sharing_quiz_answer
SHARING_TRUE = ["B", "C", "E", "F"]

# %% train_shared_answer
def make_shared_mlp(num_hiddens=64):
    shared = nn.Linear(num_hiddens, num_hiddens)
    net = nn.Sequential(nn.Linear(64, num_hiddens), nn.ReLU(),
                        shared, nn.ReLU(),
                        shared, nn.ReLU(),
                        nn.Linear(num_hiddens, 10))
    return net


def data_iter(batch_size, features, labels, generator):
    num_examples = len(features)
    indices = torch.randperm(num_examples, generator=generator)
    for i in range(0, num_examples, batch_size):
        batch_indices = indices[i: min(i + batch_size, num_examples)]
        yield features[batch_indices], labels[batch_indices]


def sgd(params, lr, batch_size):
    """小批量随机梯度下降"""
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


def train_shared(num_epochs=10, lr=0.2, batch_size=64, num_hiddens=64, seed=0):
    torch.manual_seed(seed)
    net = make_shared_mlp(num_hiddens)
    features, labels, _, _ = load_digits_split()
    loss = nn.CrossEntropyLoss(reduction="none")
    generator = torch.Generator().manual_seed(seed)
    history = {"loss": [], "param_norm": {str(i): [] for i in (0, 2, 4, 6)},
               "grad_norm": {str(i): [] for i in (0, 2, 4, 6)}}
    for epoch in range(num_epochs):
        for X, y in data_iter(batch_size, features, labels, generator):
            l = loss(net(X), y)
            l.sum().backward()
            n = len(y)
            grad_norms = {k: (net[int(k)].weight.grad / n).norm().item() for k in history["grad_norm"]}
            sgd(net.parameters(), lr, n)
            history["loss"].append(l.mean().item())
            for k in history["param_norm"]:
                history["param_norm"][k].append(net[int(k)].weight.norm().item())
                history["grad_norm"][k].append(grad_norms[k])
    return net, history
