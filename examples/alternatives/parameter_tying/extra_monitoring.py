"""Monitors more than asked: training accuracy after every epoch through evaluate_accuracy (under
no_grad, so not a training forward pass), a defaultdict history, numpy-free norms via
torch.norm, torch.optim.SGD with zero_grad after the step; the tied net is indexed through
a list comprehension; param_summary with map(torch.numel, ...)."""
# %% make_tied_net_answer
def make_tied_net():
    sizes = [(4, 8), "relu", "shared", "relu", "shared", "relu", (8, 1)]
    shared = nn.Linear(8, 8)
    return nn.Sequential(*[shared if s == "shared" else nn.ReLU() if s == "relu" else nn.Linear(*s) for s in sizes])

# %% untied_copy_answer
def untied_copy(net):
    return nn.Sequential(*(copy.deepcopy(net[i]) for i in range(len(net))))

# %% tied_grad_parts_answer
def tied_grad_parts(tied_net, untied_net, X):
    tied_net.zero_grad()
    tied_net(X).sum().backward()
    tied = tied_net[2].weight.grad.detach().clone()
    untied_net.zero_grad()
    untied_net(X).sum().backward()
    return tied, untied_net[2].weight.grad.detach().clone(), untied_net[4].weight.grad.detach().clone()

# %% param_summary_answer
def param_summary(net):
    params = list(net.parameters())
    return {"tensors": len(params), "state_keys": len(net.state_dict()), "scalars": sum(map(torch.numel, params))}

# %% train_shared_answer
from collections import defaultdict


def make_shared_mlp(num_hiddens=64):
    shared = nn.Linear(num_hiddens, num_hiddens)
    return nn.Sequential(nn.Linear(64, num_hiddens), nn.ReLU(), shared, nn.ReLU(), shared, nn.ReLU(),
                         nn.Linear(num_hiddens, 10))


def train_shared(num_epochs=10, lr=0.2, batch_size=64, num_hiddens=64, seed=0):
    torch.manual_seed(seed)
    net = make_shared_mlp(num_hiddens)
    X, y, _, _ = load_digits_split()
    opt = torch.optim.SGD(net.parameters(), lr=lr)
    g = torch.Generator().manual_seed(seed)
    history = {"loss": [], "param_norm": defaultdict(list), "grad_norm": defaultdict(list)}
    train_acc = []
    for epoch in range(num_epochs):
        perm = torch.randperm(len(X), generator=g)
        for i in range(0, len(X), batch_size):
            idx = perm[i:i + batch_size]
            loss = nn.CrossEntropyLoss()(net(X[idx]), y[idx])
            loss.backward()
            opt.step()
            history["loss"].append(loss.item())
            for pos in (0, 2, 4, 6):
                history["param_norm"][str(pos)].append(torch.norm(net[pos].weight).item())
                history["grad_norm"][str(pos)].append(torch.norm(net[pos].weight.grad).item())
            opt.zero_grad()
        train_acc.append(evaluate_accuracy(net, X, y))
    return net, history
