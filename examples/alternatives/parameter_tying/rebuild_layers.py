"""Rebuilds every layer instead of copying: untied_copy makes a new nn.Linear per position and
loads the values (other blocks are deep-copied); training writes the SGD update by hand on
.data, as the book does, uses F.cross_entropy and permutes the tensors before slicing."""
# %% make_tied_net_answer
def make_tied_net():
    net = nn.Sequential()
    hidden = nn.Linear(8, 8)
    for block in (nn.Linear(4, 8), nn.ReLU(), hidden, nn.ReLU(), hidden, nn.ReLU(), nn.Linear(8, 1)):
        net.append(block)
    return net

# %% untied_copy_answer
def untied_copy(net):
    blocks = []
    for block in net:
        if isinstance(block, nn.Linear):
            fresh = nn.Linear(block.in_features, block.out_features, bias=block.bias is not None)
            fresh.load_state_dict(block.state_dict())
            blocks.append(fresh)
        else:
            blocks.append(copy.deepcopy(block))
    return nn.Sequential(*blocks)

# %% tied_grad_parts_answer
def tied_grad_parts(tied_net, untied_net, X):
    for net in (tied_net, untied_net):
        for p in net.parameters():
            p.grad = None
        loss = net(X).sum()
        loss.backward()
    return (tied_net[4].weight.grad.detach().clone(),
            untied_net[2].weight.grad.detach().clone(),
            untied_net[4].weight.grad.detach().clone())

# %% param_summary_answer
def param_summary(net):
    n_tensors, n_scalars = 0, 0
    for name, p in net.named_parameters():
        n_tensors += 1
        n_scalars += p.numel()
    return {"tensors": n_tensors, "state_keys": len(list(net.state_dict())), "scalars": n_scalars}

# %% train_shared_answer
import torch.nn.functional as F


def make_shared_mlp(num_hiddens=64):
    blocks = [nn.Linear(64, num_hiddens), nn.ReLU()]
    shared = nn.Linear(num_hiddens, num_hiddens)
    blocks += [shared, nn.ReLU(), shared, nn.ReLU(), nn.Linear(num_hiddens, 10)]
    return nn.Sequential(*blocks)


def train_shared(num_epochs=10, lr=0.2, batch_size=64, num_hiddens=64, seed=0):
    torch.manual_seed(seed)
    net = make_shared_mlp(num_hiddens=num_hiddens)
    X, y, _, _ = load_digits_split()
    gen = torch.Generator()
    gen.manual_seed(seed)
    positions = [i for i, m in enumerate(net) if isinstance(m, nn.Linear)]
    history = {"loss": [], "param_norm": {}, "grad_norm": {}}
    for i in positions:
        history["param_norm"][str(i)] = []
        history["grad_norm"][str(i)] = []
    n = X.shape[0]
    for epoch in range(num_epochs):
        perm = torch.randperm(n, generator=gen)
        X_epoch, y_epoch = X[perm], y[perm]
        for i in range(0, n, batch_size):
            Xb, yb = X_epoch[i:i + batch_size], y_epoch[i:i + batch_size]
            for p in net.parameters():
                if p.grad is not None:
                    p.grad.zero_()
            loss = F.cross_entropy(net(Xb), yb)
            loss.backward()
            for p in net.parameters():
                p.data -= lr * p.grad.data
            history["loss"].append(loss.item())
            for i_ in positions:
                history["param_norm"][str(i_)].append(float(net[i_].weight.norm()))
                history["grad_norm"][str(i_)].append(float(net[i_].weight.grad.norm()))
    return net, history
