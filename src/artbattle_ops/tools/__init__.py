"""The 49 tools: the manifest that describes them and one module of handlers per domain."""
