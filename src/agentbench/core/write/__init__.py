"""Every change to the user's files: one atomic writer, edits, rename, fixes, new agent,
profile save."""
