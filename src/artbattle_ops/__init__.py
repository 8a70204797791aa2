"""Art Battle operations assistant: Slack assistant, MCP gateway and their shared foundation."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("artbattle-ops")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0"
