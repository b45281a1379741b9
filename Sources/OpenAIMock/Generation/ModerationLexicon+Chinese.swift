/// Chinese term sets and rules, on the same scale as the English ones (1.0 evidence = flagged).
///
/// Every Han character is a token, so windows count characters. Single characters with
/// violent meaning (`杀`, `砍`) occur in everyday compounds (`杀毒软件` antivirus, `秒杀` flash
/// sale, `砍价` haggling, `想死你了` "miss you to death"); those compounds are listed as benign
/// and blanked before matching.
extension ModerationClassifier {
    static let zhIntent = ["我要", "我会", "我想", "我今天就", "我今晚就", "我今晚", "我迟早", "老子要", "老子", "我一定",
                           "我非要", "我准备", "我打算", "我去", "我们要", "我马上", "迟早", "早晚", "我发誓", "我现在就"]
    static let zhViolentVerb = ["杀", "弄死", "打死", "砍死", "砍", "捅死", "捅", "宰了", "干掉", "杀掉", "杀死", "炸死",
                                "烧死", "毒死", "揍", "勒死", "掐死", "枪毙", "灭了", "废了", "打残", "撕了", "剁了"]
    static let zhTarget = ["你", "他", "她", "他们", "你们", "全家", "你妈", "一家", "家人", "老婆", "老公", "孩子", "所有人",
                           "老师", "老板", "邻居", "同事"]
    static let zhStrongViolence = ["杀人", "谋杀", "屠杀", "砍死", "杀死", "枪杀", "暗杀", "残杀", "虐杀", "砍人", "捅人"]
    static let zhThreatPhrase = ["你死定了", "等着瞧", "让你好看", "要你的命", "要你命", "你给我等着", "你活不过",
                                 "小心你的狗命", "我知道你住哪", "不得好死", "全家死光", "让你见血", "你别想活"]
    static let zhGraphic = ["血肉模糊", "肢解", "碎尸", "开膛", "斩首", "内脏", "脑浆", "血淋淋", "鲜血直流", "尸体", "分尸",
                            "断肢", "血流成河", "砍头", "挖眼", "剥皮", "残肢"]
    static let zhSelfHarm = ["自杀", "轻生", "割腕", "跳楼", "上吊", "自残", "寻死", "安眠药", "厌食", "催吐"]
    static let zhSelfHarmFirstPerson = ["我想死", "我不想活", "我要自杀", "我想自杀", "我想结束自己", "我想结束生命",
                                        "活不下去", "不想活了", "我要去死", "我想去死", "我想割腕", "我想跳楼",
                                        "结束自己的生命", "我准备自杀", "我打算自杀", "我要跳楼"]
    static let zhHowTo = ["怎么", "如何", "怎样", "教我", "教教我", "方法", "办法", "步骤", "教程", "攻略", "技巧", "哪种",
                          "最好的方式", "最快的方式"]
    static let zhSelfHarmMethod = ["自杀", "割腕", "上吊", "跳楼", "安眠药", "结束生命", "不痛苦地死", "死得快", "自残"]
    static let zhEncourageSelfHarm = ["你去死吧", "去死吧", "你怎么不去死", "赶紧去死", "你去自杀", "你怎么还不死",
                                      "你快去死", "你可以去死了"]
    static let zhSexualStrong = ["色情", "做爱", "性交", "口交", "裸照", "裸体", "黄片", "毛片", "约炮", "性爱", "淫荡",
                                 "淫秽", "嫖娼", "卖淫", "自慰", "手淫", "阴茎", "阴道", "鸡巴", "操我", "援交", "一夜情",
                                 "成人视频", "脱光"]
    static let zhSexualMild = ["性感", "胸部", "内衣", "调情", "床戏", "亲热", "上床", "诱惑"]
    static let zhMinor = ["儿童", "未成年", "幼女", "萝莉", "小学生", "初中生", "中学生", "幼儿", "岁的女孩", "岁的男孩",
                          "小女孩", "小男孩", "童"]
    static let zhGroup = ["黑人", "犹太人", "穆斯林", "回民", "同性恋", "外国人", "日本人", "美国人", "中国人", "韩国人",
                          "印度人", "非洲人", "女人", "农村人", "外地人", "河南人", "残疾人", "基督徒", "移民", "难民"]
    static let zhDehumanise = ["劣等", "低等", "垃圾", "畜生", "下等", "不配", "蟑螂", "害虫", "杂种", "都是贼", "都是骗子",
                               "滚出", "恶心", "猪狗不如", "不是人", "寄生虫", "该死", "都该"]
    static let zhGenocide = ["杀光", "消灭", "灭绝", "赶尽杀绝", "屠杀", "都该死", "烧死", "清除", "杀了所有", "统统杀掉",
                             "全部杀掉", "赶出去"]
    static let zhInsultStrong = ["傻逼", "傻b", "煞笔", "白痴", "蠢货", "脑残", "贱人", "智障", "混蛋", "王八蛋", "狗东西",
                                 "贱货", "废物", "婊子", "人渣", "畜生", "蠢猪"]
    static let zhSecondPerson = ["你", "你这个", "你个", "你是", "你们"]
    static let zhHarassPhrase = ["操你", "草泥马", "你妈的", "去你妈", "滚开", "闭嘴", "你算什么东西", "滚出去", "滚蛋",
                                 "傻逼", "你真恶心", "没人喜欢你", "你是垃圾", "你这个垃圾", "你个垃圾",
                                 "你就是个垃圾"]
    static let zhCrime = ["偷东西", "偷车", "偷钱", "盗窃", "入室", "撬锁", "洗钱", "制毒", "贩毒", "冰毒", "假钞", "逃税",
                          "偷税", "诈骗", "黑进", "入侵别人", "盗号", "破解密码", "走私", "行贿", "盗刷", "偷拍", "造假证",
                          "办假证", "偷"]
    static let zhWeapon = ["炸弹", "炸药", "制造枪", "自制枪", "土枪", "毒药", "下毒", "绑架", "雇凶", "买枪", "雷管",
                           "燃烧瓶", "毒气", "枪支"]

