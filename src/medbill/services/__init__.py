"""Use cases: one function per verb, each owning its transaction; ports.py holds the Protocols they need."""
