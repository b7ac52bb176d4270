"""Post-generation steps run by `ddd new` (never by copier itself: no `_tasks`, no --trust)."""
