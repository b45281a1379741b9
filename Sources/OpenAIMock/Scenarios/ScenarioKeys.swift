/// Every key the scenario format knows, per object. The decoder rejects anything else, and a
/// test checks `scenarios/scenario.schema.json` lists exactly these, so the linter and the
/// editor schema cannot drift apart.
public enum ScenarioKeys {
    public static let file = ["$schema", "description", "models", "rules"]
    public static let model = ["id", "kind", "owned_by", "context_window"]
    public static let rule = ["name", "when", "do", "times", "priority", "chaos"]
    public static let when = ["endpoint", "model", "stream", "last_user_message", "any_message", "system_prompt",
                              "message_count", "turn", "has_tools", "has_tool_result", "tool", "prompt", "input",
                              "headers", "body", "query", "canonical_body"]
    public static let stringTest = ["equals", "contains", "prefix", "suffix", "regex", "ignore_case"]
    public static let valueTest = stringTest + ["exists"]
    public static let range = ["min", "max"]
    public static let action = ["text", "text_file", "refusal", "tool_calls", "json", "finish_reason", "usage",
                                "embedding", "embed_like", "moderation", "fault", "drop_connection", "delay_ms", "stream",
                                "response"]
    public static let response = ["status", "headers", "body", "body_base64", "events"]
    public static let event = ["after_ms", "data", "text"]
    public static let toolCall = ["name", "arguments", "id"]
    public static let usage = ["prompt_tokens", "completion_tokens", "cached_tokens", "reasoning_tokens"]
    public static let moderation = ["flagged", "categories", "scores"]
    public static let fault = ["status", "message", "type", "code", "param", "headers"]
    public static let stream = ["ttft_ms", "token_delay_ms", "chunk_tokens", "cut_after", "done", "error_after", "error",
                                "drop_after"]
    public static let streamError = ["status", "message", "type", "code", "param"]
}
