"""Wrong answers for 01_blocks, including the book's pitfalls: each is one realistic mistake and
loses exactly the points of its check."""
MUTANTS = {
    "mlp_structure": {
        "sizes": [("mlp", "nn.Linear(20, 256)", "nn.Linear(20, 128)"),
                  ("mlp", "nn.Linear(256, 10)", "nn.Linear(128, 10)")],
        # An extra trainable layer that forward never uses: forward is right, the block is not.
        "extra_layer": [("mlp", "self.out = nn.Linear(256, 10)",
                         "self.out = nn.Linear(256, 10)\n        self.extra = nn.Linear(10, 10)")],
    },
    "mlp_forward": {
        "relu_after_out": [("mlp", "self.out(F.relu(self.hidden(X)))", "F.relu(self.out(self.hidden(X)))")],
        "no_relu": [("mlp", "self.out(F.relu(self.hidden(X)))", "self.out(self.hidden(X))")],
        # Right values, no gradient for `hidden`.
        "detach": [("mlp", "self.out(F.relu(self.hidden(X)))", "self.out(F.relu(self.hidden(X).detach()))")],
    },
    "mysequential_order": {
        "reversed": [("mysequential", "self._modules.values()", "reversed(self._modules.values())")],
        # children() lists a block passed twice only once.
        "children": [("mysequential", "self._modules.values()", "self.children()")],
        # '10' < '2' as strings: wrong order from the eleventh block on.
        "sorted_keys": [("mysequential", "for block in self._modules.values():\n            X = block(X)",
                         "for key in sorted(self._modules):\n            X = self._modules[key](X)")],
        "no_grad": [("mysequential", "            X = block(X)",
                     "            with torch.no_grad():\n                X = block(X)")],
    },
    # Book exercise 1: a plain list runs forward fine but registers nothing.
    "mysequential_registers": {
        "plain_list": [
            ("mysequential", "self._modules[str(index)] = block", "self.__dict__.setdefault('blocks', []).append(block)"),
            ("mysequential", "self._modules.values()", "self.blocks")],
        # Registers the parameters but not the modules: eval() never reaches the blocks.
        "parameter_list": [
            ("mysequential", "self._modules[str(index)] = block",
             "self.__dict__.setdefault('blocks', []).append(block)\n"
             "        self.params = nn.ParameterList([p for b in self.blocks for p in b.parameters()])"),
            ("mysequential", "self._modules.values()", "self.blocks")],
    },
    "list_breaks": [("list_breaks_answer", '{"A", "B", "C"}', '{"A", "B", "C", "E"}')],
    "fixed_forward": {
        "no_plus_one": [("fixed_hidden_mlp", "X @ self.rand_weight + 1", "X @ self.rand_weight")],
        "if_not_while": [("fixed_hidden_mlp", "while X.abs().sum() > 1:", "if X.abs().sum() > 1:")],
        "no_abs": [("fixed_hidden_mlp", "while X.abs().sum() > 1:", "while X.sum() > 1:")],
        "item": [("fixed_hidden_mlp", "return X.sum()", "return X.sum().item()")],
        "randn": [("fixed_hidden_mlp", "torch.rand(20, 20)", "torch.randn(20, 20)")],
        "second_linear_detached": [("fixed_hidden_mlp", "X = self.linear(X)\n        while",
                                    "X = F.linear(X, self.linear.weight.detach(), self.linear.bias.detach())\n        while")],
    },
    "fixed_buffer": {
        # The book keeps the constant as a plain attribute: invisible to state_dict() and .to().
        "plain_attribute": [("fixed_hidden_mlp", 'self.register_buffer("rand_weight", torch.rand(20, 20))',
                             "self.rand_weight = torch.rand(20, 20)")],
        "frozen_parameter": [("fixed_hidden_mlp", 'self.register_buffer("rand_weight", torch.rand(20, 20))',
                              "self.rand_weight = nn.Parameter(torch.rand(20, 20), requires_grad=False)")],
        "not_persistent": [("fixed_hidden_mlp", 'self.register_buffer("rand_weight", torch.rand(20, 20))',
                            'self.register_buffer("rand_weight", torch.rand(20, 20), persistent=False)')],
    },
    "nest_mlp": {
        "relu_after_linear": [("nest_mlp_answer", "return self.linear(self.net(X))",
                               "return F.relu(self.linear(self.net(X)))")],
        "no_last_relu": [("nest_mlp_answer", "nn.Linear(64, 32), nn.ReLU())", "nn.Linear(64, 32))")],
    },
    "chimera": {
        "extra_relu": [("nest_mlp_answer", "nn.Sequential(NestMLP(), nn.Linear(16, 20), FixedHiddenMLP())",
                        "nn.Sequential(NestMLP(), nn.Linear(16, 20), nn.ReLU(), FixedHiddenMLP())")],
        "order": [("nest_mlp_answer", "nn.Sequential(NestMLP(), nn.Linear(16, 20), FixedHiddenMLP())",
                   "nn.Sequential(nn.Linear(16, 20), NestMLP(), FixedHiddenMLP())")],
    },
    "parallel_block": {
        "dim0": [("parallel_block_answer", "dim=1", "dim=0")],
        "swapped": [("parallel_block_answer", "(self.net1(X), self.net2(X))", "(self.net2(X), self.net1(X))")],
        # A plain list: forward works, but the two nets are not registered.
        "plain_list": [("parallel_block_answer", "self.net1 = net1\n        self.net2 = net2",
                        "self.nets = [net1, net2]"),
                       ("parallel_block_answer", "(self.net1(X), self.net2(X))",
                        "(self.nets[0](X), self.nets[1](X))")],
    },
    "block_factory": {
        # [block] * n repeats one object: every copy shares the same parameters.
        "repeated_reference": [("stack_blocks_answer", "[make_block() for _ in range(n)]", "[make_block()] * n")],
        "off_by_one": [("stack_blocks_answer", "range(n)", "range(n - 1)")],
        "module_list": [("stack_blocks_answer", "nn.Sequential(*[make_block() for _ in range(n)])",
                         "nn.ModuleList([make_block() for _ in range(n)])")],
    },
}
