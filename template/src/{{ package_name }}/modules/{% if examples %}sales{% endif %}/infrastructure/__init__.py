"""The adapters of this module: ORM models, data mapper, repositories, registration."""
