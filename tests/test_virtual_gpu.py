"""The virtual GPUs that 08_gpu's checks use (autograder/virtual_gpu.py) follow CUDA's rules."""
import pytest
import torch
from torch import nn

from autograder.virtual_gpu import VirtualGPU


def test_devices_are_tags():
    with VirtualGPU():
        a = torch.ones(2, device="cuda:1")
        b = torch.zeros(3, device=torch.device("cuda"))
        c = torch.ones(2)
        assert a.device == torch.device("cuda:1") and a.is_cuda and not a.is_cpu and a.get_device() == 1
        assert str(b.device) == "cuda:0" and b.get_device() == 0
        assert c.device == torch.device("cpu") and not c.is_cuda and c.get_device() == -1
        assert str((a * 2).device) == "cuda:1" and str(a.reshape(1, 2).T.device) == "cuda:1" and str(a[0].device) == "cuda:1"
    # the data never left the CPU
    assert a.device.type == "cpu" and torch.equal(a, torch.ones(2))


def test_norm():
    assert [VirtualGPU.norm(d) for d in (2, "cuda", "cuda:1", torch.device("cuda", 3), "cpu", "meta")] == \
        ["cuda:2", "cuda:0", "cuda:1", "cuda:3", "cpu", "meta"]


def test_one_device_per_op():
    with VirtualGPU():
        g0, g1 = torch.ones(2, device="cuda:0"), torch.ones(2, device="cuda:1")
        for a, b in [(g0, g1), (torch.ones(2), g0), (g1, torch.ones(1)), (torch.tensor(1.0, device="cuda:0"), torch.ones(2))]:
            with pytest.raises(RuntimeError, match="same device"):
                a + b
        with pytest.raises(RuntimeError, match="same device"):
            torch.stack([g0, g1])
        # 0-dim CPU tensors may meet any device, as on CUDA
        assert str((torch.tensor(2.0) + g1).device) == "cuda:1"
        assert str((g0 * torch.tensor(3.0)).device) == "cuda:0"
        assert str((torch.tensor(2.0) + torch.tensor(1.0)).device) == "cpu"
        assert str((g1 + g1).device) == "cuda:1"


def test_to_returns_the_tensor_itself_when_already_there():
    with VirtualGPU():
        x = torch.ones(2)
        assert x.to("cpu") is x and x.cpu() is x and x.to(torch.device("cpu")) is x
        g = x.to("cuda:1")
        assert g is not x and str(g.device) == "cuda:1" and str(x.device) == "cpu"
        assert g.to("cuda:1") is g and g.cuda(1) is g and g.to(device=torch.device("cuda:1")) is g and g.to(g) is g
        h = g.cuda(0)
        assert h is not g and str(h.device) == "cuda:0" and str(g.device) == "cuda:1"
        assert str(x.cuda().device) == "cuda:0"
        d = g.to("cuda:1", torch.float64)
        assert d is not g and d.dtype == torch.float64 and str(d.device) == "cuda:1"
        assert str(x.type_as(g).device) == "cuda:1"


def test_host_copies_are_counted():
    with VirtualGPU() as judge:
        g = torch.arange(3.0, device="cuda:0")
        s = g.sum()
        (g * 2).sum()
        torch.stack([s, s])
        assert judge.transfers == 0
        s.item()
        g.tolist()
        g.cpu()
        float(s)
        str(g)
        assert judge.transfers == 5
        torch.tensor([s, s])  # each GPU scalar read back
        assert judge.transfers == 7
        torch.ones(2).cpu()
        torch.ones(1).item()
        assert judge.transfers == 7  # CPU tensors cost nothing


def test_modules_move_and_compute_on_their_device():
    with VirtualGPU():
        net = nn.Linear(3, 2).to(torch.device("cuda:1"))
        assert {str(p.device) for p in net.parameters()} == {"cuda:1"}
        X = torch.randn(4, 3).to("cuda:1").requires_grad_()
        y = net(X)
        assert str(y.device) == "cuda:1" and y.shape == (4, 2)
        y.sum().backward()
        assert str(X.grad.device) == "cuda:1" and str(net.weight.grad.device) == "cuda:1"
        with pytest.raises(RuntimeError, match="same device"):
            net(torch.randn(4, 3))
