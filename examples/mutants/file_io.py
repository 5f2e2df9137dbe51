"""Wrong answers for 07_file_io, including the pitfalls the notebook teaches."""
MUTANTS = {
    # A slice is a view: torch.save writes the whole underlying storage.
    "save_rows": [("save_rows_answer", "data[:k].clone()", "data[:k]")],
    # The clone keeps its random initialisation: nothing was loaded.
    "mlp_clone": [("params_answer", "clone.load_state_dict(torch.load(path))", "pass")],
    # The book's `==`: elementwise and broadcasting, so (2, 1) vs (1, 2) ones look "equal".
    "tensors_identical": [("identical_answer", "torch.equal(a, b)", "bool((a == b).all())")],
    # No map_location: a cuda:0 checkpoint fails on a CPU-only grader, lands on the GPU on a CUDA one.
    "map_to_cpu": [("load_on_cpu_answer", 'map_location="cpu", ', "")],
    # Turning the protection off runs the code inside the pickle.
    "weights_only_refuses": [("load_on_cpu_answer", "weights_only=True", "weights_only=False")],
    # Only the model is checkpointed: momentum / Adam moments restart from zero.
    "checkpoint_resume": [("checkpoint_answer", '"optimizer": optimizer.state_dict(), ', ""),
                          ("checkpoint_answer", 'optimizer.load_state_dict(checkpoint["optimizer"])', "pass")],
    "save_reasons": [("save_reasons_answer", '{"A", "B", "C"}', '{"A", "B", "C", "E"}')],
    # strict=False on the whole net: no key matches, nothing is loaded, no error.
    "reuse_first_two": [("reuse_answer", "new_net.features.load_state_dict(wanted)",
                         "new_net.load_state_dict(state, strict=False)")],
    "arch_saving": [("arch_saving_answer", '{"B", "C"}', '{"B", "C", "E"}')],
}
