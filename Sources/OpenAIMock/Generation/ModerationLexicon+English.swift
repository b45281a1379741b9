/// English term sets and rules. Weights: 1.0 of evidence = score 0.5 = flagged.
///
/// Deliberately small and explicit: enough for tests and demos to see realistic verdicts on
/// clear cases (threats, self-harm statements, requests for weapons or crime instructions,
/// explicit sexual content, dehumanising generalisations about groups), while everyday text,
/// including everyday uses of "kill" or "shoot", stays near zero. No slurs are listed; hate is
/// recognised by dehumanising patterns aimed at groups.
extension ModerationClassifier {
    static let enIntent = ["i will", "i'll", "i'm going to", "im going to", "i am going to", "i'm gonna",
                           "im gonna", "i gonna", "gonna", "i want to", "i wanna", "i'd like to", "i shall",
                           "we will", "we'll", "we're going to", "we are going to", "i'm about to",
                           "i am about to", "i'm coming to", "i swear i'll", "i swear i will", "i will come and",
                           "someone should", "somebody should", "i'm gonna go", "i'll make sure to"]
    static let enViolentVerb = ["kill*", "murder*", "shoot", "shooting", "stab*", "strangl*", "slaughter*",
                                "behead*", "butcher", "hurt", "harm", "beat up", "punch", "choke", "tortur*",
                                "slit", "execute", "massacre*", "assassinat*", "burn alive", "blow up",
                                "rape", "lynch*", "hunt down", "poison", "run over", "bash in", "gun down"]
    static let enTarget = ["you", "u", "ya", "your", "him", "her", "them", "his", "everyone", "everybody",
                           "family", "wife", "husband", "kids", "children", "boss", "teacher", "neighbor",
                           "neighbour", "all of you", "you all", "y'all", "people", "this guy", "that guy",
                           "that bitch", "that bastard", "ex", "mother", "father", "mom", "dad", "brother",
                           "sister", "classmates", "coworkers"]
    static let enStrongViolence = ["kill*", "murder*", "stab*", "strangl*", "slaughter*", "behead*", "massacre*",
                                   "assassinat*", "tortur*", "lynch*", "mass shooting", "shoot up"]
    static let enThreatPhrase = ["you will die", "you're dead", "you are dead", "you're going to die",
                                 "you are going to die", "you're gonna die", "i know where you live",
                                 "watch your back", "your days are numbered", "you won't live",
                                 "you will pay for this", "i'll find you", "i will find you", "dead meat",
                                 "sleep with the fishes", "you'll regret", "you will regret"]
    static let enGraphic = ["blood*", "gore", "gory", "guts", "entrails", "dismember*", "decapitat*",
                            "mutilat*", "disembowel*", "severed", "corpse*", "brains", "skull", "flesh",
                            "intestines", "bone sticking", "eyeball*", "splatter*", "viscera", "carcass"]
    static let enSelfHarm = ["suicide", "suicidal", "self-harm", "self harm", "selfharm", "overdose",
                             "anorexi*", "bulimi*", "cutting myself", "slit my wrists", "slit your wrists",
                             "hang myself", "hang yourself", "jump off a bridge"]
    static let enSelfHarmFirstPerson = ["kill myself", "killing myself", "end my life", "ending my life",
                                        "take my own life", "taking my own life", "cut myself", "hurt myself",
                                        "harm myself", "want to die", "wanna die", "don't want to live",
                                        "dont want to live", "no reason to live", "better off dead",
                                        "starve myself", "slit my wrists", "hang myself", "end it all",
                                        "commit suicide", "kill my self", "overdose on"]
    static let enHowTo = ["how to", "how do i", "how can i", "how do you", "how would i", "how should i",
                          "best way to", "easiest way to", "fastest way to", "painless way to", "ways to",
                          "steps to", "guide to", "instructions for", "instructions on", "teach me",
                          "tips for", "tips on", "tell me how", "explain how", "help me", "tutorial"]
    static let enSelfHarmMethod = ["kill myself", "kill yourself", "commit suicide", "suicide", "end my life",
                                   "end your life", "overdose", "slit*", "hang myself", "hang yourself",
                                   "cut myself", "cut yourself", "starve myself", "purge", "die painless*"]
    static let enEncourageSelfHarm = ["kill yourself", "kys", "go die", "just die", "drink bleach",
                                      "you should die", "end yourself", "neck yourself", "unalive yourself"]
    static let enSexualStrong = ["porn*", "xxx", "blowjob*", "handjob*", "orgasm*", "masturbat*", "cum",
                                 "cumming", "dick", "cock", "pussy", "boobs", "tits", "nude*", "naked",
                                 "horny", "erotic*", "fuck me", "have sex", "having sex", "sex with",
                                 "sexual intercourse", "threesome", "stripper*", "onlyfans", "hentai",
                                 "nsfw", "dildo*", "fingering", "sexting", "make love to", "suck my"]
    static let enSexualMild = ["sex", "sexy", "sexual*", "breasts", "penis", "vagina", "lingerie", "seduc*",
                               "aroused", "arousal", "intimate", "bedroom", "undress*", "kinky"]
    static let enMinor = ["child*", "kid", "kids", "minor", "minors", "underage", "teen", "teens", "teenage*",
                          "schoolgirl*", "schoolboy*", "little girl", "little boy", "preteen*", "loli*",
                          "year old", "years old", "year-old", "toddler"]
    static let enGroup = ["jews", "jewish people", "muslims", "christians", "black people", "blacks", "whites",
                          "white people", "asians", "chinese people", "mexicans", "immigrants", "refugees",
                          "gays", "gay people", "lesbians", "trans people", "transgender people", "women",
                          "arabs", "africans", "indians", "hindus", "disabled people", "the disabled",
                          "foreigners", "latinos", "gypsies", "roma", "catholics", "atheists", "migrants"]
    static let enDehumanise = ["vermin", "subhuman*", "animals", "inferior", "parasites", "cockroaches", "rats",
                               "filth*", "disgusting", "scum", "plague", "inbred", "not human", "savages",
                               "mongrels", "apes", "are all criminals", "are all terrorists", "don't deserve",
                               "do not deserve", "should go back", "go back to", "ruin*", "evil", "hate",
                               "worthless", "infest*", "breed like"]
    static let enGenocide = ["kill*", "exterminat*", "shoot", "lynch*", "burn", "wipe out", "eradicat*",
                             "genocide", "purge", "eliminat*", "gas the", "gas all"]
    static let enInsultStrong = ["idiot*", "moron*", "stupid", "retard*", "loser", "bitch*", "bastard*",
                                 "asshole*", "dumbass", "scumbag", "worthless", "pathetic", "imbecile",
                                 "dickhead", "piece of shit", "cunt", "twat", "wanker", "dipshit", "ugly",
                                 "fat pig", "freak"]
    static let enSecondPerson = ["you", "you're", "youre", "u", "ur"]
    static let enHarassPhrase = ["fuck you", "fuck off", "shut up", "nobody likes you", "everyone hates you",
                                 "go to hell", "you suck", "screw you", "eat shit", "kiss my ass",
                                 "nobody loves you", "you disgust me", "you're trash", "you are trash",
                                 "you're garbage", "you are garbage", "you're fat", "you are fat"]
    static let enCrime = ["shoplift*", "steal*", "rob", "robbing", "break into", "breaking into", "pick a lock",
                          "lockpick*", "hack into", "hacking into", "phish*", "launder*", "counterfeit*",
                          "fake id", "forge", "forging", "evade taxes", "tax evasion", "cook meth", "make meth",
                          "synthesize meth", "buy drugs", "sell drugs", "smuggl*", "hotwire", "scam*", "ddos",
                          "ransomware", "stolen credit card*", "carding", "identity theft", "bribe*",
                          "cheat the system", "embezzl*", "pirate", "make cocaine", "grow weed illegally"]
    static let enWeapon = ["make a bomb", "build a bomb", "pipe bomb", "explosive*", "molotov", "napalm",
                           "make a gun", "build a gun", "3d print a gun", "ghost gun", "untraceable gun",
                           "buy a gun illegally", "poison someone", "poison my", "ricin", "nerve agent", "sarin",
                           "anthrax", "kidnap*", "kill someone", "hire a hitman", "hitman", "silencer",
                           "bioweapon*", "chemical weapon*", "dirty bomb", "detonator", "ied", "thermite"]

