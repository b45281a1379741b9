// Learning benchmark: parse + train 100,000 examples, build models, answer prompts. Prints Markdown figures.
// Run with `swift run -c release LearningBench [examples]` (not run by CI).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import OpenAIMock

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// CPU time of this thread: on a shared machine, unlike wall time, it leaves out time spent preempted.
func cpuNow() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// Wall and CPU seconds of `body`.
func timed<T>(_ body: () throws -> T) rethrows -> (T, (wall: Double, cpu: Double)) {
    let start = now(), cpuStart = cpuNow()
    let value = try body()
    return (value, (now() - start, cpuNow() - cpuStart))
}

/// Peak resident set size in MB (`VmHWM`), or 0 where /proc is missing.
func peakMemoryMB() -> Double {
    guard let file = fopen("/proc/self/status", "r") else { return 0 }
    defer { fclose(file) }
    var line = [CChar](repeating: 0, count: 256)
    while fgets(&line, 256, file) != nil {
        let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if text.hasPrefix("VmHWM:") {
            let digits = text.unicodeScalars.filter { $0.value >= 48 && $0.value <= 57 }
            return (Double(String(String.UnicodeScalarView(digits))) ?? 0) / 1024
        }
    }
    return 0
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
}

func ms(_ seconds: Double) -> String {
    let v = (seconds * 1000 * 1000).rounded() / 1000
    return "\(v) ms"
}

func s(_ t: (wall: Double, cpu: Double)) -> String {
    "\((t.wall * 100).rounded() / 100) s (cpu \((t.cpu * 100).rounded() / 100) s)"
}

let count = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 100_000
let only = CommandLine.arguments.dropFirst(2).first  // "stories" or "news" runs one data set
var rng = SeededRandom(seed: 2024)
@MainActor func pick(_ words: [String]) -> String { words[Int(rng.next() % UInt64(words.count))] }

// MARK: Synthetic data shaped like the tutorials

let names = ["Anna", "Ben", "Chen", "Dara", "Eli", "Fatima", "Goro", "Hana", "Ivan", "Jade", "Kofi", "Lena", "Mia", "Noah",
             "Omar", "Pia", "Quinn", "Rosa", "Sven", "Tara", "Uma", "Vik", "Wen", "Xia", "Yuki", "Zoe"]
let actions = ["fights a dragon", "builds a robot", "sails to an island", "opens a bakery", "climbs a volcano",
               "rescues a cat", "learns to fly", "finds a map", "paints a mural", "solves a riddle", "plants a forest",
               "races a train", "writes a song", "tames a storm", "digs for gold", "guards a castle"]
let moods = ["easy", "hard", "dangerous", "funny", "sad", "strange"]
let places = ["in the mountains", "by the sea", "in a quiet village", "on a distant planet", "under the city",
              "in the old forest", "at the edge of the desert", "inside a cloud"]
let feelings = ["brave", "tired", "curious", "happy", "worried", "proud", "lonely", "excited"]
let twists = ["a talking fox appears", "the weather suddenly changes", "an old friend returns", "the bridge collapses",
              "a secret door opens", "the lights go out", "a letter arrives", "the river floods"]

@MainActor func storyLine() -> (String, String) {
    let name = pick(names), action = pick(actions), mood = pick(moods)
    let prompt = "\(name), \(action), \(mood) ->\n"
    var story = " Once upon a time \(pick(places)), \(name) \(action)."
    for _ in 0..<(2 + Int(rng.next() % 3)) {
        story += " \(name) feels \(pick(feelings)) when \(pick(twists))."
    }
    story += " In the end it was \(mood), but \(name) never gave up. THE END"
    return (prompt, story)
}

