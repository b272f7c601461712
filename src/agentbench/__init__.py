"""agentbench: a terminal workbench for libraries of AI agent definition files."""

__version__ = "0.1.0"
