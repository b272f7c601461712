"""Export to the files other tools read (VS Code, Claude Code, Cursor)."""
