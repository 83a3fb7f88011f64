"""Times MCP tools/call round trips with the official Python MCP client over stdio.

    python3 bench_gateway.py --tool NAME [--calls N] [--warmup W] [--pass-env VAR,...] -- COMMAND ARGS...

Starts COMMAND as an MCP server on stdio (an upstream directly, or `writ gateway` in
front of it), calls NAME with {"key": "k<i>"} W times to warm up and then N times,
one call at a time, and prints one JSON line: the percentiles of the N round trips
in milliseconds. Any call that fails or answers an error stops the run (exit 1): a
benchmark of denials would measure the wrong thing.
"""
import argparse
import asyncio
import json
import os
import statistics
import sys
import time

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client


def percentile(sorted_values, fraction):
    index = min(len(sorted_values) - 1, max(0, round(fraction * (len(sorted_values) - 1))))
    return sorted_values[index]


async def run(arguments) -> dict:
    passed = [n for n in arguments.pass_env.split(",") if n]
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    env.update({n: os.environ[n] for n in passed if n in os.environ})
    command = arguments.command
    params = StdioServerParameters(command=command[0], args=command[1:], env=env)
    timings = []
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            for index in range(arguments.warmup + arguments.calls):
                started = time.perf_counter_ns()
                result = await session.call_tool(arguments.tool, {"key": f"k{index}"})
                elapsed = time.perf_counter_ns() - started
                if result.is_error:
                    raise SystemExit(f"call {index} answered an error: {result.content}")
                if index >= arguments.warmup:
                    timings.append(elapsed / 1e6)
    timings.sort()
    return {
        "calls": len(timings),
        "p50": percentile(timings, 0.50),
        "p90": percentile(timings, 0.90),
        "p99": percentile(timings, 0.99),
        "mean": statistics.fmean(timings),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tool", required=True)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--pass-env", default="")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    arguments = parser.parse_args()
    if arguments.command[:1] == ["--"]:
        arguments.command = arguments.command[1:]
    if not arguments.command:
        parser.error("no server command after --")
    print(json.dumps(asyncio.run(run(arguments))), flush=True)


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # a failed run is reported, not timed
        print(f"bench_gateway: {error!r}", file=sys.stderr)
        sys.exit(1)
