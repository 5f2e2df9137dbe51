"""Wrong answers for 08_gpu, including the classic device pitfalls."""
MUTANTS = {
    # Off by one: with i GPUs there is no cuda:i (numbering starts at 0).
    "try_devices": [("try_gpu_answer", "torch.cuda.device_count() >= i + 1", "torch.cuda.device_count() >= i")],
    # Guessing from the devices misses the 0-dim CPU tensor exception.
    "mismatch_error": [("raises_on_mismatch_answer",
                        "try:\n        a + b\n    except RuntimeError:\n        return True\n    return False",
                        "return a.device != b.device")],
    # Always copying: a tensor already on the device is no longer returned as itself.
    "to_device_identity": [("to_device_answer", "return data.to(device)", "return data.clone().to(device)")],
    # A tensor created in forward without device= stays on the CPU.
    "model_on_device": [("prefix_mean_answer", "device=H.device, dtype=H.dtype", "dtype=H.dtype")],
    # No map_location: a file saved on a GPU cannot be read on a CPU-only machine.
    "load_on_device": [("load_to_answer", "torch.load(file, map_location=device)", "torch.load(file)")],
    # Timing asynchronous GPU work without synchronizing measures only the queueing.
    "benchmark_sync": [("benchmark_answer", "on_cuda = device.type == 'cuda'", "on_cuda = False")],
    # The "on-device" log that still calls .item() at every step.
    "log_on_device": [("norms_answer", "log = [torch.linalg.norm(M @ M) for M in mats]\n    return torch.stack(log)",
                       "log = [torch.linalg.norm(M @ M).item() for M in mats]\n    return torch.tensor(log)")],
    # Both products on the first device: the second GPU is never used.
    "two_devices": [("two_devices_answer", "second = devices[1] if len(devices) > 1 else devices[0]",
                     "second = devices[0]")],
}
