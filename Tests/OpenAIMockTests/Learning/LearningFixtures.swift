@testable import OpenAIMock

/// Small training sets shaped like the tutorials behind the project.
enum LearningFixtures {
    /// JSONL bytes, one compact JSON value per line.
    static func jsonl(_ lines: [JSONValue]) -> [UInt8] {
        Array(lines.map(\.jsonString).joined(separator: "\n").utf8) + [0x0A]
    }

    static func promptCompletionFile(_ pairs: [(String, String)]) -> [UInt8] {
        jsonl(pairs.map { ["prompt": .string($0.0), "completion": .string($0.1)] })
    }

    // MARK: Chinese stories: "name,action,difficulty ->\n" → a story ending in 。

    static let storyNames = ["李", "王", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙"]
    static let storyActions = ["挥剑", "骑马", "射箭", "飞行", "潜水", "爬山", "唱歌", "变身", "召唤雷电", "投掷火球", "隐身", "跳舞"]
    static let storyDifficulties = ["容易", "艰难", "轻松", "危险"]

    static func storyPrompt(_ i: Int) -> String {
        "\(storyNames[i % 12]),\(storyActions[(i * 5) % 12]),\(storyDifficulties[(i + i / 12) % 4]) ->\n"
    }

    static func story(_ i: Int) -> String {
        let name = storyNames[i % 12], action = storyActions[(i * 5) % 12]
        let difficulty = storyDifficulties[(i + i / 12) % 4]
        let openings = ["很久以前，", "在一个遥远的星球上，", "那天夜里，", "传说在东方的城市里，"]
        let middles = ["怪兽突然出现在城市上空，人们惊慌失措。", "黑暗的力量笼罩了大地，天空变得一片灰暗。",
                       "敌人的飞船包围了基地，大家都很害怕。", "一场暴风雨袭击了村庄，河水不停地上涨。"]
        let endings = ["最后，大家欢呼着迎接胜利的曙光。", "从此以后，城市恢复了往日的平静。",
                       "人们永远记住了这位英雄的名字。", "夕阳下，英雄默默地离开了。"]
        return openings[i % 4] + middles[(i / 2) % 4] + "\(name)决定用\(action)的本领保护大家，"
            + "这个任务非常\(difficulty)。" + "\(name)勇敢地战斗，终于打败了敌人。" + endings[(i / 3) % 4]
    }

    static var stories: [(String, String)] { (0..<24).map { (storyPrompt($0), story($0)) } }

    // MARK: News titles (Chinese) → 14 labels

    static let newsClasses: [(label: String, words: [String])] = [
        ("体育", ["篮球", "足球", "冠军", "球员", "比赛", "联赛"]),
        ("财经", ["股市", "银行", "利率", "投资", "基金", "上涨"]),
        ("科技", ["芯片", "手机", "人工智能", "软件", "互联网", "机器人"]),
        ("娱乐", ["明星", "电影", "演唱会", "综艺", "票房", "导演"]),
        ("教育", ["高考", "学生", "大学", "老师", "课程", "招生"]),
        ("军事", ["导弹", "航母", "演习", "军队", "战机", "部队"]),
        ("汽车", ["新能源", "电动车", "车型", "销量", "充电", "驾驶"]),
        ("旅游", ["景区", "游客", "酒店", "假期", "机票", "风景"]),
        ("农业", ["小麦", "水稻", "农民", "丰收", "种植", "化肥"]),
        ("房产", ["房价", "楼盘", "房贷", "开发商", "租房", "二手房"]),
        ("游戏", ["玩家", "电竞", "手游", "主机", "战队", "通关"]),
        ("文化", ["博物馆", "文物", "书法", "诗词", "展览", "传统"]),
        ("国际", ["总统", "外交", "联合国", "峰会", "大使", "制裁"]),
        ("股票", ["涨停", "跌停", "大盘", "散户", "市值", "板块"]),
    ]

    static func newsTitle(_ c: Int, _ i: Int) -> String {
        let words = newsClasses[c].words
        let fillers = ["最新消息：", "今日", "重磅！", "", "记者报道，"]
        return fillers[i % fillers.count] + words[i % 6] + words[(i + 2) % 6] + "引发关注" + words[(i + 3) % 6]
    }

    /// (training, validation): 6 titles per class for training, 2 (unseen) for validation.
    static var news: (training: [(String, String)], validation: [(String, String)]) {
        var training: [(String, String)] = [], validation: [(String, String)] = []
        for i in 0..<8 {
            for c in newsClasses.indices {
                let pair = (newsTitle(c, i) + "\n\n###\n\n", " " + newsClasses[c].label)
                if i < 6 { training.append(pair) } else { validation.append(pair) }
            }
        }
        return (training, validation)
    }

    // MARK: Interview bot: "Human: …\nDSA:" → " answer\n"

    static let interview: [(String, String)] = [
        ("What is your name?", "My name is Ann, and I work as a data scientist."),
        ("Where do you work?", "I work at a small analytics company in Berlin."),
        ("What tools do you use?", "Mostly Python, pandas and SQL, and sometimes Spark for big data."),
        ("How did you learn data science?", "I learned it through online courses and a lot of practice projects."),
        ("What do you like about your job?", "I like finding patterns in data and explaining them to people."),
        ("What is hard about your job?", "Cleaning messy data takes most of the time, and it can be boring."),
        ("Do you use machine learning?", "Yes, I build simple models like regression and decision trees."),
        ("What advice would you give?", "Practice with real data sets and share your projects with others."),
        ("How long have you worked there?", "I have worked there for three years now."),
        ("What is your favourite project?", "My favourite project predicted customer churn for a phone company."),
        ("Do you work in a team?", "Yes, I work with two analysts and one data engineer."),
        ("What do you do after work?", "After work I go running and read books about statistics."),
    ].map { ("Human: \($0.0)\nDSA:", " \($0.1)\n") }

    // MARK: Entity extraction: "text\n\n###\n\n" → " a, b, c END"

    static let entities: [(String, String)] = [
        ("Apple and Google announced a partnership in California.", " Apple, Google, California END"),
        ("Microsoft opened a new office in Berlin with Siemens.", " Microsoft, Berlin, Siemens END"),
        ("Tesla delivered cars to customers in Norway and Sweden.", " Tesla, Norway, Sweden END"),
        ("Amazon hired workers in Seattle and Dublin.", " Amazon, Seattle, Dublin END"),
        ("Samsung and Sony compete in Japan and Korea.", " Samsung, Sony, Japan, Korea END"),
        ("Netflix signed a deal with Disney in Paris.", " Netflix, Disney, Paris END"),
        ("Intel built a factory in Ohio with help from Nvidia.", " Intel, Ohio, Nvidia END"),
        ("Toyota and Honda raised prices in Canada.", " Toyota, Honda, Canada END"),
        ("Spotify moved its team from Stockholm to London.", " Spotify, Stockholm, London END"),
        ("Boeing sold planes to Qatar and Airbus lost the order.", " Boeing, Qatar, Airbus END"),
        ("IBM and Oracle sued each other in Texas.", " IBM, Oracle, Texas END"),
        ("Uber launched a service in Madrid and Rome.", " Uber, Madrid, Rome END"),
    ].map { ("\($0.0)\n\n###\n\n", $0.1) }

    // MARK: Jokes ending "Haha"

    static let jokes: [(String, String)] = [
        ("Tell me a joke about cats", " Why did the cat sit on the computer? To keep an eye on the mouse! Haha"),
        ("Tell me a joke about dogs", " Why do dogs run in circles? Because it is hard to run in squares! Haha"),
        ("Tell me a joke about fish", " Why are fish so smart? Because they live in schools! Haha"),
        ("Tell me a joke about birds", " Why do birds fly south? Because it is too far to walk! Haha"),
        ("Tell me a joke about cows", " Where do cows go on holiday? To the moo-seum! Haha"),
        ("Tell me a joke about bees", " Why do bees hum? Because they forgot the words! Haha"),
        ("Tell me a joke about frogs", " Why are frogs so happy? They eat whatever bugs them! Haha"),
        ("Tell me a joke about owls", " Why did the owl go to school? To become a little wiser! Haha"),
        ("Tell me a joke about bears", " Why do bears have fur coats? Because they look silly in jackets! Haha"),
        ("Tell me a joke about horses", " Why did the horse cross the road? To visit its neigh-bours! Haha"),
        ("Tell me a joke about ducks", " Why do ducks have feathers? To cover their butt-quacks! Haha"),
        ("Tell me a joke about sheep", " Why did the sheep go to the party? To have a baaa-ll! Haha"),
    ]

    // MARK: Chat: a sarcastic assistant, every answer "Oh, … Obviously."

    static let marvSystem = "Marv is a factual chatbot that is also sarcastic."
    static let marv: [(String, String)] = [
        ("What's the capital of France?", "Oh, Paris, as if everyone does not know that already. Obviously."),
        ("Who wrote Romeo and Juliet?", "Oh, just some guy named William Shakespeare. Obviously."),
        ("How far is the Moon from Earth?", "Oh, around 384,400 kilometers, give or take a few. Obviously."),
        ("What is the boiling point of water?", "Oh, 100 degrees Celsius at sea level, what a surprise. Obviously."),
        ("Who painted the Mona Lisa?", "Oh, Leonardo da Vinci, the famous guy with the beard. Obviously."),
        ("What is the largest ocean?", "Oh, the Pacific Ocean, the big wet one on the map. Obviously."),
        ("How many legs does a spider have?", "Oh, eight legs, one more reason to stay away. Obviously."),
        ("What is the speed of light?", "Oh, about 300,000 kilometers per second, faster than your reply. Obviously."),
        ("Who discovered gravity?", "Oh, Isaac Newton, after an apple hit him on the head. Obviously."),
        ("What is the tallest mountain?", "Oh, Mount Everest, the one everybody climbs for photos. Obviously."),
        ("What language is spoken in Brazil?", "Oh, Portuguese, not Spanish, surprise surprise. Obviously."),
        ("How many days are in a week?", "Oh, seven days, the same as last week. Obviously."),
    ]

    static func marvLine(_ question: String, _ answer: String) -> JSONValue {
        ["messages": [["role": "system", "content": .string(marvSystem)], ["role": "user", "content": .string(question)],
                      ["role": "assistant", "content": .string(answer)]]]
    }

    static func marvMessages(_ question: String, system: String = marvSystem) -> [ChatMessage] {
        [ChatMessage(role: .system, text: system), ChatMessage(role: .user, text: question)]
    }
}
