"""Fixtures for the third-party clients venv (langchain-openai, llama-index-llms-openai, litellm, instructor,
tiktoken). These pin `openai<3`, so this venv has the SDK's 2.x line."""
import os

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")   # never fetch the price map
os.environ.setdefault("LITELLM_LOG", "ERROR")

# tiktoken downloads its vocabularies on first use, which fails offline. llama-index-core ships a cache of
# cl100k_base and o200k_base; point tiktoken at it (LlamaIndex counts tokens for completion models with it).
if "TIKTOKEN_CACHE_DIR" not in os.environ:
    import importlib.util
    from pathlib import Path

    _spec = importlib.util.find_spec("llama_index.core")
    if _spec and _spec.origin:
        _cache = Path(_spec.origin).parent / "_static" / "tiktoken_cache"
        if _cache.is_dir():
            os.environ["TIKTOKEN_CACHE_DIR"] = str(_cache)
