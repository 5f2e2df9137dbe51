"""Wrong answers for 07_file_io, including the pitfalls the notebook teaches."""
MUTANTS = {
    "save_rows": {
        # A slice is a view: torch.save writes the whole underlying storage.
        "view": [("save_rows_answer", "data[:k].clone()", "data[:k]")],
        # .contiguous() copies only what is not contiguous already: a row slice is, so it stays a view.
        "contiguous": [("save_rows_answer", "data[:k].clone()", "data[:k].contiguous()")],
        # The first k columns instead of rows.
        "columns": [("save_rows_answer", "data[:k].clone()", "data[:, :k].clone()")],
        "off_by_one": [("save_rows_answer", "data[:k].clone()", "data[:k + 1].clone()")],
        # A fixed file name instead of the path it was given.
        "fixed_path": [("save_rows_answer", "torch.save(data[:k].clone(), path)",
                        'torch.save(data[:k].clone(), "first_rows.pt")')],
        # Converts to float32: the int64 and float64 rows come back with another dtype.
        "float": [("save_rows_answer", "data[:k].clone()", "data[:k].float().clone()")],
        # Assumes data is contiguous: view(-1) fails on a transposed data, whose rows are not contiguous.
        "flat_prefix": [("save_rows_answer", "data[:k].clone()",
                         "data.view(-1)[: k * data.shape[1]].view(k, -1).clone()")],
    },
    "mlp_clone": {
        # The clone keeps its random initialisation: nothing was loaded.
        "no_load": [("params_answer", "clone.load_state_dict(torch.load(path))", "pass")],
        "no_eval": [("params_answer", "return clone.eval()", "return clone")],
        # Only the top module's flag: clone.hidden and clone.output still say training.
        "top_flag_only": [("params_answer", "return clone.eval()", "clone.training = False\n    return clone")],
        # The notebook's global net instead of the file at path.
        "global_net": [("params_answer", "clone.load_state_dict(torch.load(path))",
                        "clone.load_state_dict(net.state_dict())")],
        # The whole module pickled, loaded back with the protection off.
        "whole_model": [("params_answer", "torch.save(net.state_dict(), path)", "torch.save(net, path)"),
                        ("params_answer", "clone = MLP()\n    clone.load_state_dict(torch.load(path))",
                         "clone = torch.load(path, weights_only=False)")],
        # Switches the net being saved to evaluation mode: a side effect on its argument.
        "eval_on_save": [("params_answer", "torch.save(net.state_dict(), path)",
                          "torch.save(net.eval().state_dict(), path)")],
    },
    "tensors_identical": {
        # The book's `==`: elementwise and broadcasting, so (2, 1) vs (1, 2) ones look "equal".
        "eq_all": [("identical_answer", "torch.equal(a, b)", "bool((a == b).all())")],
        # Close is not identical: one unit in the last place passes allclose.
        "allclose": [("identical_answer", "torch.equal(a, b)", "a.shape == b.shape and torch.allclose(a, b)")],
        # Returns a tensor whenever the shapes match.
        "tensor_result": [("identical_answer", "torch.equal(a, b)", "a.shape == b.shape and (a == b).all()")],
        # Same number of elements is not the same shape.
        "numel": [("identical_answer", "torch.equal(a, b)",
                   "a.numel() == b.numel() and torch.equal(a.flatten(), b.flatten())")],
    },
    "map_to_cpu": {
        # No map_location: a cuda:0 checkpoint fails on a CPU-only grader, lands on the GPU on a CUDA one.
        "no_map_location": [("load_on_cpu_answer", 'map_location="cpu", ', "")],
        # Maps only cuda:0: a checkpoint saved on cuda:1 still wants its GPU.
        "cuda0_only": [("load_on_cpu_answer", 'map_location="cpu"', 'map_location={"cuda:0": "cpu"}')],
        # "cuda" is not a location tag: the file says cuda:0 or cuda:1.
        "cuda_key": [("load_on_cpu_answer", 'map_location="cpu"', 'map_location={"cuda": "cpu"}')],
    },
    "weights_only_refuses": {
        # Turning the protection off runs the code inside the pickle.
        "weights_only_false": [("load_on_cpu_answer", "weights_only=True", "weights_only=False")],
        # The notebook's allow-list, kept inside load_on_cpu: a whole nn.Sequential now loads.
        "allow_list": [("load_on_cpu_answer", 'return torch.load(path, map_location="cpu", weights_only=True)',
                        "with torch.serialization.safe_globals([nn.Sequential, nn.Linear, nn.ReLU]):\n"
                        '        return torch.load(path, map_location="cpu", weights_only=True)')],
        # The refusal swallowed: the caller gets None instead of an error.
        "swallowed": [("load_on_cpu_answer", 'return torch.load(path, map_location="cpu", weights_only=True)',
                       "try:\n"
                       '        return torch.load(path, map_location="cpu", weights_only=True)\n'
                       "    except Exception:\n"
                       "        return None")],
        # Falls back to the unsafe loader when the safe one refuses: the code runs.
        "fallback": [("load_on_cpu_answer", 'return torch.load(path, map_location="cpu", weights_only=True)',
                      "try:\n"
                      '        return torch.load(path, map_location="cpu", weights_only=True)\n'
                      "    except Exception:\n"
                      '        return torch.load(path, map_location="cpu", weights_only=False)')],
    },
    "checkpoint_resume": {
        # Only the model is checkpointed: momentum / Adam moments restart from zero.
        "no_optimizer_saved": [("checkpoint_answer", '"optimizer": optimizer.state_dict(), ', "")],
        "no_optimizer_loaded": [("checkpoint_answer", 'optimizer.load_state_dict(checkpoint["optimizer"])', "pass")],
        # Parameters only: the BatchNorm running statistics are lost (and strict loading fails).
        "parameters_only": [("checkpoint_answer", '"model": model.state_dict()',
                             '"model": dict(model.named_parameters())'),
                            ("checkpoint_answer", 'model.load_state_dict(checkpoint["model"])',
                             'model.load_state_dict(checkpoint["model"], strict=False)')],
        # The epoch stored as a tensor: `tensor(37) == 37` is truthy, but it is not the int saved.
        "epoch_tensor": [("checkpoint_answer", '"epoch": epoch}', '"epoch": torch.tensor(epoch)}')],
        # "Resume from the next epoch": not what was saved.
        "epoch_plus_one": [("checkpoint_answer", 'return checkpoint["epoch"]', 'return checkpoint["epoch"] + 1')],
        # Whole objects pickled: the checkpoint no longer loads with weights_only=True.
        "whole_objects": [("checkpoint_answer", '"model": model.state_dict(), "optimizer": optimizer.state_dict()',
                           '"model": model, "optimizer": optimizer'),
                          ("checkpoint_answer", 'checkpoint = torch.load(path, map_location="cpu")',
                           'checkpoint = torch.load(path, map_location="cpu", weights_only=False)'),
                          ("checkpoint_answer", 'model.load_state_dict(checkpoint["model"])',
                           'model.load_state_dict(checkpoint["model"].state_dict())'),
                          ("checkpoint_answer", 'optimizer.load_state_dict(checkpoint["optimizer"])',
                           'optimizer.load_state_dict(checkpoint["optimizer"].state_dict())')],
    },
    "save_reasons": {
        "extra_E": [("save_reasons_answer", '{"A", "B", "C"}', '{"A", "B", "C", "E"}')],
        "missing_B": [("save_reasons_answer", '{"A", "B", "C"}', '{"A", "C"}')],
        # A list where the notebook asks for a set.
        "list": [("save_reasons_answer", '{"A", "B", "C"}', '["A", "B", "C"]')],
    },
    "reuse_first_two": {
        # strict=False on the whole net: no key matches, nothing is loaded, no error.
        "strict_false": [("reuse_answer", "new_net.features.load_state_dict(wanted)",
                          "new_net.load_state_dict(state, strict=False)")],
        # The old third layer copied into the head as well.
        "head_too": [("reuse_answer", "new_net.features.load_state_dict(wanted)",
                      "new_net.features.load_state_dict(wanted)\n"
                      '    new_net.head.load_state_dict({"weight": state["4.weight"], "bias": state["4.bias"]})')],
        # The notebook's global old_net instead of the file at path.
        "global_old_net": [("reuse_answer", "state = torch.load(path)", "state = old_net.state_dict()")],
        # Layers 0 and 1: but 1 is the ReLU, the second linear layer is 2.
        "layers_0_1": [("reuse_answer", '("0", "2")', '("0", "1")')],
        "not_returned": [("reuse_answer", "return new_net", "return None")],
    },
    "arch_saving": {
        "extra_E": [("arch_saving_answer", '{"B", "C"}', '{"B", "C", "E"}')],
        "missing_C": [("arch_saving_answer", '{"B", "C"}', '{"B"}')],
    },
}

# Mutants of `python -m autograder mutants 07_file_io` that behave as the notebook asks.
EQUIVALENT = {
    "checkpoint_answer:9:34:drop-kwarg.map_location":
        "5.1 saves and resumes on the same machine; it never asks load_checkpoint to move a checkpoint "
        "between devices (that is 4.1's load_on_cpu), and load_state_dict copies values onto the "
        "device the model's parameters are on anyway.",
}
