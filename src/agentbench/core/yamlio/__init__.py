"""The line-aware YAML reader: a block-YAML fast path held to PyYAML, and PyYAML's C loader
behind it."""
