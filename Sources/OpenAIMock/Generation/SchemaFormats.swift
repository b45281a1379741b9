/// String `format`s: seeded plausible values and the checks the validator applies.
enum SchemaFormats {
    static func generate(_ format: String, rng: inout SeededRandom) -> String? {
        func n(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        switch format {
        case "date-time": return "\(n(2020...2025))-\(two(n(1...12)))-\(two(n(1...28)))T\(two(n(0...23))):\(two(n(0...59))):\(two(n(0...59)))Z"
        case "date": return "\(n(2020...2025))-\(two(n(1...12)))-\(two(n(1...28)))"
        case "time": return "\(two(n(0...23))):\(two(n(0...59))):\(two(n(0...59)))"
        case "email", "idn-email":
            let first = SchemaHints.firstNames[n(0...(SchemaHints.firstNames.count - 1))].lowercased()
            let last = SchemaHints.lastNames[n(0...(SchemaHints.lastNames.count - 1))].lowercased()
            return "\(first).\(last)@example.com"
        case "uri", "url", "iri", "uri-reference":
            return "https://example.com/\(SchemaHints.nouns[n(0...(SchemaHints.nouns.count - 1))])/\(n(1...999))"
        case "uuid": return uuid(rng.next(), rng.next())
        case "ipv4": return "192.0.2.\(n(1...254))"
        case "ipv6": return "2001:db8::\(String(n(1...0xFFFF), radix: 16))"
        case "hostname", "idn-hostname": return "\(SchemaHints.nouns[n(0...(SchemaHints.nouns.count - 1))]).example.com"
        case "duration": return "P\(n(1...30))D"
        default: return nil
        }
    }

    /// A version-4 UUID string from 128 random bits.
    static func uuid(_ a: UInt64, _ b: UInt64) -> String {
        let hi = (a & 0xFFFF_FFFF_FFFF_0FFF) | 0x4000
        let lo = (b & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        func hex(_ v: UInt64, _ digits: Int) -> String {
            let s = String(v, radix: 16)
            return String(repeating: "0", count: max(0, digits - s.count)) + s
        }
        let h = hex(hi, 16), l = hex(lo, 16)
        return "\(h.prefix(8))-\(h.dropFirst(8).prefix(4))-\(h.suffix(4))-\(l.prefix(4))-\(l.suffix(12))"
    }

    /// Whether `text` is a valid `format` (unknown formats pass, as JSON Schema says).
    static func matches(_ text: String, format: String) -> Bool {
        patterns[format]?.matches(text) ?? true
    }

    private static let patterns: [String: LinearRegex] = [
        "date-time": .fixed(#"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"#),
        "date": .fixed(#"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"#),
        "time": .fixed(#"^([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?$"#),
        "email": .fixed(#"^[^@\s]+@[^@\s]+\.[^@\s]+$"#),
        "uri": .fixed(#"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$"#),
        "url": .fixed(#"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$"#),
        "uuid": .fixed(#"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"#),
        "ipv4": .fixed(#"^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$"#),
        "hostname": .fixed(#"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$"#),
    ]
}

/// Plausible values chosen from a property's name (`city` → a city, `age` → a small integer) and from
/// the conversation (`"weather in Tokyo"` → `Tokyo`).
enum SchemaHints {
    static let cities: [(city: String, country: String, chinese: String)] = [
        ("Paris", "France", "巴黎"), ("London", "UK", "伦敦"), ("Tokyo", "Japan", "东京"),
        ("New York", "USA", "纽约"), ("San Francisco", "USA", "旧金山"), ("Berlin", "Germany", "柏林"),
        ("Beijing", "China", "北京"), ("Shanghai", "China", "上海"), ("Sydney", "Australia", "悉尼"),
        ("Toronto", "Canada", "多伦多"), ("Madrid", "Spain", "马德里"), ("Rome", "Italy", "罗马"),
        ("Seoul", "South Korea", "首尔"), ("Boston", "USA", "波士顿"), ("Amsterdam", "Netherlands", "阿姆斯特丹"),
        ("Singapore", "Singapore", "新加坡"), ("Shenzhen", "China", "深圳"), ("Hangzhou", "China", "杭州"),
        ("Chicago", "USA", "芝加哥"), ("Mumbai", "India", "孟买"), ("Cairo", "Egypt", "开罗"),
    ]
    static let firstNames = ["Alice", "Bob", "Carla", "David", "Emma", "Farid", "Grace", "Hiro", "Ines", "Jonas",
                             "Keira", "Liam", "Mei", "Noah", "Olivia", "Priya", "Quentin", "Rosa", "Sam", "Tara"]
    static let lastNames = ["Martin", "Smith", "Garcia", "Chen", "Müller", "Rossi", "Tanaka", "Dubois", "Kowalski",
                            "Nguyen", "Silva", "Johnson", "Okafor", "Larsen", "Haddad", "Kim"]
    static let nouns = ["docs", "blog", "shop", "api", "news", "files", "status", "help", "data", "app"]
    static let words = ["alpha", "summary", "general", "primary", "standard", "example", "sample", "default",
                        "classic", "basic", "premium", "draft", "review", "update", "overview", "report"]
    static let colors = ["red", "blue", "green", "orange", "purple", "teal", "black", "white"]

    /// The first known city mentioned in `context` (English or Chinese name), if any.
    static func city(in context: String?) -> (city: String, country: String, chinese: String)? {
        guard let context, !context.isEmpty else { return nil }
        let lower = context.lowercased()
        return cities.first { lower.contains($0.city.lowercased()) || context.contains($0.chinese) }
    }

    /// A property name as hints read it: lowercase ASCII letters and digits of its first 64 characters
    /// (`first_Name` → `firstname`); no hint word is longer, and a huge name costs no more than a short one.
    static func key(_ rawName: String) -> [UInt8] {
        var out: [UInt8] = []
        for c in rawName.utf8.prefix(64) where c != UInt8(ascii: "_") && c != UInt8(ascii: "-") {
            out.append(c >= 65 && c <= 90 ? c | 0x20 : c)
        }
        return out
    }

    /// Whether `key` contains one of `words` (a plain byte search; nothing allocated).
    static func has(_ key: [UInt8], _ words: [[UInt8]]) -> Bool {
        words.contains { word in
            guard word.count <= key.count else { return false }
            var i = 0
            while i + word.count <= key.count {
                var j = 0
                while j < word.count && key[i + j] == word[j] { j += 1 }
                if j == word.count { return true }
                i += 1
            }
            return false
        }
    }

    private enum StringHint {
        case email, url, city, country, location, address, firstName, lastName, username, company, person, phone, zip
        case currency, language, color, unit, status, timezone
    }

    /// Name fragments → what to fill in, tried in order.
    private static let stringHints: [(words: [[UInt8]], hint: StringHint)] = bytes([
        (["email"], .email), (["url", "website", "link", "homepage"], .url), (["city", "town"], .city),
        (["country"], .country), (["location", "place", "destination", "origin"], .location), (["address", "street"], .address),
        (["firstname", "givenname"], .firstName), (["lastname", "surname", "familyname"], .lastName),
        (["username", "handle", "login"], .username), (["company", "organization", "employer"], .company),
        (["fullname", "author", "person", "customer", "contact", "owner", "user"], .person), (["phone", "mobile"], .phone),
        (["zip", "postal", "postcode"], .zip), (["currency"], .currency), (["language", "locale"], .language),
        (["color", "colour"], .color), (["unit"], .unit), (["status", "state"], .status), (["timezone"], .timezone),
    ] as [([String], StringHint)])

    /// A hint table with its words as bytes.
    private static func bytes<Value>(_ rows: [([String], Value)]) -> [(words: [[UInt8]], hint: Value)] {
        rows.map { (words: $0.0.map { Array($0.utf8) }, hint: $0.1) }
    }

    /// A string for a property called `name`, or nil when no hint applies.
    static func string(for rawName: String, context: SchemaContext, rng: inout SeededRandom) -> String? {
        let name = key(rawName)
        func pick(_ list: [String]) -> String { list[Int(rng.next() % UInt64(list.count))] }
        let chinese = context.language == .chinese
        let someCity = context.city ?? cities[Int(rng.next() % UInt64(cities.count))]
        let isName = name == Array("name".utf8)
        guard let hint = stringHints.first(where: { ($0.hint == .person && isName) || has(name, $0.words) })?.hint else { return nil }
        switch hint {
        case .email: return "\(pick(firstNames).lowercased()).\(pick(lastNames).lowercased())@example.com"
        case .url: return "https://example.com/\(pick(nouns))"
        case .city: return chinese ? someCity.chinese : someCity.city
        case .country: return someCity.country
        case .location: return chinese ? someCity.chinese : "\(someCity.city), \(someCity.country)"
        case .address: return "\(Int.random(in: 1...220, using: &rng)) Main Street, \(someCity.city)"
        case .firstName: return pick(firstNames)
        case .lastName: return pick(lastNames)
        case .username: return pick(firstNames).lowercased() + "\(Int.random(in: 1...99, using: &rng))"
        case .company: return pick(["Acme Corp", "Globex", "Initech", "Umbrella Labs"])
        case .person: return "\(pick(firstNames)) \(pick(lastNames))"
        case .phone: return "+1-555-\(Int.random(in: 1000...9999, using: &rng))"
        case .zip: return "\(Int.random(in: 10000...99999, using: &rng))"
        case .currency: return pick(["USD", "EUR", "GBP", "JPY", "CNY"])
        case .language: return chinese ? "zh" : pick(["en", "fr", "de", "es"])
        case .color: return pick(colors)
        case .unit: return pick(["celsius", "fahrenheit"])
        case .status: return pick(["active", "pending", "completed"])
        case .timezone: return pick(["UTC", "Europe/Paris", "America/New_York", "Asia/Tokyo"])
        }
    }

    /// Name fragments → a plausible integer range, tried in order.
    private static let integerHints: [(words: [[UInt8]], hint: ClosedRange<Int>)] = bytes([
        (["age"], 18...80), (["year"], 1990...2025), (["month"], 1...12), (["day"], 1...7), (["hour"], 0...23),
        (["minute", "second"], 0...59), (["temp"], -5...35), (["rating", "score", "stars"], 1...5), (["percent"], 0...100),
        (["count", "quantity", "number", "num", "limit", "size", "total", "qty"], 1...10),
        (["price", "amount", "cost", "salary"], 5...500), (["lat"], -60...60), (["lon", "lng"], -150...150),
    ] as [([String], ClosedRange<Int>)])

    /// An integer range for a property name, or nil.
    static func integerRange(for rawName: String) -> ClosedRange<Int>? {
        let name = key(rawName)
        return integerHints.first { has(name, $0.words) }?.hint
    }
}

/// What hints read from the conversation (the last user message), worked out once per generator from
/// its first 2,000 scalars: a megabyte prompt does not make every generated string cost a megabyte.
struct SchemaContext: Sendable {
    let text: String
    let language: TextLanguage
    let city: (city: String, country: String, chinese: String)?
    let topics: [String]

    init(_ context: String?) {
        text = String(String.UnicodeScalarView((context ?? "").unicodeScalars.prefix(2_000)))
        language = TextLanguage.detect(text)
        city = SchemaHints.city(in: text)
        topics = TextGenerator.topics(in: text, language: language, stopwords: WordBank.bank(for: language).stopwords)
    }
}
