import Testing
@testable import OpenAIMock

/// Paragraphs with their true `cl100k_base` counts, measured with tiktoken 0.x (cl100k_base vocabulary).
struct TokenFixture: Sendable, CustomTestStringConvertible {
    let name: String
    let trueCount: Int
    let text: String
    init(_ name: String, _ trueCount: Int, _ text: String) {
        self.name = name; self.trueCount = trueCount; self.text = text
    }
    var testDescription: String { name }

    static let all: [TokenFixture] = [
        TokenFixture("code1", 89, "func fibonacci(_ n: Int) -> Int {\n    guard n > 1 else { return n }\n    var (a, b) = (0, 1)\n    for _ in 2...n {\n        (a, b) = (b, a + b)\n    }\n    return b\n}\n\nlet values = (0..<10).map(fibonacci)\nprint(values.map(String.init).joined(separator: \", \"))"),
        TokenFixture("en1", 83, "The old lighthouse stood at the edge of the cliff, its white paint peeling after decades of salt and wind. Every evening, the keeper climbed the spiral staircase to light the lamp, counting each of the one hundred and twelve steps as his father had done before him. Ships no longer needed the beam to find their way, but the village insisted that the light remain, a small promise kept against the dark."),
        TokenFixture("en2", 77, "To configure the client, set the base URL to the address printed by the server and provide any API key; the mock ignores authentication unless strict mode is enabled. Requests are matched against scenario rules in file order, and the first rule whose conditions hold determines the response. When no rule matches, a deterministic generator produces a plausible answer, so repeated runs of the same test observe identical bytes."),
        TokenFixture("en3", 76, "Photosynthesis converts light energy into chemical energy stored in glucose. In the chloroplasts of plant cells, chlorophyll absorbs photons, which drive the splitting of water molecules and the release of oxygen. The resulting electrochemical gradient powers the synthesis of ATP, while the Calvin cycle incorporates atmospheric carbon dioxide into three-carbon sugars that the plant later assembles into starch and cellulose."),
        TokenFixture("en4", 74, "\"Are you sure?\" she asked, glancing at the clock. It was nearly midnight, and the train wouldn't leave until six. He shrugged. \"I've waited longer for worse reasons.\" Outside, snow had begun to fall again, soft and unhurried, covering the platform in a blanket that muffled every sound except the distant hum of the generator."),
        TokenFixture("json1", 45, "{\"name\": \"get_weather\", \"arguments\": {\"location\": \"Paris, France\", \"unit\": \"celsius\", \"days\": 3}, \"tags\": [\"forecast\", \"daily\"], \"ok\": true}"),
        TokenFixture("mix1", 60, "我们在 2024 年发布了 OpenAI Mock 的第一个版本，它支持 chat completions、embeddings 和 fine-tuning 接口。Use `swift run openai-mock --port 0` to start it; 默认端口是 4010。"),
        TokenFixture("num1", 76, "Invoice 2024-0173: 14 units at $1,249.99 each, subtotal $17,499.86, tax 8.25% ($1,443.74), total $18,943.60. Phone +1 (415) 555-0198, order #88231904, shipped 03/15/2024."),
        TokenFixture("zh1", 140, "春天来了，公园里的花都开了。小朋友们在草地上奔跑，老人们坐在长椅上晒太阳、聊天。湖面上有几只白色的天鹅慢慢地游过，远处传来鸟儿清脆的叫声。这样的日子让人感到温暖而平静，仿佛所有的烦恼都被风吹走了。"),
        TokenFixture("zh2", 172, "人工智能技术近年来发展迅速，已经广泛应用于医疗、教育、交通和金融等领域。通过分析大量数据，机器学习模型能够发现人类难以察觉的规律，从而帮助医生更早地诊断疾病，帮助企业更准确地预测市场变化。然而，这项技术也带来了隐私保护和就业结构调整等新的挑战，需要社会各界共同思考和应对。"),
        TokenFixture("zh3", 77, "用户在登录页面输入用户名和密码后，系统会向服务器发送请求并验证参数。如果验证成功，返回的数据中包含访问令牌和过期时间；如果失败，则显示错误信息并提示用户重新输入。所有操作都会记录在日志文件中，方便管理员查询和处理异常情况。"),
        TokenFixture("zh4", 124, "黄河是中国的第二长河，发源于青藏高原，蜿蜒流经九个省份，最终注入渤海。千百年来，它哺育了两岸的百姓，孕育了灿烂的华夏文明，但也因泥沙淤积而屡次改道，给沿岸带来严重的洪涝灾害。"),
        TokenFixture("en5", 64, "Marathon training demands patience more than raw talent. Beginners often increase their weekly mileage too quickly, which leads to shin splints, stress fractures and burnout. A sensible plan alternates hard sessions with easy recovery runs, includes one long run each weekend, and tapers gradually during the final three weeks before race day."),
        TokenFixture("en6", 32, "The committee's recommendations, published on Thursday, propose restructuring municipal procurement to prioritize transparency and competitive bidding. Critics argue that the additional paperwork will disproportionately burden small contractors."),
        TokenFixture("zh5", 99, "在过去的十年里，这座城市的公共交通系统经历了巨大的变化。地铁线路从三条增加到十二条，公交车全部换成了电动车，市民出行变得更加方便快捷。不过，高峰时段的拥挤问题仍然没有得到根本解决。"),
        TokenFixture("zh6", 91, "妈妈在厨房里包饺子，爸爸在客厅里看报纸，奶奶坐在窗边织毛衣。窗外飘着雪花，屋里却暖洋洋的，整个家充满了过年的气氛。"),
    ]
}

