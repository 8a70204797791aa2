"""The MCP Inspector's command-line mode lists and calls tools with a personal access token.

Needs Node and the Inspector (`.ci/run` installs it under `.tools/`); skips with the reason
otherwise.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.integration.gateway_app.conftest import gateway_settings, serve

ROOT = Path(__file__).resolve().parents[3]
INSPECTOR = Path(
    os.environ.get("MCP_INSPECTOR_BIN", ROOT / ".tools" / "node_modules" / ".bin" / "mcp-inspector")
)
PAT = "pat-inspector-3c9e1f7a5b2d"


def inspector_or_skip() -> Path:
    if shutil.which("node") is None:
        pytest.skip("node is not installed (the MCP Inspector needs it)")
    if not INSPECTOR.exists():
        pytest.skip(f"MCP Inspector not installed at {INSPECTOR} (.ci/run installs it)")
    return INSPECTOR


async def inspect(url: str, *args: str) -> Any:
    process = await asyncio.create_subprocess_exec(
        str(inspector_or_skip()),
        "--cli",
        url,
        "--transport",
        "http",
        "--header",
        f"Authorization: Bearer {PAT}",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=90)
    assert process.returncode == 0, err.decode()
    return json.loads(out.decode())


@pytest.fixture
def pat_settings(migrated_url: str, stand_in_handlers: None) -> Any:
    entry = {
        "token_sha256": hashlib.sha256(PAT.encode()).hexdigest(),
        "user_id": "UENGINEER",
        "role": "viewer",
        "name": "engineer-laptop",
    }
    return gateway_settings(migrated_url, MCP_PERSONAL_ACCESS_TOKENS_JSON=json.dumps([entry]))


async def test_inspector_lists_the_tools_of_the_tokens_role(pat_settings: Any) -> None:
    inspector_or_skip()
    async with serve(pat_settings) as url:
        listing = await inspect(url, "--method", "tools/list")

    assert [tool["name"] for tool in listing["tools"]] == ["lookup_event"]


async def test_inspector_calls_a_tool_with_the_token(pat_settings: Any) -> None:
    inspector_or_skip()
    async with serve(pat_settings) as url:
        result = await inspect(
            url, "--method", "tools/call", "--tool-name", "lookup_event", "--tool-arg", "eid=AB4001"
        )

    assert result["structuredContent"]["ok"] is True
    assert result["structuredContent"]["data"]["events"]["items"] == [{"eid": "AB4001"}]
