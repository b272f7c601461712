"""Layered drawing of the handoff graph onto a character grid (pure Python)."""
