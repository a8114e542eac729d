"""A second, deliberately plain OpenAI-compatible server for the throughput check: aiohttp.web
on the standard asyncio loop, no fault injection, nothing shared with batchrunner's own test
server. The issue checks the ratio "against a different fake server"; this is ours.

    python bench/plainserver.py [--port 0]    # prints the base URL, then serves until killed
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import sys
import time

import orjson
from aiohttp import web

LABELS = ("positive", "negative", "neutral")


def make_app() -> web.Application:
    counter = itertools.count(1)

    async def chat(request: web.Request) -> web.Response:
        body = orjson.loads(await request.read())
        n = next(counter)
        prompt_tokens = sum(len(str(m.get("content", ""))) for m in body.get("messages", [])) // 4 + 1
        reply = {
            "id": f"chatcmpl-{n}", "object": "chat.completion", "created": int(time.time()),
            "model": body.get("model", "unknown"),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": LABELS[n % 3]},
                         "finish_reason": "stop"}],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": 1, "total_tokens": prompt_tokens + 1},
        }
        return web.Response(body=orjson.dumps(reply), content_type="application/json")

    app = web.Application()
    app.router.add_post("/v1/chat/completions", chat)
    return app


async def serve(port: int) -> None:
    runner = web.AppRunner(make_app(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    bound = runner.addresses[0][1]
    sys.stdout.write(f"http://127.0.0.1:{bound}/v1\n")
    sys.stdout.flush()
    await asyncio.Event().wait()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    asyncio.run(serve(ap.parse_args().port))


if __name__ == "__main__":
    main()
