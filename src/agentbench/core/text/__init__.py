"""Untrusted text: making it safe to show, and the checks on a file's raw characters."""
