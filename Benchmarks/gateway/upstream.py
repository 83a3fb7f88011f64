"""The upstream of the gateway benchmark: one cheap tool, `lookup`, on stdio."""
from mcp.server.mcpserver import MCPServer

server = MCPServer("bench")


@server.tool()
def lookup(key: str) -> str:
    """Look a key up."""
    return f"found {key}"


if __name__ == "__main__":
    server.run("stdio")
