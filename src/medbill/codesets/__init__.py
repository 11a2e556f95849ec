"""Reference code sets compiled into fast, dated indexes."""