@Suite struct TokenCounterTests {
    @Test(arguments: TokenFixture.all)
    func countIsWithin15PercentOfCl100k(_ fixture: TokenFixture) {
        let ours = TokenCounter.count(fixture.text)
        let error = Double(ours - fixture.trueCount) / Double(fixture.trueCount)
        print("token fixture \(fixture.name): ours \(ours) cl100k \(fixture.trueCount) (\(Int((error * 100).rounded()))%)")
        #expect(abs(error) <= 0.15, "\(fixture.name): ours \(ours) vs cl100k \(fixture.trueCount)")
    }

    @Test(arguments: TokenFixture.all)
    func tokenizeRoundTripsAndAgreesWithCount(_ fixture: TokenFixture) {
        let pieces = TokenCounter.pieces(fixture.text)
        #expect(pieces.map(\.text).joined() == fixture.text)
        #expect(pieces.reduce(0) { $0 + $1.tokens } == TokenCounter.count(fixture.text))
        #expect(pieces.allSatisfy { !$0.text.isEmpty && $0.tokens >= 1 })
    }

    @Test func roundTripsAwkwardInput() {
        let samples = ["", " ", "\n\n\n", "a", "   leading and trailing   ", "tabs\tand\r\nCRLF\r\n",
                       "emoji 👩‍👩‍👧 and flags 🇫🇷!", "e\u{301}te\u{301} café naïve Ωμέγα привет мир",
                       "x'll 'S ''' 123456789 ١٢٣", "HTTPServer parseJSONValue getHTTPResponseCode",
                       "日本語のテキストです。한국어 텍스트", "\u{2028}\u{85}\u{A0}mixed\u{3000}spaces"]
        for s in samples {
            #expect(TokenCounter.tokenize(s).joined() == s, "\(s)")
            #expect(TokenCounter.count(s) >= (s.isEmpty ? 0 : 1))
        }
    }

    @Test func knownSmallCounts() {
        #expect(TokenCounter.count("") == 0)
        #expect(TokenCounter.count("Hello world") == 2)
        #expect(TokenCounter.count("1234567") == 3)  // digits group by three
        #expect(TokenCounter.tokenize("I'm here") == ["I", "'m", " here"])
        #expect(TokenCounter.count("数据") == 1)  // a multi-character cl100k token
    }

    @Test func chatCountAddsCookbookOverhead() {
        let messages: [(role: String, content: String, name: String?)] = [
            ("system", "You are a helpful assistant.", nil),
            ("user", "Hello!", "alice"),
        ]
        // 3 priming + 2 × 3 per message + roles + contents + name (+1)
        let expected = 3 + 3 + 1 + TokenCounter.count("You are a helpful assistant.")
            + 3 + 1 + TokenCounter.count("Hello!") + 1 + TokenCounter.count("alice")
        #expect(TokenCounter.countChat(messages) == expected)
    }
}
