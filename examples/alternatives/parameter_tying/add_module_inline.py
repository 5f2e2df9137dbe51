"""add_module with string names; train_shared builds its network inline (creation order
differs from make_shared_mlp) and trains with a while loop, zero_grad(set_to_none=True), the
optimizer's own zero_grad and torch.no_grad() only around the recording; untied_copy through a
state_dict round trip into per-position deep copies."""
# %% make_tied_net_answer
def make_tied_net():
    net = nn.Sequential()
    shared = nn.Linear(8, 8)
    net.add_module("0", nn.Linear(4, 8))
    net.add_module("1", nn.ReLU())
    net.add_module("2", shared)
    net.add_module("3", nn.ReLU())
    net.add_module("4", shared)
    net.add_module("5", nn.ReLU())
    net.add_module("6", nn.Linear(8, 1))
    return net

# %% untied_copy_answer
def untied_copy(net):
    twin = nn.Sequential(*[copy.deepcopy(net[i]) for i in range(len(net))])
    twin.load_state_dict({k: v.clone() for k, v in net.state_dict().items()})
    return twin

# %% tied_grad_parts_answer
def tied_grad_parts(tied_net, untied_net, X):
    tied_net.zero_grad(set_to_none=True)
    loss = tied_net(X).sum()
    loss.backward()
    tied = tied_net[2].weight.grad.detach().clone()
    untied_net.zero_grad(set_to_none=True)
    untied_net(X).sum().backward()
    first = untied_net[2].weight.grad.detach().clone()
    second = untied_net[4].weight.grad.detach().clone()
    return [tied, first, second]

# %% param_summary_answer
def param_summary(net):
    seen = []
    for p in net.parameters():
        if not any(p is q for q in seen):
            seen.append(p)
    return {"tensors": len(seen), "state_keys": len(net.state_dict()),
            "scalars": sum(int(torch.tensor(p.shape).prod()) for p in seen)}

# %% train_shared_answer
def make_shared_mlp(num_hiddens=64):
    net = nn.Sequential()
    shared = nn.Linear(num_hiddens, num_hiddens)
    net.add_module("0", nn.Linear(64, num_hiddens))
    net.add_module("1", nn.ReLU())
    net.add_module("2", shared)
    net.add_module("3", nn.ReLU())
    net.add_module("4", shared)
    net.add_module("5", nn.ReLU())
    net.add_module("6", nn.Linear(num_hiddens, 10))
    return net


def train_shared(num_epochs=10, lr=0.2, batch_size=64, num_hiddens=64, seed=0):
    torch.manual_seed(seed)
    out = nn.Linear(num_hiddens, 10)
    hidden = nn.Linear(num_hiddens, num_hiddens)
    net = nn.Sequential(nn.Linear(64, num_hiddens), nn.ReLU(), hidden, nn.ReLU(), hidden, nn.ReLU(), out)
    data, target = X_train, y_train   # the training set of load_digits_split(), computed above
    opt = torch.optim.SGD(net.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    g = torch.Generator().manual_seed(seed)
    history = {"loss": [], "param_norm": {"0": [], "2": [], "4": [], "6": []},
               "grad_norm": {"0": [], "2": [], "4": [], "6": []}}
    epoch = 0
    while epoch < num_epochs:
        order = torch.randperm(len(data), generator=g)
        start = 0
        while start < len(data):
            idx = order[start:start + batch_size]
            opt.zero_grad(set_to_none=True)
            l = loss_fn(net(data[idx]), target[idx])
            l.backward()
            opt.step()
            with torch.no_grad():
                history["loss"].append(l.item())
                for key, values in history["param_norm"].items():
                    values.append(net[int(key)].weight.norm().item())
                    history["grad_norm"][key].append(net[int(key)].weight.grad.norm().item())
            start += batch_size
        epoch += 1
    return net, history
