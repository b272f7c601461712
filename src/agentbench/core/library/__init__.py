"""A library on disk: discovery, the stat-validated cache, the workspace file."""
