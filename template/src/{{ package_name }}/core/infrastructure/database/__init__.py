"""SQLAlchemy adapters shared by every module: base, mixins, repository, unit of work."""