    static let enAttackVerb = ["blow up", "bomb", "set fire to", "burn down", "shoot up", "attack", "torch"]
    static let enPlace = ["school", "building", "office", "church", "mosque", "synagogue", "temple", "hospital", "mall",
                          "airport", "station", "subway", "stadium", "concert", "parliament", "embassy", "house",
                          "the place", "this place", "campus", "classroom"]

    static let englishRules: [ModerationRule] = [
        // Threats: intent + violent act + person, or a fixed threatening phrase.
        ModerationRule([enIntent, enViolentVerb, enTarget], window: 3,
                       [(.violence, 2.0), (.harassmentThreatening, 2.2), (.harassment, 1.3)]),
        ModerationRule([enViolentVerb, enTarget], window: 1, [(.violence, 0.9), (.harassmentThreatening, 0.8),
                                                              (.harassment, 0.3)]),
        ModerationRule([enStrongViolence], [(.violence, 0.25)]),
        ModerationRule([enIntent, enAttackVerb, enPlace], window: 3, [(.violence, 2.0), (.illicitViolent, 0.6),
                                                                    (.harassmentThreatening, 0.6)]),
        ModerationRule([enThreatPhrase], [(.harassmentThreatening, 1.6), (.violence, 0.9), (.harassment, 1.0)]),
        // Graphic violence.
        ModerationRule([enGraphic], [(.violenceGraphic, 0.45), (.violence, 0.2)]),
        ModerationRule([enGraphic, enGraphic], window: 12, ordered: false, [(.violenceGraphic, 0.5), (.violence, 0.3)]),
        ModerationRule([enStrongViolence, enGraphic], window: 8, ordered: false,
                       [(.violenceGraphic, 1.2), (.violence, 1.2)]),
        // Self-harm: mentions, first-person intent, instructions, encouragement.
        ModerationRule([enSelfHarm], [(.selfHarm, 0.6)]),
        ModerationRule([enSelfHarmFirstPerson], [(.selfHarm, 1.8), (.selfHarmIntent, 2.0)]),
        ModerationRule([enHowTo, enSelfHarmMethod], window: 4,
                       [(.selfHarmInstructions, 2.0), (.selfHarm, 1.4), (.selfHarmIntent, 0.4)]),
        ModerationRule([enEncourageSelfHarm], [(.harassment, 1.6), (.selfHarm, 1.2), (.selfHarmInstructions, 0.6),
                                               (.harassmentThreatening, 0.4)]),
        // Sexual content, and sexual content involving minors.
        ModerationRule([enSexualStrong], [(.sexual, 1.3)]),
        ModerationRule([enSexualMild], [(.sexual, 0.35)]),
        ModerationRule([enSexualStrong, enMinor], window: 8, ordered: false, [(.sexualMinors, 2.5), (.sexual, 0.8)]),
        ModerationRule([enSexualMild, enMinor], window: 5, ordered: false, [(.sexualMinors, 0.8), (.sexual, 0.2)]),
        // Hate: a protected group near a dehumanising claim; with violence, threatening.
        ModerationRule([enGroup, enDehumanise], window: 5, ordered: false, [(.hate, 1.7), (.harassment, 0.6)]),
        ModerationRule([enGenocide, enGroup], window: 4, ordered: false,
                       [(.hateThreatening, 2.0), (.hate, 1.5), (.violence, 1.0), (.harassmentThreatening, 0.4)]),
        // Harassment: insults aimed at "you", fixed abusive phrases.
        ModerationRule([enSecondPerson, enInsultStrong], window: 2, [(.harassment, 1.5)]),
        ModerationRule([enInsultStrong], [(.harassment, 0.3)]),
        ModerationRule([enHarassPhrase], [(.harassment, 1.4)]),
        // Illicit: asking how to commit a crime; with weapons or violence, illicit/violent.
        ModerationRule([enHowTo, enCrime], window: 5, [(.illicit, 2.0)]),
        ModerationRule([enCrime], [(.illicit, 0.3)]),
        ModerationRule([enHowTo, enWeapon], window: 5, [(.illicitViolent, 2.2), (.illicit, 1.6), (.violence, 0.6)]),
        ModerationRule([enWeapon], [(.illicitViolent, 0.45), (.violence, 0.25)]),
    ]

    /// Everyday phrases containing violent words.
    static let englishBenign = [
        "kill time", "killing time", "kill the process", "kill process", "kill a process", "kill the job",
        "kill the server", "kill command", "kill switch", "killer app", "killing it", "killed it", "kill it",
        "shoot a photo", "shoot a video", "photo shoot", "shoot me an email", "shoot me a message",
        "blood test", "blood pressure", "blood type", "blood donation", "bedroom apartment", "harm reduction",
        "naked eye", "moby dick", "dying to", "to die for", "knock yourself out", "avoid scam*", "spot scam*",
        "report scam*", "recognize scam*", "steal the show", "steal the spotlight", "steal a glance",
        "steal a kiss", "steal my heart", "stole my heart", "stole the show", "die laughing", "dying laughing",
        "died laughing", "prevent identity theft", "suicide prevention", "suicide hotline",
        // Negated intent: blanking the intent leaves at most the weaker act-plus-target evidence.
        "i will not", "i won't", "i wont", "i would never", "i will never", "i'd never", "i'm not going to",
        "i am not going to", "i don't want to", "i do not want to", "we will not", "we won't",
    ]
}