    static let zhAttackVerb = ["炸了", "炸掉", "炸毁", "放火烧", "烧了", "烧掉", "血洗"]
    static let zhPlace = ["楼", "学校", "公司", "医院", "地铁", "大楼", "政府", "商场", "车站", "机场", "教室", "教堂",
                          "寺庙", "清真寺", "你家", "他家"]

    static let chineseRules: [ModerationRule] = [
        ModerationRule([zhIntent, zhViolentVerb, zhTarget], window: 3,
                       [(.violence, 2.0), (.harassmentThreatening, 2.2), (.harassment, 1.3)]),
        ModerationRule([zhViolentVerb, zhTarget], window: 1, [(.violence, 0.9), (.harassmentThreatening, 0.8),
                                                              (.harassment, 0.3)]),
        ModerationRule([zhStrongViolence], [(.violence, 0.25)]),
        ModerationRule([zhIntent, zhAttackVerb, zhPlace], window: 3, [(.violence, 2.0), (.illicitViolent, 0.6),
                                                                    (.harassmentThreatening, 0.6)]),
        ModerationRule([zhThreatPhrase], [(.harassmentThreatening, 1.6), (.violence, 0.9), (.harassment, 1.0)]),
        ModerationRule([zhGraphic], [(.violenceGraphic, 0.45), (.violence, 0.2)]),
        ModerationRule([zhGraphic, zhGraphic], window: 20, ordered: false, [(.violenceGraphic, 0.5), (.violence, 0.3)]),
        ModerationRule([zhStrongViolence, zhGraphic], window: 12, ordered: false,
                       [(.violenceGraphic, 1.2), (.violence, 1.2)]),
        ModerationRule([zhSelfHarm], [(.selfHarm, 0.6)]),
        ModerationRule([zhSelfHarmFirstPerson], [(.selfHarm, 1.8), (.selfHarmIntent, 2.0)]),
        ModerationRule([zhHowTo, zhSelfHarmMethod], window: 4, ordered: false,
                       [(.selfHarmInstructions, 2.0), (.selfHarm, 1.4), (.selfHarmIntent, 0.4)]),
        ModerationRule([zhEncourageSelfHarm], [(.harassment, 1.6), (.selfHarm, 1.2), (.selfHarmInstructions, 0.6),
                                               (.harassmentThreatening, 0.4)]),
        ModerationRule([zhSexualStrong], [(.sexual, 1.3)]),
        ModerationRule([zhSexualMild], [(.sexual, 0.35)]),
        ModerationRule([zhSexualStrong, zhMinor], window: 12, ordered: false, [(.sexualMinors, 2.5), (.sexual, 0.8)]),
        ModerationRule([zhSexualMild, zhMinor], window: 8, ordered: false, [(.sexualMinors, 0.8), (.sexual, 0.2)]),
        ModerationRule([zhGroup, zhDehumanise], window: 6, ordered: false, [(.hate, 1.7), (.harassment, 0.6)]),
        ModerationRule([zhGenocide, zhGroup], window: 6, ordered: false,
                       [(.hateThreatening, 2.0), (.hate, 1.5), (.violence, 1.0), (.harassmentThreatening, 0.4)]),
        ModerationRule([zhSecondPerson, zhInsultStrong], window: 2, [(.harassment, 1.5)]),
        ModerationRule([zhInsultStrong], [(.harassment, 0.3)]),
        ModerationRule([zhHarassPhrase], [(.harassment, 1.4)]),
        ModerationRule([zhHowTo, zhCrime], window: 6, ordered: false, [(.illicit, 2.0)]),
        ModerationRule([zhCrime], [(.illicit, 0.3)]),
        ModerationRule([zhHowTo, zhWeapon], window: 6, ordered: false,
                       [(.illicitViolent, 2.2), (.illicit, 1.6), (.violence, 0.6)]),
        ModerationRule([zhWeapon], [(.illicitViolent, 0.45), (.violence, 0.25)]),
    ]

    /// Everyday compounds containing violent or crude characters.
    static let chineseBenign = [
        "杀毒", "杀菌", "秒杀", "杀价", "砍价", "杀虫", "杀青", "抹杀", "杀时间", "杀手锏", "必杀技", "宰客",
        "笑死", "气死", "累死", "饿死", "困死", "热死", "冷死", "吓死", "死机", "打死也不", "想死你", "想死我", "爱死",
        "美死", "帅死", "好吃死", "废物利用", "废物回收", "垃圾分类", "垃圾桶", "垃圾邮件", "垃圾食品", "偷偷", "偷懒",
        "小偷", "偷笑", "预防自杀", "自杀预防", "心理援助", "滚动", "滚筒", "滚烫", "摇滚", "童话", "童年", "童装",
        "儿童节", "性感冒", "性格", "性别", "性能", "兴趣",
        "我不会", "我不想", "我不要", "我绝不", "我们不会",
    ]
}
