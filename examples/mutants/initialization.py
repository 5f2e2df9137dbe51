"""Wrong answers for 03_initialization, including the book's pitfalls: one mistake each, and each
must lose exactly its check's points."""
_NORMAL = "nn.init.normal_(m.weight, mean=0.0, std=0.01)\n        nn.init.zeros_(m.bias)"
_CONSTANT = "nn.init.constant_(m.weight, 1)\n        nn.init.zeros_(m.bias)"
_MASK = "nn.init.uniform_(m.weight, -10, 10)\n            m.weight *= m.weight.abs() >= 5"
_EDIT = "net[0].weight[:] += 1\n        net[0].weight[0, 0] = 42"
_KAIMING_NORMAL = 'nn.init.kaiming_normal_(w, mode="fan_in", nonlinearity="relu")'
_KAIMING_UNIFORM = 'nn.init.kaiming_uniform_(w, mode="fan_out", nonlinearity="relu")'
_TRUNC = "nn.init.trunc_normal_(w, mean=0.0, std=std, a=-2 * std, b=2 * std)"

MUTANTS = {
    "builtin_init": {
        # Variance instead of standard deviation: N(0, 0.01) in variance notation has std 0.1.
        "variance for std": [("builtin_init_answer", "std=0.01", "std=0.1")],
        # Positional arguments: normal_(w, 0.01) sets the mean to 0.01 and keeps std 1.
        "mean for std": [("builtin_init_answer", "nn.init.normal_(m.weight, mean=0.0, std=0.01)",
                          "nn.init.normal_(m.weight, 0.01)")],
        # Another distribution: U(-0.01, 0.01).
        "uniform": [("builtin_init_answer", "nn.init.normal_(m.weight, mean=0.0, std=0.01)",
                     "nn.init.uniform_(m.weight, -0.01, 0.01)")],
        # Every parameter of the layer drawn from N(0, 0.01²): the bias is not 0.
        "bias drawn too": [("builtin_init_answer", _NORMAL,
                            "for p in m.parameters():\n            nn.init.normal_(p, mean=0.0, std=0.01)")],
        # The bias left at its default.
        "bias forgotten": [("builtin_init_answer", _NORMAL, "nn.init.normal_(m.weight, mean=0.0, std=0.01)")],
        # init_constant puts the bias to 1 as well.
        "constant bias one": [("builtin_init_answer", _CONSTANT, "nn.init.constant_(m.weight, 1)\n        nn.init.ones_(m.bias)")],
        # Duck typing: every module with a bias gets initialised (LayerNorm, Conv1d, Bilinear...).
        "any layer with a bias": [("builtin_init_answer", "if isinstance(m, nn.Linear):\n        nn.init.normal_",
                                   "if getattr(m, 'bias', None) is not None:\n        nn.init.normal_")],
    },
    "per_block_init": {
        # The normal variant of Xavier: right std, but its samples leave U(-a, a).
        "xavier normal": [("per_block_answer", "nn.init.xavier_uniform_(m.weight)", "nn.init.xavier_normal_(m.weight)")],
        # Kaiming's uniform (fan_in only, gain √2) instead of Xavier's.
        "kaiming uniform": [("per_block_answer", "nn.init.xavier_uniform_(m.weight)", "nn.init.kaiming_uniform_(m.weight)")],
        # Xavier with ReLU's gain: a bound √2 too wide.
        "relu gain": [("per_block_answer", "nn.init.xavier_uniform_(m.weight)",
                       "nn.init.xavier_uniform_(m.weight, gain=nn.init.calculate_gain('relu'))")],
        # The habit "weights Xavier, biases zero": the bias must stay as it was.
        "xavier zeroes bias": [("per_block_answer", "nn.init.xavier_uniform_(m.weight)",
                                "nn.init.xavier_uniform_(m.weight)\n        nn.init.zeros_(m.bias)")],
        # init_42 fills the bias too.
        "42 bias": [("per_block_answer", "nn.init.constant_(m.weight, 42)",
                     "nn.init.constant_(m.weight, 42)\n        nn.init.constant_(m.bias, 42)")],
        # Every module with a weight is set to 42 (LayerNorm, Conv1d, Embedding, Bilinear...).
        "42 on any weight": [("per_block_answer", "if isinstance(m, nn.Linear):\n        nn.init.constant_",
                              "if hasattr(m, 'weight'):\n        nn.init.constant_")],
    },
    "my_init_distribution": {
        # The mask the wrong way round: keeps the middle of U(-10, 10) instead of the tails.
        "mask inverted": [("my_init_answer", "m.weight *= m.weight.abs() >= 5", "m.weight *= m.weight.abs() < 5")],
        # The abs forgotten: every negative weight is cleared.
        "abs forgotten": [("my_init_answer", "m.weight *= m.weight.abs() >= 5", "m.weight *= m.weight >= 5")],
        # U(0, 10): no negative weights.
        "one-sided": [("my_init_answer", "nn.init.uniform_(m.weight, -10, 10)", "nn.init.uniform_(m.weight, 0, 10)")],
        # The mask applied before sampling: nothing is cleared.
        "mask first": [("my_init_answer", _MASK,
                        "m.weight *= m.weight.abs() >= 5\n            nn.init.uniform_(m.weight, -10, 10)")],
        # U(-10, -5) ∪ U(5, 10) without the zeros.
        "no zeros": [("my_init_answer", _MASK,
                      "nn.init.uniform_(m.weight, 5, 10)\n"
                      "            m.weight *= torch.randint(0, 2, m.weight.shape) * 2 - 1")],
        # Every module with a weight is initialised (LayerNorm, Bilinear, the "...Linear..." probe).
        "any layer with a weight": [("my_init_answer", "if isinstance(m, nn.Linear):", "if hasattr(m, 'weight'):")],
    },
    "my_init_in_place": {
        # A fresh Parameter: right distribution, but an optimizer made before init no longer sees the weight.
        "new parameter": [("my_init_answer", "m.weight *= m.weight.abs() >= 5",
                           "m.weight = nn.Parameter(m.weight * (m.weight.abs() >= 5))")],
        # The same, through register_parameter.
        "registered anew": [("my_init_answer", "m.weight *= m.weight.abs() >= 5",
                             "m.register_parameter('weight', nn.Parameter(m.weight * (m.weight.abs() >= 5)))")],
        # A frozen weight: right values, no longer trainable.
        "frozen": [("my_init_answer", "m.weight *= m.weight.abs() >= 5",
                    "m.weight *= m.weight.abs() >= 5\n            m.weight.requires_grad_(False)")],
    },
    "edit_first_layer": {
        # The two steps in the wrong order: [0, 0] ends up 43.
        "steps swapped": [("edit_first_layer_answer", _EDIT,
                           "net[0].weight[0, 0] = 42\n        net[0].weight[:] += 1")],
        # The whole first row set to 42.
        "row for element": [("edit_first_layer_answer", "net[0].weight[0, 0] = 42", "net[0].weight[0] = 42")],
        # The bias gets the +1 too.
        "bias too": [("edit_first_layer_answer", "net[0].weight[:] += 1",
                      "net[0].weight[:] += 1\n        net[0].bias[:] += 1")],
        # A copy is edited: the net is unchanged.
        "edits a clone": [("edit_first_layer_answer", _EDIT,
                           "w = net[0].weight.clone()\n        w[:] += 1\n        w[0, 0] = 42")],
        # A fresh Parameter: right values, but not the object an optimizer holds.
        "new parameter": [("edit_first_layer_answer", _EDIT,
                           "net[0].weight = nn.Parameter(net[0].weight + 1)\n        net[0].weight[0, 0] = 42")],
    },
    "no_grad_quiz": {
        # Believes no_grad switches requires_grad off.
        "B": [("no_grad_quiz_answer", '{"A", "C", "D", "E"}', '{"A", "B", "C", "D", "E"}')],
        # Misses that .data hides the change from autograd.
        "without C": [("no_grad_quiz_answer", '{"A", "C", "D", "E"}', '{"A", "D", "E"}')],
    },
    "subclass_safe": {
        # The book's test: an exact type comparison silently skips subclasses of nn.Linear.
        "type ==": [("builtin_init_answer", "isinstance(m, nn.Linear)", "type(m) == nn.Linear")],
        # The class name compared: subclasses have other names.
        "class name": [("my_init_answer", "isinstance(m, nn.Linear)", "m.__class__.__name__ == 'Linear'")],
        # `is` instead of ==, same mistake, in one function only.
        "type is": [("per_block_answer", "if isinstance(m, nn.Linear):\n        nn.init.constant_",
                     "if type(m) is nn.Linear:\n        nn.init.constant_")],
    },
    "kaiming": {
        # fan_out where fan_in is asked for: std sqrt(2/256) instead of sqrt(2/1024).
        "normal fan_out": [("kaiming_answer", _KAIMING_NORMAL, _KAIMING_NORMAL.replace("fan_in", "fan_out"))],
        # fan_in where fan_out is asked for.
        "uniform fan_in": [("kaiming_answer", _KAIMING_UNIFORM, _KAIMING_UNIFORM.replace("fan_out", "fan_in"))],
        # Without ReLU's gain.
        "linear gain": [("kaiming_answer", _KAIMING_NORMAL, _KAIMING_NORMAL.replace("relu", "linear"))],
        # The uniform version where the normal one is asked for: right std, no tails.
        "uniform for normal": [("kaiming_answer", _KAIMING_NORMAL, _KAIMING_NORMAL.replace("normal", "uniform"))],
    },
    "orthogonal_trunc": {
        # trunc_normal_'s default bounds are -2 and 2 in absolute units: with std=0.02 nothing is cut.
        "default bounds": [("orthogonal_trunc_answer", _TRUNC, "nn.init.trunc_normal_(w, mean=0.0, std=std)")],
        # The std not passed: N(0, 1) cut at ±2std, nearly uniform.
        "std forgotten": [("orthogonal_trunc_answer", _TRUNC, "nn.init.trunc_normal_(w, mean=0.0, a=-2 * std, b=2 * std)")],
        # No truncation at all.
        "plain normal": [("orthogonal_trunc_answer", _TRUNC, "nn.init.normal_(w, mean=0.0, std=std)")],
        # The gain ignored.
        "gain ignored": [("orthogonal_trunc_answer", "nn.init.orthogonal_(w, gain=gain)", "nn.init.orthogonal_(w)")],
        # A fixed "orthogonal" matrix: the identity, scaled.
        "identity": [("orthogonal_trunc_answer", "nn.init.orthogonal_(w, gain=gain)", "nn.init.eye_(w).mul_(gain)")],
    },
    "gain_xavier": {
        # Xavier without the tanh gain.
        "no gain": [("gain_xavier_answer", 'nn.init.xavier_normal_(w, gain=nn.init.calculate_gain("tanh"))',
                     "nn.init.xavier_normal_(w)")],
        # ReLU's gain for tanh.
        "relu gain": [("gain_xavier_answer", 'calculate_gain("tanh")', 'calculate_gain("relu")')],
        # The uniform variant with the right gain: same std, no tails.
        "xavier uniform": [("gain_xavier_answer", "nn.init.xavier_normal_", "nn.init.xavier_uniform_")],
        # The slope not passed: the gain of the default slope 0.01.
        "slope forgotten": [("gain_xavier_answer", 'calculate_gain("leaky_relu", slope)', 'calculate_gain("leaky_relu")')],
    },
}

# Mutants from `python -m autograder mutants 03_initialization` that behave as the specification
# asks, with the reason.
_KAIMING_DEFAULT = ("kaiming_*_'s default nonlinearity is 'leaky_relu' with a=0, whose gain "
                    "sqrt(2 / (1 + 0**2)) = sqrt(2) is ReLU's: the same distribution")
EQUIVALENT = {
    "my_init_answer:6:38:GtE-Gt": "|w| > 5 instead of >= 5 also clears |w| == 5 exactly, a null event of the "
                                  "specified law U(-10, 10) (probability ~1e-7 per float32 sample): the same distribution",
    "kaiming_answer:4:46:drop-kwarg.nonlinearity": _KAIMING_DEFAULT,
    "kaiming_answer:4:59:const": _KAIMING_DEFAULT,
    "kaiming_answer:12:48:drop-kwarg.nonlinearity": _KAIMING_DEFAULT,
    "kaiming_answer:12:61:const": _KAIMING_DEFAULT,
}
