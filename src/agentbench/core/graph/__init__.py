"""The handoff graph: edges, SCCs, reachability, exports and the character-grid layout."""
