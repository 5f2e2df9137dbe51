"""Named Sequentials built from OrderedDicts (state_dict keys are names, not 0..6; the
positions are still 0..6); untied_copy keeps the names by walking net._modules, which, unlike
named_children(), lists a shared block at each of its positions."""
# %% make_tied_net_answer
from collections import OrderedDict


def make_tied_net():
    shared = nn.Linear(8, 8)
    return nn.Sequential(OrderedDict([
        ("inp", nn.Linear(4, 8)), ("act1", nn.ReLU()),
        ("shared_a", shared), ("act2", nn.ReLU()),
        ("shared_b", shared), ("act3", nn.ReLU()),
        ("out", nn.Linear(8, 1)),
    ]))

# %% untied_copy_answer
from collections import OrderedDict


def untied_copy(net):
    return nn.Sequential(OrderedDict((name, copy.deepcopy(block)) for name, block in net._modules.items()))

# %% tied_grad_parts_answer
def tied_grad_parts(tied_net, untied_net, X):
    tied_net.zero_grad(set_to_none=False)
    untied_net.zero_grad(set_to_none=False)
    tied_net(X).sum().backward()
    untied_net(X).sum().backward()
    parts = [tied_net[2].weight.grad, untied_net[2].weight.grad, untied_net[4].weight.grad]
    return tuple(g.clone() for g in parts)

# %% param_summary_answer
def param_summary(net):
    params = list(net.parameters())
    state = net.state_dict()
    return {"scalars": sum([p.numel() for p in params]), "tensors": len(params), "state_keys": len(state)}

# %% train_shared_answer
from collections import OrderedDict


def make_shared_mlp(num_hiddens=64):
    shared = nn.Linear(num_hiddens, num_hiddens)
    return nn.Sequential(OrderedDict([
        ("inp", nn.Linear(64, num_hiddens)), ("act1", nn.ReLU()),
        ("hid_a", shared), ("act2", nn.ReLU()),
        ("hid_b", shared), ("act3", nn.ReLU()),
        ("out", nn.Linear(num_hiddens, 10)),
    ]))


def train_shared(num_epochs=10, lr=0.2, batch_size=64, num_hiddens=64, seed=0):
    torch.manual_seed(seed)
    net = make_shared_mlp(num_hiddens)
    features, labels, _, _ = load_digits_split()
    loss = nn.CrossEntropyLoss()
    trainer = torch.optim.SGD(net.parameters(), lr=lr)
    g = torch.Generator().manual_seed(seed)
    names = [str(i) for i in range(len(net)) if isinstance(net[i], nn.Linear)]
    history = {"loss": [], "param_norm": {n: [] for n in names}, "grad_norm": {n: [] for n in names}}
    for epoch in range(num_epochs):
        idx = torch.randperm(features.shape[0], generator=g)
        for batch in torch.split(idx, batch_size):
            trainer.zero_grad()
            l = loss(net(features[batch]), labels[batch])
            l.backward()
            trainer.step()
            history["loss"].append(l.item())
            for n in names:
                layer = net[int(n)]
                history["param_norm"][n].append(layer.weight.detach().norm().item())
                history["grad_norm"][n].append(layer.weight.grad.norm().item())
    return net, history
