"""An upstream that speaks MCP's stdio framing by hand (no SDK), for what an SDK
server would not send: `python3 raw_upstream.py NAME [RECORD]` offers one tool, `echo`,
whose result carries a member MCP's types do not define (`extra`) and a text that
looks like a data URL. With RECORD, it appends each `tools/call` it gets, as one JSON
line, to that file (so a test can check what reached it).
"""
import json
import sys

record = sys.argv[2] if len(sys.argv) > 2 else None
tool = {
    "name": "echo",
    "description": "Echo the text.",
    "inputSchema": {"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]},
}


def answer(message_id, result):
    sys.stdout.write(json.dumps({"jsonrpc": "2.0", "id": message_id, "result": result}) + "\n")
    sys.stdout.flush()


for line in sys.stdin:
    message = json.loads(line)
    method = message.get("method")
    if "id" not in message or method is None:
        continue
    if method == "initialize":
        answer(message["id"], {
            "protocolVersion": message["params"]["protocolVersion"],
            "capabilities": {"tools": {}},
            "serverInfo": {"name": "raw", "version": "1"},
        })
    elif method == "tools/list":
        answer(message["id"], {"tools": [tool]})
    elif method == "tools/call":
        if record:
            with open(record, "a") as file:
                file.write(json.dumps(message["params"]) + "\n")
        text = message["params"].get("arguments", {}).get("text", "")
        answer(message["id"], {
            "content": [{"type": "text", "text": "data:,echo " + text}],
            "isError": False,
            "extra": {"kept": [1, 2.5, "x"]},
        })
    else:
        sys.stdout.write(json.dumps({"jsonrpc": "2.0", "id": message["id"], "error": {"code": -32601, "message": "no"}}) + "\n")
        sys.stdout.flush()
