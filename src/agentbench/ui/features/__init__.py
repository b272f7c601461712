"""What the workbench does (editing, authoring, reloading, ...), each given the collaborators
it needs (the state, the presenter, a notifier, callables), never the app."""
