"""The book's try_gpu / try_all_gpus pasted as they are (device_count() >= i + 1 and a list
comprehension), `.cuda(i)` / `.cpu()` in to_device, the counts made with torch.linspace on the
input's device, the log collected with torch.stack over a generator, a GPU count read once as a
default argument."""
# %% try_gpu_answer
def try_gpu(i=0):  #@save
    """如果存在，则返回gpu(i)，否则返回cpu()"""
    if torch.cuda.device_count() >= i + 1:
        return torch.device(f'cuda:{i}')
    return torch.device('cpu')


def try_all_gpus(count=torch.cuda.device_count()):  #@save
    """返回所有可用的GPU，如果没有GPU，则返回[cpu(),]"""
    devices = [torch.device(f'cuda:{i}') for i in range(count)]
    return devices if devices else [torch.device('cpu')]
# %% to_device_answer
def to_device(data, device):
    if isinstance(data, torch.Tensor):
        if device.type == 'cuda':
            return data.cuda(device)
        if device.type == 'cpu':
            return data.cpu()
        return data.to(device)
    if isinstance(data, (list, tuple)):
        return type(data)([to_device(x, device) for x in data])
    if isinstance(data, dict):
        return {k: to_device(v, device) for k, v in data.items()}
    return data
# %% prefix_mean_answer
class PrefixMean(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.linear = nn.Linear(in_features=n, out_features=n)

    def forward(self, X):
        H = self.linear(X)
        n = H.shape[1]
        counts = torch.linspace(1, n, n, device=H.device, dtype=H.dtype)
        return H.cumsum(1).div(counts)
# %% norms_answer
def norms_item(mats):
    log = []
    for M in mats:
        log.append(torch.linalg.norm(M @ M).item())
    return log


def norms_on_device(mats):
    return torch.stack(tuple(torch.linalg.norm(M.mm(M)) for M in mats))
