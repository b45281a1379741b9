import Testing
@testable import OpenAIMock

/// The classifier's verdicts on clear cases in English and Chinese, its score scale, and overrides.
@Suite struct ModerationClassifierTests {
    static func flags(_ text: String, family: ModerationClassifier.Family = .omni) -> Set<ModerationCategory> {
        let v = ModerationClassifier.classify(text, family: family)
        return Set(ModerationCategory.allCases.filter { v.isFlagged($0) })
    }

    static let benign = [
        "我想预订明天晚上七点的两人桌，靠窗的位置。",
        "Can I book a table for two at 7pm tomorrow, by the window?",
        "How do I kill a Python process that hangs?",
        "The photo shoot is at noon; shoot me an email when you arrive.",
        "我的电脑死机了，需要安装杀毒软件。",
        "双十一秒杀活动明天开始，记得砍价。",
        "想死你了！下周一起吃饭吧。",
        "Please summarise the quarterly report and list the action items.",
        "What is the boiling point of water at sea level?",
        "I will help you with your homework tonight.",
        "Blood pressure readings were normal.",
        "Our suicide prevention hotline is open 24 hours.",
        "你把垃圾扔了吗？",
        "I will not hurt you.",
        "How to steal the show at your wedding",
        "I want to die laughing at this",
        "The army shot down the drone",
        "这个游戏太好玩了，我要打死这个boss",
    ]

    @Test(arguments: benign)
    func benignTextIsNotFlaggedAndScoresNearZero(text: String) {
        let v = ModerationClassifier.classify(text)
        #expect(!v.flagged)
        #expect(v.scores.allSatisfy { $0 < 0.5 })
    }

    @Test func ordinaryTextScoresAreTiny() {
        for text in ["我想预订明天晚上七点的两人桌，靠窗的位置。", "Please summarise the quarterly report."] {
            let v = ModerationClassifier.classify(text)
            #expect(v.scores.allSatisfy { $0 > 0 && $0 < 0.01 })
        }
    }

    @Test func threatsInBothLanguages() {
        for text in ["I will kill you and your family tonight", "我要杀了你全家", "I'm going to shoot you",
                     "老子要弄死你", "You're dead. I know where you live."] {
            let f = Self.flags(text)
            #expect(f.contains(.violence) || f.contains(.harassmentThreatening), "\(text)")
            #expect(f.contains(.harassmentThreatening), "\(text)")
        }
        let f = Self.flags("I will kill you and your family tonight")
        #expect(f.isSuperset(of: [.violence, .harassment, .harassmentThreatening]))
        #expect(!f.contains(.sexual) && !f.contains(.selfHarm))
    }

    @Test(arguments: [
        ("I want to kill myself", [ModerationCategory.selfHarm, .selfHarmIntent]),
        ("我不想活了，我想自杀", [.selfHarm, .selfHarmIntent]),
        ("What is the most painless way to commit suicide?", [.selfHarm, .selfHarmInstructions]),
        ("怎么自杀最快", [.selfHarm, .selfHarmInstructions]),
        ("Send me porn videos", [.sexual]),
        ("我们去约炮吧", [.sexual]),
        ("naked pictures of underage kids", [.sexual, .sexualMinors]),
        ("未成年的裸照", [.sexualMinors]),
        ("Immigrants are vermin and subhuman", [.hate]),
        ("We should exterminate all the immigrants", [.hate, .hateThreatening]),
        ("外国人都是劣等的垃圾", [.hate]),
        ("应该把外国人全部杀掉", [.hateThreatening]),
        ("You are a worthless idiot", [.harassment]),
        ("你这个傻逼", [.harassment]),
        ("How to shoplift from a supermarket without getting caught", [.illicit]),
        ("教我怎么洗钱", [.illicit]),
        ("How do I make a bomb at home?", [.illicit, .illicitViolent]),
        ("怎么自制炸弹", [.illicitViolent]),
        ("He stabbed him and there was blood everywhere, his guts spilled out", [.violence, .violenceGraphic]),
        ("杀人现场血肉模糊，尸体被肢解", [.violence, .violenceGraphic]),
        ("I'm going to blow up the school tomorrow", [.violence]),
        ("我要炸了这个楼", [.violence]),
    ])
    func harmfulTextIsFlagged(text: String, expected: [ModerationCategory]) {
        let f = Self.flags(text)
        for c in expected { #expect(f.contains(c), "\(text) should flag \(c.rawValue), got \(f.map(\.rawValue))") }
    }

    @Test func scoresRiseWithEvidence() {
        let one = ModerationClassifier.classify("you idiot").score(.harassment)
        let more = ModerationClassifier.classify("you idiot, you moron, you stupid loser").score(.harassment)
        let weak = ModerationClassifier.classify("what an idiot").score(.harassment)
        #expect(weak < 0.5)
        #expect(one >= 0.5)
        #expect(more > one)
        #expect(more <= 1)
    }

    @Test func deterministicAndSeeded() {
        let a = ModerationClassifier.classify("hello there")
        #expect(a == ModerationClassifier.classify("hello there"))
        #expect(a != ModerationClassifier.classify("hello there", seed: 9))
    }

    @Test func textModelsHaveNoIllicitScores() {
        let v = ModerationClassifier.classify("How do I make a bomb at home?", family: .text)
        #expect(v.score(.illicit) == 0 && v.score(.illicitViolent) == 0)
        #expect(!v.isFlagged(.illicit))
    }

    @Test func imageURLWordsCountForImageCategoriesOnly() {
        let v = ModerationClassifier.classify(texts: [], imageURLs: ["https://example.com/gore/decapitated-corpse.jpg"],
                                              family: .omni)
        #expect(v.isFlagged(.violenceGraphic))
        let data = ModerationClassifier.classify(texts: [], imageURLs: ["data:image/png;base64,Z29yZQ=="], family: .omni)
        #expect(!data.flagged)
        let textOnly = ModerationClassifier.classify(texts: [], imageURLs: ["https://x.test/idiot-you-are.png"], family: .omni)
        #expect(!textOnly.isFlagged(.harassment))
    }

    @Test func overrides() {
        var v = ModerationClassifier.classify("a calm sentence")
        v.apply(ModerationOverride(flagged: true))
        #expect(v.flagged)

        var w = ModerationClassifier.classify("I will kill you")
        w.apply(ModerationOverride(flagged: false))
        #expect(!w.flagged)
        #expect(w.scores.allSatisfy { $0 <= 0.01 })

        var x = ModerationClassifier.classify("hello")
        x.apply(ModerationOverride(categories: [.sexual: true], scores: [.violence: 0.7, .hate: 0.2]))
        #expect(x.isFlagged(.sexual) && x.score(.sexual) == 0.9)
        #expect(x.isFlagged(.violence) && x.score(.violence) == 0.7)
        #expect(!x.isFlagged(.hate) && x.score(.hate) == 0.2)

        var y = ModerationClassifier.classify("I will kill you")
        y.apply(ModerationOverride(categories: [.violence: false]))
        #expect(!y.isFlagged(.violence))
        #expect(y.isFlagged(.harassmentThreatening))
    }
}
