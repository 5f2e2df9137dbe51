"""Comprehensions everywhere: untied_copy pickles each block separately through torch.save to
a BytesIO; tied_grad_parts reads the shared gradient at position 4; param_summary uses
named_parameters() and a data_ptr set; training keeps a dict of the linear layers and records
with weight.data.norm(); the SGD update loops over the optimizer's param_groups by hand."""
# %% make_tied_net_answer
def make_tied_net():
    hidden = nn.Linear(8, 8)
    return nn.Sequential(*[nn.Linear(4, 8), nn.ReLU()] + [m for _ in range(2) for m in (hidden, nn.ReLU())]
                         + [nn.Linear(8, 1)])

# %% untied_copy_answer
import io


def _fresh(block):
    buffer = io.BytesIO()
    torch.save(block, buffer)
    buffer.seek(0)
    return torch.load(buffer, weights_only=False)


def untied_copy(net):
    return nn.Sequential(*(_fresh(block) for block in net))

# %% tied_grad_parts_answer
def tied_grad_parts(tied_net, untied_net, X):
    grads = []
    for net in (tied_net, untied_net):
        net.zero_grad()
        net(X).sum().backward()
    return (tied_net[4].weight.grad.clone(), untied_net[2].weight.grad.clone(), untied_net[4].weight.grad.clone())

# %% param_summary_answer
def param_summary(net):
    ptrs = {p.data_ptr(): p.numel() for _, p in net.named_parameters()}
    return {"tensors": len(ptrs), "state_keys": len(net.state_dict()), "scalars": sum(ptrs.values())}

# %% train_shared_answer
def make_shared_mlp(num_hiddens=64):
    tied = nn.Linear(num_hiddens, num_hiddens)
    return nn.Sequential(*[nn.Linear(64, num_hiddens), nn.ReLU(), tied, nn.ReLU(), tied, nn.ReLU(),
                           nn.Linear(num_hiddens, 10)])


def train_shared(num_epochs=10, lr=0.2, batch_size=64, num_hiddens=64, seed=0):
    torch.manual_seed(seed)
    net = make_shared_mlp(num_hiddens)
    train_X, train_y = load_digits_split()[:2]
    layers = {str(i): m for i, m in enumerate(net) if isinstance(m, nn.Linear)}
    history = {"loss": [], "param_norm": {k: [] for k in layers}, "grad_norm": {k: [] for k in layers}}
    criterion = nn.CrossEntropyLoss()
    optim = torch.optim.SGD(net.parameters(), lr=lr)
    shuffle = torch.Generator().manual_seed(seed)
    for _ in range(num_epochs):
        perm = torch.randperm(train_X.shape[0], generator=shuffle)
        for rows in perm.split(batch_size):
            for p in net.parameters():
                p.grad = None
            loss = criterion(net(train_X[rows]), train_y[rows])
            loss.backward()
            with torch.no_grad():
                for group in optim.param_groups:
                    for p in group["params"]:
                        p.add_(p.grad, alpha=-group["lr"])
            history["loss"].append(loss.item())
            for k, m in layers.items():
                history["param_norm"][k].append(m.weight.data.norm().item())
                history["grad_norm"][k].append(m.weight.grad.data.norm().item())
    return net, history
