"""The MCP gateway: transport, authentication, the ordered checks, dispatch and audit."""
