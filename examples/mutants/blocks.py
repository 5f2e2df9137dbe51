"""Wrong answers for 01_blocks, including the book's pitfalls."""
MUTANTS = {
    "mlp_structure": [("mlp", "nn.Linear(20, 256)", "nn.Linear(20, 128)"),
                      ("mlp", "nn.Linear(256, 10)", "nn.Linear(128, 10)")],
    "mlp_forward": [("mlp", "self.out(F.relu(self.hidden(X)))", "F.relu(self.out(self.hidden(X)))")],
    "mysequential_order": [("mysequential", "self._modules.values()", "reversed(self._modules.values())")],
    # Book exercise 1: a plain list runs forward fine but registers nothing.
    "mysequential_registers": [
        ("mysequential", "self._modules[str(index)] = block", "self.__dict__.setdefault('blocks', []).append(block)"),
        ("mysequential", "self._modules.values()", "self.blocks")],
    "list_breaks": [("list_breaks_answer", '{"A", "B", "C"}', '{"A", "B", "C", "E"}')],
    "fixed_forward": [("fixed_hidden_mlp", "X @ self.rand_weight + 1", "X @ self.rand_weight")],
    # The book keeps the constant as a plain attribute: invisible to state_dict() and .to().
    "fixed_buffer": [("fixed_hidden_mlp", 'self.register_buffer("rand_weight", torch.rand(20, 20))',
                      "self.rand_weight = torch.rand(20, 20)")],
    "nest_mlp": [("nest_mlp_answer", "return self.linear(self.net(X))", "return F.relu(self.linear(self.net(X)))")],
    "chimera": [("nest_mlp_answer", "nn.Sequential(NestMLP(), nn.Linear(16, 20), FixedHiddenMLP())",
                 "nn.Sequential(NestMLP(), nn.Linear(16, 20), nn.ReLU(), FixedHiddenMLP())")],
    "parallel_block": [("parallel_block_answer", "dim=1", "dim=0")],
    # [block] * n repeats one object: every copy shares the same parameters.
    "block_factory": [("stack_blocks_answer", "[make_block() for _ in range(n)]", "[make_block()] * n")],
}
