"""The adapters of this module: ORM model, data mapper, repositories, registration."""