let topics: [(String, [String])] = [
    ("sports", ["match", "goal", "league", "coach", "player", "final"]), ("finance", ["stocks", "bank", "rates", "fund", "profit", "market"]),
    ("tech", ["chip", "phone", "software", "startup", "robot", "cloud"]), ("entertainment", ["film", "star", "concert", "album", "show", "award"]),
    ("education", ["school", "exam", "student", "teacher", "campus", "degree"]), ("military", ["army", "navy", "missile", "drill", "troops", "jet"]),
    ("cars", ["electric", "engine", "sedan", "battery", "dealer", "recall"]), ("travel", ["hotel", "beach", "flight", "tourist", "resort", "visa"]),
    ("agriculture", ["farm", "wheat", "harvest", "rice", "tractor", "crop"]), ("housing", ["rent", "mortgage", "apartment", "builder", "price", "loan"]),
    ("games", ["console", "esports", "gamer", "level", "arcade", "quest"]), ("culture", ["museum", "poetry", "heritage", "gallery", "opera", "library"]),
    ("world", ["summit", "treaty", "embassy", "minister", "border", "sanctions"]), ("stock", ["shares", "index", "rally", "dividend", "trader", "ipo"]),
]
let fillers = ["new", "report", "today", "update", "big", "record", "local", "after", "plans", "week", "officials", "says"]

@MainActor func newsLine() -> (String, String) {
    let t = Int(rng.next() % UInt64(topics.count))
    let words = topics[t].1
    let title = (0..<6).map { i in i % 2 == 0 ? pick(words) : pick(fillers) }.joined(separator: " ")
    return (title + "\n\n###\n\n", " " + topics[t].0)
}

func jsonl(_ pairs: [(String, String)]) -> [UInt8] {
    var out: [UInt8] = []
    for (p, c) in pairs {
        out += JSONValue.object(JSONObject([("prompt", .string(p)), ("completion", .string(c))])).serialized()
        out.append(0x0A)
    }
    return out
}

/// p50 and p99 of the CPU time per reply.
func latency(_ model: LearnedModel, _ prompts: [String]) -> (p50: Double, p99: Double) {
    var times: [Double] = []
    for (i, prompt) in prompts.enumerated() {
        let start = cpuNow()
        let text = model.reply(to: prompt, seed: UInt64(i))
        times.append(cpuNow() - start)
        precondition(!text.isEmpty)
    }
    return (percentile(times, 0.5), percentile(times, 0.99))
}

print("# Learning benchmark (\(count) examples)\n")
print("Times are wall (and CPU of the thread); reply latencies are CPU time per reply, which leaves out preemption on a shared machine.\n")
print("| data | parse | TrainingRun (3 epochs, batch 64, all metrics) | steps | model build | known p50 / p99 | unseen p50 / p99 |")
print("|---|---|---|---|---|---|---|")

for (kind, make) in [("stories (generation)", storyLine), ("news titles (14 classes)", newsLine)]
    where only.map({ kind.hasPrefix($0) }) ?? true {
    let pairs = (0..<count).map { _ in make() }
    let validationPairs = (0..<2_000).map { _ in make() }
    let bytes = jsonl(pairs)
    let (training, parseTime) = timed { try! TrainingData.parse(bytes) }
    let validation = try! TrainingData.parse(jsonl(validationPairs))
    let (run, trainTime) = timed {
        TrainingRun(training: training, validation: validation, epochs: 3, batchSize: 64, seed: 1,
                    classification: kind.hasPrefix("news") ? ClassificationOptions(nClasses: 14) : nil)
    }
    let (model, buildTime) = timed { LearnedModel(examples: training.examples) }
    let known = (0..<2_000).map { pairs[($0 * 7919) % pairs.count].0 }
    let unseen = (0..<2_000).map { _ in make().0 + " (new)" }
    let k = latency(model, known), u = latency(model, unseen)
    print("| \(kind) | \(s(parseTime)) | \(s(trainTime)) | \(run.totalSteps) | \(s(buildTime)) | \(ms(k.p50)) / \(ms(k.p99)) | \(ms(u.p50)) / \(ms(u.p99)) |")
    let first = run.steps[0].train, last = run.steps[run.totalSteps - 1].train
    var extra = ""
    if let c = run.steps.last?.classification { extra = ", final classification accuracy \(c.accuracy)" }
    print("|  | loss \(first.loss) → \(last.loss), token accuracy \(first.tokenAccuracy) → \(last.tokenAccuracy)\(extra) | | | | | |")
    if !kind.hasPrefix("news") {
        print("|  | sample: \(model.reply(to: "Pia, fights a dragon, funny ->\n", seed: 3).debugDescription) | | | | | |")
    }
}
print("\npeak RSS: \((peakMemoryMB()).rounded()) MB")
