"""Wrong answers for 05_deferred_init, including the usual lazy-module pitfalls: each is one
realistic mistake and loses exactly the points of its check."""
MUTANTS = {
    "lazy_mlp_deferred": {
        # Only the first layer deferred: later layers know their input size, so they initialise at once.
        "first_only": [("lazy_mlp_answer", "layers.append(nn.LazyLinear(size))",
                        "layers.append(nn.LazyLinear(size) if i == 0 else nn.Linear(out_sizes[i - 1], size))")],
        "no_bias": [("lazy_mlp_answer", "nn.LazyLinear(size)", "nn.LazyLinear(size, bias=False)")],
    },
    "lazy_mlp_inferred": {
        # An activation after the output layer: shapes still inferred right, forward differs.
        "relu_after_last": [("lazy_mlp_answer", "return nn.Sequential(*layers)",
                             "return nn.Sequential(*layers, nn.ReLU())")],
        "no_relu": [("lazy_mlp_answer", "            layers.append(nn.ReLU())\n", "            pass\n")],
        "sigmoid": [("lazy_mlp_answer", "layers.append(nn.ReLU())", "layers.append(nn.Sigmoid())")],
    },
    "init_status": {
        # UninitializedParameter is a Parameter too: this calls every placeholder initialised.
        "is_parameter": [("init_status_answer", "not isinstance(p, nn.parameter.UninitializedParameter)",
                          "isinstance(p, nn.Parameter)")],
        "tensor": [("init_status_answer", "return [not isinstance(p, nn.parameter.UninitializedParameter) for p in net.parameters()]",
                    "return torch.tensor([not isinstance(p, nn.parameter.UninitializedParameter) for p in net.parameters()])")],
        # Only the top level's own parameters: nested blocks are missed.
        "top_level": [("init_status_answer", "for p in net.parameters()",
                       "for m in net for p in m.parameters(recurse=False)")],
    },
    "init_after_dry_run_shapes": {
        # Dummy batch transposed: the first layer infers in_features = 2.
        "transposed": [("init_after_dry_run_answer", "torch.zeros(2, in_features)", "torch.zeros(in_features, 2)")],
        # Parameters created in inference mode cannot take part in autograd: the net cannot train.
        "inference_mode": [("init_after_dry_run_answer", "with torch.no_grad():", "with torch.inference_mode():")],
        "returns_none": [("init_after_dry_run_answer", "    return net\n", "")],
    },
    "init_after_dry_run_values": {
        # After the dry run the layers are nn.Linear, no longer LazyLinear: the init never applies.
        "lazy_type": [("init_after_dry_run_answer", "if isinstance(m, nn.Linear):", "if type(m) == nn.LazyLinear:")],
        # Top-level layers only: the nested Linear keeps its default init.
        "top_level": [("init_after_dry_run_answer", "net.apply(init_weights)", "for m in net:\n        init_weights(m)")],
        "std": [("init_after_dry_run_answer", "std=0.01", "std=0.1")],
        # Same standard deviation, wrong law.
        "uniform": [("init_after_dry_run_answer", "nn.init.normal_(m.weight, mean=0.0, std=0.01)",
                     "nn.init.uniform_(m.weight, -0.01 * 3 ** 0.5, 0.01 * 3 ** 0.5)")],
        "bias_kept": [("init_after_dry_run_answer", "            nn.init.zeros_(m.bias)\n", "")],
        # Chooses by parameter rank, not by layer type: LayerNorm's weight is zeroed too.
        "by_rank": [("init_after_dry_run_answer", "net.apply(init_weights)",
                     "for p in net.parameters():\n"
                     "        nn.init.normal_(p, 0.0, 0.01) if p.dim() > 1 else nn.init.zeros_(p)")],
    },
    "locate_mismatch": {
        # A made-up message instead of the error that was actually raised.
        "made_up_message": [("locate_mismatch_answer", "return i, str(err)", 'return i, "shape mismatch"')],
        # children() lists a reused layer once: the positions shift.
        "children": [("locate_mismatch_answer", "enumerate(net)", "enumerate(net.children())")],
        "off_by_one": [("locate_mismatch_answer", "return i, str(err)", "return i + 1, str(err)")],
        "list": [("locate_mismatch_answer", "return i, str(err)", "return [i, str(err)]")],
    },
    "two_calls_error": {
        # A fresh net for the second call re-infers its shape: no error is ever seen.
        "fresh_net": [("two_calls_answer", "        net(X2)\n", "        make_net()(X2)\n")],
        # in_features read before the first call: still 0.
        "read_too_early": [("two_calls_answer", "    net(X1)\n    width = net[0].in_features\n",
                            "    width = net[0].in_features\n    net(X1)\n")],
        "error_type": [("two_calls_answer", "return width, str(err)", "return width, type(err).__name__")],
    },
    "multi_width_mlp": {
        # One lazy stem object shared by every width: it fixes its shape on the first width.
        "shared_lazy_stem": [("multi_width_answer", "nn.ModuleDict({str(w): nn.Linear(w, num_hiddens) for w in widths})",
                              "nn.ModuleDict(dict.fromkeys(map(str, widths), nn.LazyLinear(num_hiddens)))")],
        # The width read from dimension 1, not the last one: 3-D inputs pick the wrong stem.
        "dim1": [("multi_width_answer", "X.shape[-1]", "X.shape[1]")],
        "no_relu": [("multi_width_answer", "self.body(F.relu(stem(X)))", "self.body(stem(X))")],
        "fixed_outputs": [("multi_width_answer", "nn.Linear(num_hiddens, num_outputs)", "nn.Linear(num_hiddens, 3)")],
    },
}

EQUIVALENT = {
    "init_after_dry_run_answer:3:4:unwrap-no_grad":
        "the dry run without torch.no_grad() builds a graph that is never used and dropped: the "
        "parameters materialise with the same shapes and stay trainable; no_grad is optional (\"可以\")",
    "init_after_dry_run_answer:4:24:const":
        "a dummy batch of 3 rows instead of 2: only the last dimension (in_features) is read by the "
        "lazy layers, and the notebook asks for a batch of any size, (2, in_features) as an example",
    "locate_mismatch_answer:8:4:drop-stmt":
        "dropping the final `return None` leaves a function that falls off its end and returns None",
}
