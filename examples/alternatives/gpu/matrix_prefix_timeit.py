"""PrefixMean as a matrix product with an upper-triangular averaging matrix made on the input's
device, timeit.default_timer as the clock and a while loop, the GPU count compared with `>`,
to_device with `type(data)(map(...))`, matmul_on_two unpacking the list."""
# %% try_gpu_answer
def try_gpu(i=0):
    count = torch.cuda.device_count()
    if count > i:
        return torch.device('cuda:' + str(i))
    else:
        return torch.device('cpu')


def try_all_gpus():
    count = torch.cuda.device_count()
    if count == 0:
        return [torch.device('cpu')]
    return list(map(try_gpu, range(count)))
# %% to_device_answer
def to_device(data, device):
    if torch.is_tensor(data):
        return data.to(device)
    if type(data) in (list, tuple):
        return type(data)(map(lambda item: to_device(item, device), data))
    if type(data) is dict:
        return {key: to_device(data[key], device) for key in data}
    return data
# %% prefix_mean_answer
class PrefixMean(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.linear = nn.Linear(n, n)

    def forward(self, X):
        H = self.linear(X)
        n = H.shape[-1]
        upper = torch.triu(torch.ones(n, n, device=X.device, dtype=X.dtype))
        counts = torch.arange(1, n + 1, device=X.device, dtype=X.dtype)
        return (H @ upper) / counts
# %% benchmark_answer
import timeit


def benchmark(f, device, repeat=10):
    is_gpu = device.type == 'cuda'
    f()
    if is_gpu:
        torch.cuda.synchronize(device)
    start = timeit.default_timer()
    k = 0
    while k < repeat:
        f()
        k += 1
    if is_gpu:
        torch.cuda.synchronize(device)
    stop = timeit.default_timer()
    elapsed = stop - start
    return elapsed / repeat
# %% two_devices_answer
def matmul_on_two(A, B, devices):
    first, *rest = devices
    second = rest[0] if rest else first
    A_on, B_on = A.to(first), B.to(second)
    return (torch.matmul(A_on, A_on), torch.mm(B_on, B_on))
