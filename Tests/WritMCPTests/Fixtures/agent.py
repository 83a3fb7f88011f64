"""The agent side of the gateway tests: the official Python MCP client.

`python3 agent.py STEPS_JSON -- COMMAND ARGS...` starts COMMAND (the gateway) over
stdio with the environment variables named in $AGENT_PASS_ENV passed on;
`python3 agent.py STEPS_JSON -- http://HOST:PORT/mcp` connects to it over Streamable
HTTP instead, with `Authorization: Bearer $AGENT_BEARER` when that is set. It runs each
step and prints one JSON line per step:

- {"op": "list"} -> {"tools": [names]}
- {"op": "call", "name": N, "arguments": {...}} -> {"text": [...], "structured": ..., "isError": bool}
- {"op": "resources"} -> {"resources": [uris]}
- {"op": "read", "uri": U} -> {"text": [...]}
- {"op": "prompts"} -> {"prompts": [names]}
- {"op": "prompt", "name": N, "arguments": {...}} -> {"text": [message texts]}
- {"op": "notified"} -> {"notified": [methods]}: the notifications received so far, after
  waiting up to 10 s for a notifications/tools/list_changed

A request the gateway refuses gives {"error": {"code": C, "message": M}}.
"""
import asyncio
import json
import os
import sys

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client
from mcp.shared.exceptions import MCPError


notified: list = []


async def on_message(message) -> None:
    method = getattr(getattr(message, "root", message), "method", None)
    if method is not None:
        notified.append(method)


async def run(session: ClientSession, step: dict) -> dict:
    op = step["op"]
    if op == "notified":
        for _ in range(100):
            if "notifications/tools/list_changed" in notified:
                break
            await asyncio.sleep(0.1)
        return {"notified": notified}
    if op == "list":
        result = await session.list_tools()
        return {"tools": [t.name for t in result.tools]}
    if op == "resources":
        result = await session.list_resources()
        return {"resources": [str(r.uri) for r in result.resources]}
    if op == "read":
        result = await session.read_resource(step["uri"])
        return {"text": [c.text for c in result.contents if hasattr(c, "text")]}
    if op == "prompts":
        result = await session.list_prompts()
        return {"prompts": [p.name for p in result.prompts]}
    if op == "prompt":
        result = await session.get_prompt(step["name"], step.get("arguments"))
        return {"text": [m.content.text for m in result.messages if getattr(m.content, "type", "") == "text"]}
    result = await session.call_tool(step["name"], step.get("arguments", {}))
    return {
        "text": [c.text for c in result.content if getattr(c, "type", "") == "text"],
        "structured": result.structured_content,
        "isError": bool(result.is_error),
    }


async def main() -> None:
    steps = json.loads(sys.argv[1])
    command = sys.argv[sys.argv.index("--") + 1 :]
    if command[0].startswith("http"):
        bearer = os.environ.get("AGENT_BEARER")
        headers = {"Authorization": f"Bearer {bearer}"} if bearer else None
        async with create_mcp_http_client(headers=headers) as client:
            async with streamable_http_client(command[0], http_client=client) as (read, write):
                await run_steps(steps, read, write)
        return
    passed = [n for n in os.environ.get("AGENT_PASS_ENV", "").split(",") if n]
    env = {n: os.environ[n] for n in passed if n in os.environ}
    params = StdioServerParameters(command=command[0], args=command[1:], env=env)
    async with stdio_client(params) as (read, write):
        await run_steps(steps, read, write)


async def run_steps(steps, read, write) -> None:
    async with ClientSession(read, write, message_handler=on_message) as session:
        await session.initialize()
        for step in steps:
            try:
                out = await run(session, step)
            except MCPError as error:
                out = {"error": {"code": error.error.code, "message": error.error.message}}
            print(json.dumps(out), flush=True)


asyncio.run(main())
