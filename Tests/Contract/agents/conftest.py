"""Fixtures for the agent-frameworks venv (openai-agents, pydantic-ai, langchain-openai on the openai 3.x SDK):
a module-scoped server with the example scenarios, and no telemetry leaving the machine."""
import os

os.environ.setdefault("OPENAI_AGENTS_DISABLE_TRACING", "1")
os.environ.setdefault("LOGFIRE_IGNORE_NO_CONFIG", "1")
