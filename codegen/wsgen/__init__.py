"""wsgen: a compiler from WebSocket contracts (.proto, schema.json) to typed bindings."""

__all__ = ["__version__"]

__version__ = "0.1.0"
