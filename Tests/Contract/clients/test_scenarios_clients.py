"""The example scenarios through LangChain and litellm: the restaurant bot's tool call, the flaky upstream
survived by the underlying SDK's retries, and a broken stream surfacing as an exception."""

import pytest

from mockserver import DEFAULT_KEY, SCENARIOS_DIR as SCENARIOS

LUIGI = "You are the booking bot of Luigi's Trattoria."


@pytest.fixture
def sc(scenario_server):
    scenario_server.reset()
    scenario_server.clear_journal()
    return scenario_server


def _llm(srv, **kw):
    from langchain_openai import ChatOpenAI
    kw.setdefault("max_retries", 0)
    return ChatOpenAI(model="gpt-4o-mini", base_url=srv.base_url, api_key=DEFAULT_KEY, **kw)


def test_langchain_restaurant_bot_books_a_table(sc):
    from langchain_core.messages import HumanMessage, SystemMessage
    from langchain_core.tools import tool

    @tool
    def book_table(party_size: int, date: str, time: str, name: str) -> str:
        """Book a table at the restaurant."""
        return "ok"

    llm = _llm(sc).bind_tools([book_table])
    history = [SystemMessage(LUIGI)] + [HumanMessage(t) for t in ("hi", "4", "Friday 19:30", "Ada Lovelace")]
    msg = llm.invoke(history)
    assert msg.tool_calls[0]["name"] == "book_table"
    assert msg.tool_calls[0]["args"] == {"party_size": 4, "date": "2024-06-14", "time": "19:30", "name": "Ada Lovelace"}
    first = _llm(sc).invoke([SystemMessage(LUIGI), HumanMessage("hello")])
    assert first.content.startswith("Welcome to Luigi's Trattoria!")


def test_langchain_retries_through_the_flaky_upstream(sc):
    msg = _llm(sc, max_retries=2).invoke("a flaky question")
    assert msg.content == "Success after retries."
    assert [e["status"] for e in sc.journal()] == [429, 429, 200]


def test_langchain_broken_stream_raises(sc):
    got = []
    with pytest.raises(Exception) as info:
        for chunk in _llm(sc).stream("please break the stream"):
            got.append(chunk)
    assert "The upstream model crashed mid-stream." in str(info.value)


def test_litellm_sees_the_scripted_reply_and_the_rate_limit(sc):
    import litellm
    res = litellm.completion(model="openai/gpt-4o-mini", api_base=sc.base_url, api_key=DEFAULT_KEY,
                             messages=[{"role": "system", "content": LUIGI}, {"role": "user", "content": "hi"}])
    assert res.choices[0].message.content.startswith("Welcome to Luigi's Trattoria!")
    with pytest.raises(litellm.RateLimitError):
        litellm.completion(model="openai/gpt-4o-mini", api_base=sc.base_url, api_key=DEFAULT_KEY, max_retries=0,
                           num_retries=0, messages=[{"role": "user", "content": "flaky"}])
