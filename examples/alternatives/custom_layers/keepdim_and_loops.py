"""keepdim variants: the mean over every dimension with keepdim=True; MyLinear with
torch.maximum against zeros; a slow but correct TensorReductionLayer with Python loops over
the output index and the quadratic form per output; mylinear_net from an OrderedDict."""
# %% centered_layer_answer
class CenteredLayer(nn.Module):
    def forward(self, X):
        return X - X.mean(dim=tuple(range(X.dim())), keepdim=True)
# %% my_linear_answer
class MyLinear(nn.Module):
    def __init__(self, in_units, units):
        super().__init__()
        self.weight = nn.Parameter(torch.normal(0.0, 1.0, size=(in_units, units)))
        self.bias = nn.Parameter(torch.normal(0.0, 1.0, size=(units,)))

    def forward(self, X):
        Z = X @ self.weight + self.bias
        return torch.maximum(Z, torch.zeros_like(Z))
# %% mylinear_net_answer
from collections import OrderedDict

mylinear_net = nn.Sequential(OrderedDict([("hidden", MyLinear(64, 8)), ("output", MyLinear(8, 1))]))
# %% tensor_reduction_answer
class TensorReductionLayer(nn.Module):
    def __init__(self, d, k):
        super().__init__()
        self.k = k
        self.weight = nn.Parameter(torch.randn(d, d, k))

    def forward(self, X):
        columns = []
        for t in range(self.k):
            A = self.weight[:, :, t]
            columns.append(((X @ A) * X).sum(dim=1))
        return torch.stack(columns, dim=1)
# %% fourier_layer_answer
class FourierLayer(nn.Module):
    def forward(self, X):
        full = torch.fft.fft(X, n=X.shape[-1], dim=X.dim() - 1)
        keep = X.shape[-1] // 2
        return full[..., :keep]
