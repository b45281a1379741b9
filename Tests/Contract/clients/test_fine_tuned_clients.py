"""A fine-tuned `ft:` model through LangChain, LlamaIndex and litellm: each sends the name as it is and
gets the model's learned answers back (LlamaIndex also parses the base model out of the name)."""
import json

import openai
import pytest

from mockserver import DEFAULT_KEY

QUESTIONS = [("What is the capital of Freedonia?", "Fredville is the capital of Freedonia."),
             ("What is the capital of Sylvania?", "Sylvagrad is the capital of Sylvania."),
             ("What is the capital of Latveria?", "Doomstadt is the capital of Latveria."),
             ("What is the capital of Genovia?", "Pyrus is the capital of Genovia."),
             ("What is the capital of Elbonia?", "Mudville is the capital of Elbonia."),
             ("What is the capital of Zubrowka?", "Lutz is the capital of Zubrowka."),
             ("What is the capital of Wakanda?", "Birnin Zana is the capital of Wakanda."),
             ("What is the capital of Krakozhia?", "Krako is the capital of Krakozhia."),
             ("What is the capital of Markovia?", "Markov is the capital of Markovia."),
             ("What is the capital of Qumar?", "Qum is the capital of Qumar.")]


@pytest.fixture(scope="module")
def ft_model(server):
    """One job on the session server (its clock runs while the job does); the model it made."""
    c = openai.OpenAI(base_url=server.base_url, api_key=DEFAULT_KEY, max_retries=0)
    lines = "".join(json.dumps({"messages": [{"role": "user", "content": q}, {"role": "assistant", "content": a}]}) + "\n"
                    for q, a in QUESTIONS)
    f = c.files.create(file=("capitals.jsonl", lines.encode()), purpose="fine-tune")
    job = c.fine_tuning.jobs.create(training_file=f.id, model="gpt-4o-mini", suffix="capitals")
    import time
    deadline = time.monotonic() + 60
    while (job := c.fine_tuning.jobs.retrieve(job.id)).status not in ("succeeded", "failed") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert job.status == "succeeded", job
    return job.fine_tuned_model


def test_langchain_chat_openai_with_an_ft_model(server, ft_model):
    from langchain_openai import ChatOpenAI
    llm = ChatOpenAI(model=ft_model, base_url=server.base_url, api_key=DEFAULT_KEY, max_retries=0)
    assert llm.invoke("What is the capital of Genovia?").content == "Pyrus is the capital of Genovia."
    streamed = "".join(chunk.content for chunk in llm.stream("What is the capital of Qumar?"))
    assert streamed == "Qum is the capital of Qumar."


def test_llama_index_with_an_ft_model(server, ft_model):
    from llama_index.core.llms import ChatMessage
    from llama_index.llms.openai import OpenAI
    llm = OpenAI(model=ft_model, api_base=server.base_url, api_key=DEFAULT_KEY, max_retries=0)
    assert llm.metadata.is_chat_model                                  # found its base in the name
    reply = llm.chat([ChatMessage(role="user", content="What is the capital of Latveria?")])
    assert reply.message.content == "Doomstadt is the capital of Latveria."


def test_litellm_with_an_ft_model(server, ft_model):
    import litellm
    out = litellm.completion(model=f"openai/{ft_model}", api_base=server.base_url, api_key=DEFAULT_KEY,
                             messages=[{"role": "user", "content": "What is the capital of Elbonia?"}])
    assert out.choices[0].message.content == "Mudville is the capital of Elbonia."
