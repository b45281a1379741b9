"""Fixtures for the current SDK (openai 3.x): strict response validation, no retries."""
import openai
import pytest

from mockserver import DEFAULT_KEY


def _new_client(base_url: str, api_key: str = DEFAULT_KEY, **kwargs) -> openai.OpenAI:
    kwargs.setdefault("_strict_response_validation", True)
    return openai.OpenAI(base_url=base_url, api_key=api_key, max_retries=0, timeout=30, **kwargs)


@pytest.fixture
def make_client():
    """`make_client(base_url, api_key=...)` → a strict, non-retrying OpenAI client, closed after the test."""
    made = []

    def make(base_url: str, api_key: str = DEFAULT_KEY, **kwargs) -> openai.OpenAI:
        c = _new_client(base_url, api_key, **kwargs)
        made.append(c)
        return c

    yield make
    for c in made:
        c.close()


@pytest.fixture
def client(mock, make_client):
    return make_client(mock.base_url)
