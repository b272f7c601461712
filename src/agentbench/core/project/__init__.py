"""A target project: detected values with their evidence, and trigger matching."""
