"""Bytes -> parsed file: frontmatter, the per-dialect schema, handoffs."""
