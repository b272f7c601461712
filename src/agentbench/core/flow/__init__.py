"""Handoff flows: walk state, flow files, replay, flow lint, Markdown export."""
