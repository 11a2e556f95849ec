"""Pure translators between bytes and domain objects."""
