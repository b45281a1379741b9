import MockHTTP
import Testing
@testable import OpenAIMock

/// Each invalid request gets the real API's status, message, `param` and `code`.
@Suite struct ChatValidationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var body: String
        var status: Int = 400
        var param: String?
        var code: String?
        var message: String
        var testDescription: String { message }
    }

    static let user = #"[{"role":"user","content":"hi"}]"#

    static let cases: [Case] = [
        Case(body: #"{"messages":\#(user)}"#, message: "you must provide a model parameter"),
        Case(body: #"{"model":"gpt-4o"}"#, param: "messages", code: "missing_required_parameter",
             message: "Missing required parameter: 'messages'."),
        Case(body: #"{"model":"gpt-4o","messages":"hi"}"#, param: "messages", code: "invalid_type",
             message: "Invalid type for 'messages': expected an array, but got a string instead."),
        Case(body: #"{"model":"gpt-4o","messages":[]}"#, param: "messages", code: "empty_array",
             message: "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead."),
        Case(body: #"{"model":"gpt-4o","messages":[{"content":"x"}]}"#, param: "messages[0].role",
             code: "missing_required_parameter", message: "Missing required parameter: 'messages[0].role'."),
        Case(body: #"{"model":"gpt-4o","messages":[{"role":"bot","content":"x"}]}"#, param: "messages[0].role", code: "invalid_value",
             message: "Invalid value: 'bot'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'."),
        Case(body: #"{"model":"gpt-4o","messages":[{"role":"user"}]}"#, param: "messages[0].content",
             code: "missing_required_parameter", message: "Missing required parameter: 'messages[0].content'."),
        Case(body: #"{"model":"gpt-4o","messages":[{"role":"user","content":[{"type":"video"}]}]}"#,
             param: "messages[0].content[0].type", code: "invalid_value",
             message: "Invalid value: 'video'. Supported values are: 'text', 'image_url', 'input_audio', 'refusal', 'audio', and 'file'."),
        Case(body: #"{"model":"gpt-4o","messages":[{"role":"system","content":[{"type":"image_url","image_url":{"url":"u"}}]}]}"#,
             param: "messages[0]", code: "invalid_value",
             message: "Invalid 'messages[0]'. Image URLs are only allowed for messages with role 'user', but this message with role 'system' contains an image URL."),
        Case(body: #"{"model":"gpt-4o","messages":[{"role":"tool","tool_call_id":"c","content":"x"}]}"#, param: "messages.[0].role",
             message: "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'."),
        Case(body: #"{"model":"gpt-4o","messages":[{"role":"assistant","tool_calls":[{"id":"call_9","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"user","content":"x"}]}"#,
             param: "messages.[0].role",
             message: "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: call_9"),
        Case(body: #"{"model":"gpt-4o","temperature":3,"messages":\#(user)}"#, param: "temperature", code: "decimal_above_max_value",
             message: "Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 3 instead."),
        Case(body: #"{"model":"gpt-4o","temperature":"hot","messages":\#(user)}"#, param: "temperature", code: "invalid_type",
             message: "Invalid type for 'temperature': expected a decimal, but got a string instead."),
        Case(body: #"{"model":"gpt-4o","top_p":1.5,"messages":\#(user)}"#, param: "top_p", code: "decimal_above_max_value",
             message: "Invalid 'top_p': decimal above maximum value. Expected a value <= 1, but got 1.5 instead."),
        Case(body: #"{"model":"gpt-4o","presence_penalty":-2.5,"messages":\#(user)}"#, param: "presence_penalty", code: "decimal_below_min_value",
             message: "Invalid 'presence_penalty': decimal below minimum value. Expected a value >= -2, but got -2.5 instead."),
        Case(body: #"{"model":"gpt-4o","n":129,"messages":\#(user)}"#, param: "n", code: "integer_above_max_value",
             message: "Invalid 'n': integer above maximum value. Expected a value <= 128, but got 129 instead."),
        Case(body: #"{"model":"gpt-4o","n":0,"messages":\#(user)}"#, param: "n", code: "integer_below_min_value",
             message: "Invalid 'n': integer below minimum value. Expected a value >= 1, but got 0 instead."),
        Case(body: #"{"model":"gpt-4o","stop":["a","b","c","d","e"],"messages":\#(user)}"#, param: "stop", code: "array_above_max_length",
             message: "Invalid 'stop': array too long. Expected an array with maximum length 4, but got an array with length 5 instead."),
        Case(body: #"{"model":"gpt-4o","top_logprobs":21,"logprobs":true,"messages":\#(user)}"#, param: "top_logprobs", code: "integer_above_max_value",
             message: "Invalid 'top_logprobs': integer above maximum value. Expected a value <= 20, but got 21 instead."),
        Case(body: #"{"model":"gpt-4o","top_logprobs":2,"messages":\#(user)}"#, param: "top_logprobs", code: "invalid_value",
             message: "Invalid value for 'top_logprobs': 'logprobs' must be set to true when 'top_logprobs' is used."),
        Case(body: #"{"model":"gpt-4o","stream_options":{"include_usage":true},"messages":\#(user)}"#, param: "stream_options", code: "invalid_value",
             message: "The 'stream_options' parameter is only allowed when 'stream' is enabled."),
        Case(body: #"{"model":"gpt-4o","max_tokens":0,"messages":\#(user)}"#, param: "max_tokens", code: "integer_below_min_value",
             message: "Invalid 'max_tokens': integer below minimum value. Expected a value >= 1, but got 0 instead."),
        Case(body: #"{"model":"gpt-4o","max_tokens":100000,"messages":\#(user)}"#, param: "max_tokens", code: "invalid_value",
             message: "max_tokens is too large: 100000. This model supports at most 16384 completion tokens, whereas you provided 100000."),
        Case(body: #"{"model":"o1","max_tokens":10,"messages":\#(user)}"#, param: "max_tokens", code: "unsupported_parameter",
             message: "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead."),
        Case(body: #"{"model":"o1","temperature":0.5,"messages":\#(user)}"#, param: "temperature", code: "unsupported_value",
             message: "Unsupported value: 'temperature' does not support 0.5 with this model. Only the default (1) value is supported."),
        Case(body: #"{"model":"gpt-9","messages":\#(user)}"#, status: 404, code: "model_not_found",
             message: "The model `gpt-9` does not exist or you do not have access to it."),
        Case(body: #"{"model":"gpt-3.5-turbo-instruct","messages":\#(user)}"#, status: 404, param: "model",
             message: "This is not a chat model and thus not supported in the v1/chat/completions endpoint. Did you mean to use v1/completions?"),
        Case(body: #"{"model":"gpt-4o","tool_choice":"auto","messages":\#(user)}"#, param: "tool_choice",
             message: "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified."),
        Case(body: #"{"model":"gpt-4o","parallel_tool_calls":false,"messages":\#(user)}"#, param: "parallel_tool_calls",
             message: "Invalid value for 'parallel_tool_calls': 'parallel_tool_calls' is only allowed when 'tools' are specified."),
        Case(body: #"{"model":"gpt-4o","tools":[{"type":"function","function":{"name":"bad name"}}],"messages":\#(user)}"#,
             param: "tools[0].function.name", code: "invalid_value",
             message: "Invalid 'tools[0].function.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'."),
        Case(body: #"{"model":"gpt-4o","tools":[{"type":"function","function":{"name":"\#(String(repeating: "a", count: 65))"}}],"messages":\#(user)}"#,
             param: "tools[0].function.name", code: "string_above_max_length",
             message: "Invalid 'tools[0].function.name': string too long. Expected a string with maximum length 64, but got a string with length 65 instead."),
        Case(body: #"{"model":"gpt-4o","tools":[],"messages":\#(user)}"#, param: "tools", code: "empty_array",
             message: "Invalid 'tools': empty array. Expected an array with minimum length 1, but got an empty array instead."),
        Case(body: #"{"model":"gpt-4o","tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":"sometimes","messages":\#(user)}"#,
             param: "tool_choice", code: "invalid_value",
             message: "Invalid value: 'sometimes'. Supported values are: 'none', 'auto', and 'required'."),
        Case(body: #"{"model":"gpt-4o","response_format":{"type":"json_object"},"messages":\#(user)}"#, param: "messages",
             message: "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'."),
        Case(body: #"{"model":"gpt-4o","response_format":{"type":"xml"},"messages":\#(user)}"#, param: "response_format.type", code: "invalid_value",
             message: "Invalid value: 'xml'. Supported values are: 'text', 'json_object', and 'json_schema'."),
        Case(body: #"{"model":"gpt-4o","response_format":{"type":"json_schema","json_schema":{"schema":{}}},"messages":\#(user)}"#,
             param: "response_format.json_schema.name", code: "missing_required_parameter",
             message: "Missing required parameter: 'response_format.json_schema.name'."),
        Case(body: #"{"model":"gpt-4o","response_format":{"type":"json_schema","json_schema":{"name":"p","strict":true,"schema":{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]}}},"messages":\#(user)}"#,
             param: "response_format", code: "invalid_json_schema",
             message: "Invalid schema for response_format 'p': In context=(), 'additionalProperties' is required to be supplied and to be false."),
        Case(body: #"{"model":"gpt-4o","tools":[{"type":"function","function":{"name":"f","strict":true,"parameters":{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"object","properties":{"c":{"type":"integer"}},"additionalProperties":false}},"required":["a","b"],"additionalProperties":false}}}],"messages":\#(user)}"#,
             param: "tools[0].function.parameters", code: "invalid_json_schema",
             message: "Invalid schema for function 'f': In context=('properties', 'b'), 'required' is required to be supplied and to be an array including every key in properties. Missing 'c'."),
        Case(body: #"{"model":"gpt-4o","function_call":"auto","messages":\#(user)}"#, param: "function_call",
             message: "Invalid value for 'function_call': 'function_call' is only allowed when 'functions' are specified."),
    ]

    @Test(arguments: cases)
    func rejectsLikeTheRealAPI(_ c: Case) async throws {
        let r = await TestClient().chat(c.body)
        #expect(r.status == c.status)
        let error = try #require(r.json?.error)
        #expect(error.objectValue?.keys == ["message", "type", "param", "code"])
        #expect(error["message"]?.stringValue == c.message)
        #expect(error["type"] == "invalid_request_error")
        #expect(error["param"] == (c.param.map(JSONValue.string) ?? .null))
        #expect(error["code"] == (c.code.map(JSONValue.string) ?? .null))
    }

    @Test func contextOverflowUsesTheModelsWindow() async throws {
        let long = String(repeating: "word ", count: 9_000)
        let r = await TestClient().chat(#"{"model":"gpt-4","messages":[{"role":"user","content":"\#(long)"}]}"#)
        #expect(r.status == 400)
        #expect(r.json?.error?["code"] == "context_length_exceeded")
        #expect(r.json?.error?["param"] == "messages")
        let message = try #require(r.json?.error?["message"]?.stringValue)
        #expect(message.hasPrefix("This model's maximum context length is 8192 tokens. However, your messages resulted in "))
        // prompt + max_tokens over the window, prompt alone under it.
        let mid = String(repeating: "word ", count: 6_000)
        let r2 = await TestClient().chat(#"{"model":"gpt-4","max_tokens":4000,"messages":[{"role":"user","content":"\#(mid)"}]}"#)
        #expect(r2.json?.error?["code"] == "context_length_exceeded")
        #expect(r2.json?.error?["message"]?.stringValue?.contains("in the messages, 4000 in the completion") == true)
        let ok = await TestClient().chat(#"{"model":"gpt-4","max_tokens":1000,"messages":[{"role":"user","content":"\#(mid)"}]}"#)
        #expect(ok.status == 200)
    }

    @Test func malformedBodiesAreRejected() async throws {
        let r = await TestClient().chat("{not json")
        #expect(r.status == 400)
        let empty = await TestClient().chat("")
        #expect(empty.status == 400)
    }
}
