import OpenAIMock

/// The parsed command line. Parsing is pure so it can be tested without starting anything.
package struct CLIOptions: Equatable {
    package enum Command: Equatable {
        case serve
        /// `record --upstream URL --out DIR [serve options]`: serve as a recording proxy.
        case record
        case help
        case version
        /// `validate PATH…`: lint scenario files and exit.
        case validate([String])
    }

    var command: Command = .serve
    var host = "127.0.0.1"
    var port = 4010
    var portFile: String?
    var scenarios: [String] = []
    var seed: UInt64 = 0
    var clock: VirtualClock.Mode = .fixed(VirtualClock.defaultEpoch)
    var pace: VirtualClock.Pace = .default
    var stateDirectory: String?
    var apiKeys: [String] = []
    var log: MockConfiguration.LogFormat? = .text
    var maxBodyBytes: Int?
    var maxConnections: Int?
    var eventLoops: Int?
    var strict = false
    var chaos: Double = 0
    var models: ModelCatalog.Mode = .strict
    /// `--replay-speed`: multiple of the recorded pace of recorded streams; nil: instant.
    var replaySpeed: Double? = 1
    package var record = RecordOptions()

    /// What `record` needs besides the serve options.
    package struct RecordOptions: Equatable {
        package var upstream: String?
        package var out: String?
        /// `--upstream-ca FILE`: PEM CA certificates the HTTPS upstream is verified against (instead of the system's).
        package var upstreamCA: String?
        /// `--redact NAME` (repeatable): more header or JSON field names whose values never reach disk.
        package var redact: [String] = []
    }

    struct UsageError: Error, Equatable, CustomStringConvertible {
        var description: String
    }

    static let usage = """
    USAGE: openai-mock [serve] [options]
           openai-mock record --upstream <url> --out <dir> [options]
           openai-mock validate <path>...

    An offline, deterministic fake of the OpenAI HTTP API.

    SUBCOMMANDS:
      serve (default)          Serve the fake API.
      record                   Serve as a proxy to --upstream, writing every exchange to
                               --out as scenario rules that `serve --scenarios` replays.
      validate <path>...       Lint scenario files/directories; print file:line:column
                               diagnostics; exit 1 when there are any, 0 when clean.

    OPTIONS:
      --host <host>            Address to bind (default: 127.0.0.1).
      --port <port>            Port to bind; 0 picks a free port (default: 4010).
      --port-file <path>       Write the bound port to this file once listening.
      --scenarios <path>       Scenario file or directory (repeatable). SIGHUP or
                               POST /_mock/scenarios/reload re-reads them.
      --strict                 Requests no scenario rule matches get a 404
                               (code scenario_not_matched) naming the nearest rule.
      --chaos <rate>           Inject faults with this probability (0...1), seeded
                               by --seed: scripted fault rules and built-in faults.
      --models <strict|open>   strict (default): unknown model ids get 404
                               model_not_found; open: any id is accepted as a model
                               of the kind the endpoint serves.
      --seed <n>               Seed for every generated id, text and vector (default: 0).
      --clock <mode>           Timestamps: fixed (2024-06-01T00:00:00Z, default),
                               fixed:<unix seconds|YYYY-MM-DDTHH:MM:SSZ>, or real.
      --time <pace>            How a fixed clock moves for jobs: auto (while jobs run,
                               100x wall time; default), auto:<speed>, instant (jobs
                               finish at creation) or manual (POST /_mock/clock/advance).
      --state-dir <dir>        Keep files, jobs, models and batches in <dir> across restarts
                               (default: a temporary directory removed at exit).
      --api-key <key>          Accept only this bearer key (repeatable; default: any key).
      --log <text|json|off>    Per-request log line on stderr (default: text).
      --max-body-bytes <n>     Largest request body accepted (default: 537919488).
      --max-connections <n>    Most simultaneous connections (default: 16384).
      --event-loops <n>        I/O threads (default: one per CPU core).
      --replay-speed <speed>   Recorded streams replay at their recorded pace (recorded,
                               default), a multiple of it (e.g. 10) or at once (instant).
      --upstream <url>         record: where requests go (e.g. https://api.openai.com/v1).
      --out <dir>              record: the directory recorded scenario files are written to.
      --redact <name>          record: also scrub this header or JSON field (repeatable).
      --upstream-ca <file>     record: verify the https upstream against the CA certificates
                               in this PEM file instead of the system store (Linux).
      --version                Print the version and exit.
      -h, --help               Print this help and exit.

    The first line on stdout is `openai-mock listening on http://HOST:PORT`.
    """

    static func parse(_ arguments: [String]) throws(UsageError) -> CLIOptions {
        var options = CLIOptions()
        var args = arguments[...]
        if let first = args.first, !first.hasPrefix("-") {
            if first == "validate" {
                let paths = Array(args.dropFirst())
                if paths.contains(where: { $0 == "-h" || $0 == "--help" }) { options.command = .help; return options }
                if let bad = paths.first(where: { $0.hasPrefix("-") }) {
                    throw UsageError(description: "Unknown option '\(bad)' for 'validate'.")
                }
                guard !paths.isEmpty else { throw UsageError(description: "'validate' needs at least one scenario file or directory.") }
                options.command = .validate(paths)
                return options
            }
            guard first == "serve" || first == "record" else { throw UsageError(description: "Unknown subcommand '\(first)'.") }
            if first == "record" { options.command = .record }
            args = args.dropFirst()
        }
        while let raw = args.popFirst() {
            // Accept both `--port 0` and `--port=0`.
            var name = raw
            var inline: String?
            if raw.hasPrefix("--"), let eq = raw.firstIndex(of: "=") {
                name = String(raw[..<eq])
                inline = String(raw[raw.index(after: eq)...])
            }
            func value() throws(UsageError) -> String {
                if let inline { return inline }
                guard let v = args.popFirst() else { throw UsageError(description: "Missing value for '\(name)'.") }
                return v
            }
            func integer(_ range: ClosedRange<Int>) throws(UsageError) -> Int {
                let v = try value()
                guard let n = Int(v), range.contains(n) else {
                    throw UsageError(description: "Invalid value '\(v)' for '\(name)': expected an integer in \(range.lowerBound)...\(range.upperBound).")
                }
                return n
            }
            switch name {
            case "-h", "--help": options.command = .help
            case "--version": options.command = .version
            case "--host":
                options.host = try value()
                if options.host.isEmpty { throw UsageError(description: "'--host' must not be empty.") }
            case "--port": options.port = try integer(0...65535)
            case "--port-file": options.portFile = try value()
            case "--scenarios": options.scenarios.append(try value())
            case "--seed":
                let v = try value()
                guard let n = UInt64(v) ?? Int64(v).map({ UInt64(bitPattern: $0) }) else {
                    throw UsageError(description: "Invalid value '\(v)' for '--seed': expected an integer.")
                }
                options.seed = n
            case "--clock":
                let v = try value()
                guard let mode = VirtualClock.parse(v) else {
                    throw UsageError(description: "Invalid value '\(v)' for '--clock': expected fixed, fixed:<unix seconds or YYYY-MM-DDTHH:MM:SSZ>, or real.")
                }
                options.clock = mode
            case "--time":
                let v = try value()
                guard let pace = VirtualClock.parsePace(v) else {
                    throw UsageError(description: "Invalid value '\(v)' for '--time': expected auto, auto:<speed>, instant or manual.")
                }
                options.pace = pace
            case "--state-dir":
                options.stateDirectory = try value()
                if options.stateDirectory!.isEmpty { throw UsageError(description: "'--state-dir' must not be empty.") }
            case "--api-key":
                let key = try value()
                if key.isEmpty { throw UsageError(description: "'--api-key' must not be empty.") }
                options.apiKeys.append(key)
            case "--log":
                let v = try value()
                if v == "off" {
                    options.log = nil
                } else if let format = MockConfiguration.LogFormat(rawValue: v) {
                    options.log = format
                } else {
                    throw UsageError(description: "Invalid value '\(v)' for '--log': expected text, json or off.")
                }
            case "--max-body-bytes": options.maxBodyBytes = try integer(1...Int(Int32.max) * 4)
            case "--max-connections": options.maxConnections = try integer(1...1_000_000)
            case "--event-loops": options.eventLoops = try integer(1...256)
            case "--strict": options.strict = true
            case "record": options.command = .record  // also after options: `--port 0 record …`
            case "--replay-speed":
                let v = try value()
                switch v {
                case "recorded": options.replaySpeed = 1
                case "instant": options.replaySpeed = nil
                default:
                    guard let speed = Double(v), speed > 0, speed.isFinite else {
                        throw UsageError(description: "Invalid value '\(v)' for '--replay-speed': expected recorded, instant or a positive number.")
                    }
                    options.replaySpeed = speed
                }
            case "--upstream": options.record.upstream = try value()
            case "--out": options.record.out = try value()
            case "--redact": options.record.redact.append(try value())
            case "--upstream-ca": options.record.upstreamCA = try value()
            case "--models":
                let v = try value()
                guard let mode = ModelCatalog.Mode(rawValue: v) else {
                    throw UsageError(description: "Invalid value '\(v)' for '--models': expected strict or open.")
                }
                options.models = mode
            case "--chaos":
                let v = try value()
                guard let rate = Double(v), rate >= 0, rate <= 1 else {
                    throw UsageError(description: "Invalid value '\(v)' for '--chaos': expected a probability between 0 and 1.")
                }
                options.chaos = rate
            default:
                throw UsageError(description: "Unknown option '\(raw)'.")
            }
        }
        if options.command == .record {
            guard let upstream = options.record.upstream,
                  upstream.hasPrefix("http://") || upstream.hasPrefix("https://") else {
                throw UsageError(description: "'record' needs --upstream <http(s) URL>.")
            }
            guard let out = options.record.out, !out.isEmpty else { throw UsageError(description: "'record' needs --out <dir>.") }
            if options.record.upstreamCA != nil, !upstream.hasPrefix("https://") {
                throw UsageError(description: "--upstream-ca needs an https:// --upstream.")
            }
        } else if options.record != RecordOptions() {
            throw UsageError(description: "--upstream, --out, --redact and --upstream-ca are options of 'record'.")
        }
        if options.pace == .manual, options.clock == .real {
            throw UsageError(description: "'--time manual' needs a fixed clock: a real clock always moves.")
        }
        return options
    }

    var configuration: MockConfiguration {
        var c = MockConfiguration(seed: seed, apiKeys: apiKeys, scenarioPaths: scenarios, log: log)
        c.clock = clock
        c.pace = pace
        c.stateDirectory = stateDirectory
        c.strict = strict
        c.chaos = chaos
        c.models = models
        c.replaySpeed = replaySpeed
        return c
    }
}
