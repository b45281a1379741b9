"""Fixtures for the pre-1.0 SDK (openai 0.28.1): module-global configuration, pointed at the mock."""
import os

import openai
import pytest

from mockserver import DEFAULT_KEY


@pytest.fixture
def legacy(mock):
    """The `openai` module configured for the default server; restored afterwards."""
    saved = (openai.api_base, openai.api_key, openai.organization, openai.api_type, openai.api_version)
    openai.api_base = mock.base_url
    openai.api_key = DEFAULT_KEY
    openai.organization = None
    openai.api_type = "open_ai"
    openai.api_version = None
    yield openai
    openai.api_base, openai.api_key, openai.organization, openai.api_type, openai.api_version = saved


@pytest.fixture
def cli_env():
    env = dict(os.environ)
    env.pop("OPENAI_API_KEY", None)   # the CLI must take the key from -k
    return env
