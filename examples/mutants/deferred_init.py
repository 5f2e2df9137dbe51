"""Wrong answers for 05_deferred_init, including the usual lazy-module pitfalls."""
MUTANTS = {
    # Only the first layer deferred: later layers know their input size, so they initialise at once.
    "lazy_mlp_deferred": [("lazy_mlp_answer", "layers.append(nn.LazyLinear(size))",
                           "layers.append(nn.LazyLinear(size) if i == 0 else nn.Linear(out_sizes[i - 1], size))")],
    # An activation after the output layer: shapes still inferred right, forward differs.
    "lazy_mlp_inferred": [("lazy_mlp_answer", "return nn.Sequential(*layers)", "return nn.Sequential(*layers, nn.ReLU())")],
    # UninitializedParameter is a Parameter too: this calls every placeholder initialised.
    "init_status": [("init_status_answer", "not isinstance(p, nn.parameter.UninitializedParameter)",
                     "isinstance(p, nn.Parameter)")],
    # Dummy batch transposed: the first layer infers in_features = 2.
    "init_after_dry_run_shapes": [("init_after_dry_run_answer", "torch.zeros(2, in_features)",
                                   "torch.zeros(in_features, 2)")],
    # After the dry run the layers are nn.Linear, no longer LazyLinear: the init never applies.
    "init_after_dry_run_values": [("init_after_dry_run_answer", "if isinstance(m, nn.Linear):",
                                   "if type(m) == nn.LazyLinear:")],
    # A made-up message instead of the error that was actually raised.
    "locate_mismatch": [("locate_mismatch_answer", "return i, str(err)", 'return i, "shape mismatch"')],
    # A fresh net for the second call re-infers its shape: no error is ever seen.
    "two_calls_error": [("two_calls_answer", "        net(X2)\n", "        make_net()(X2)\n")],
    # One lazy stem object shared by every width: it fixes its shape on the first width.
    "multi_width_mlp": [("multi_width_answer", "nn.ModuleDict({str(w): nn.Linear(w, num_hiddens) for w in widths})",
                         "nn.ModuleDict(dict.fromkeys(map(str, widths), nn.LazyLinear(num_hiddens)))")],
}
