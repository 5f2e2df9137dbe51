"""One ReLU object reused at every activation position; the shared layer declared after the
output layer; untied_copy with a fresh memo dict per block; a loop that zeroes gradients at the
end of each step and records before zeroing; gradients summed by hand over set(parameters)."""
# %% make_tied_net_answer
def make_tied_net():
    act = nn.ReLU()
    last = nn.Linear(8, 1)
    shared = nn.Linear(8, 8)
    first = nn.Linear(4, 8)
    return nn.Sequential(first, act, shared, act, shared, act, last)

# %% untied_copy_answer
def untied_copy(net):
    copies = []
    for i in range(len(net)):
        copies.append(copy.deepcopy(net[i], memo={}))
    return nn.Sequential(*copies)

# %% tied_grad_parts_answer
def tied_grad_parts(tied_net, untied_net, X):
    results = []
    for net, positions in ((tied_net, [2]), (untied_net, [2, 4])):
        for p in net.parameters():
            p.grad = None
        net(X).sum().backward()
        results += [net[i].weight.grad.clone() for i in positions]
    return tuple(results)

# %% param_summary_answer
def param_summary(net):
    distinct = set(net.parameters())
    count = 0
    for t in distinct:
        count += t.numel()
    return {"tensors": len(distinct), "state_keys": len(net.state_dict()), "scalars": count}

# %% train_shared_answer
def make_shared_mlp(num_hiddens=64):
    act = nn.ReLU()
    shared = nn.Linear(num_hiddens, num_hiddens)
    return nn.Sequential(nn.Linear(64, num_hiddens), act, shared, act, shared, act, nn.Linear(num_hiddens, 10))


def train_shared(num_epochs=10, lr=0.2, batch_size=64, num_hiddens=64, seed=0):
    torch.manual_seed(seed)
    net = make_shared_mlp(num_hiddens)
    X_all, y_all, _, _ = load_digits_split()
    ce = nn.CrossEntropyLoss()
    rng = torch.Generator().manual_seed(seed)
    history = {"loss": [], "param_norm": {}, "grad_norm": {}}
    for key in ("0", "2", "4", "6"):
        history["param_norm"][key] = []
        history["grad_norm"][key] = []
    n = len(X_all)
    steps_per_epoch = math.ceil(n / batch_size)
    net.zero_grad()
    for epoch in range(num_epochs):
        order = torch.randperm(n, generator=rng)
        for step in range(steps_per_epoch):
            rows = order[step * batch_size:(step + 1) * batch_size]
            out = net(X_all[rows])
            loss = ce(out, y_all[rows])
            loss.backward()
            with torch.no_grad():
                for p in set(net.parameters()):
                    p.sub_(lr * p.grad)
            history["loss"].append(loss.item())
            for key in ("0", "2", "4", "6"):
                w = net[int(key)].weight
                history["param_norm"][key].append(w.norm().item())
                history["grad_norm"][key].append(w.grad.norm().item())
            net.zero_grad()
    return net, history
