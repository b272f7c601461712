"""Library-wide rules, shared by `lint` and lint-as-you-type."""
