/// The "speech" of an audio reply: not words, but a deterministic voice-like signal that follows its
/// transcript — one short voiced syllable per token (pitch from the voice and the token, a soft attack
/// and decay, two harmonics), a pause after punctuation — so its length tracks the text, it sounds like
/// someone talking, and the same text and voice always give the same samples.
///
/// 24 kHz, mono, signed 16-bit: the format of the real API's `pcm16` (and of the samples inside its WAV).
enum SpeechSynthesizer {
    static let sampleRate = 24_000
    /// Milliseconds of audio per text token, and of the pause a sentence end adds.
    static let syllableMilliseconds = 60
    static let pauseMilliseconds = 120
    /// One audio token per this many milliseconds of audio (what `usage.completion_tokens_details.audio_tokens` counts).
    static let millisecondsPerAudioToken = 50

    static func samples(_ text: String, voice: String) -> [Int16] {
        let base = 110 + Double(StableHash.of("voice", voice) % 110)  // 110–219 Hz
        let syllable = sampleRate * syllableMilliseconds / 1000
        let pause = sampleRate * pauseMilliseconds / 1000
        var out: [Int16] = []
        for token in TokenCounter.tokenize(text) {
            let trimmed = token.trimmingScalars { $0.properties.isWhitespace }
            if trimmed.isEmpty { continue }
            if trimmed.unicodeScalars.allSatisfy({ ".!?;:,。！？；：，".unicodeScalars.contains($0) }) {
                out.append(contentsOf: repeatElement(0, count: pause))
                continue
            }
            // Pitch moves within about ±4 semitones of the voice's, by token.
            let step = Double(Int(StableHash.of("syllable", trimmed) % 9) - 4)
            let frequency = base * pow2(step / 12)
            out.append(contentsOf: voiced(frequency: frequency, count: syllable))
        }
        return out
    }

    /// Audio tokens of `sampleCount` samples.
    static func audioTokens(sampleCount: Int) -> Int {
        let ms = sampleCount * 1000 / sampleRate
        return (ms + millisecondsPerAudioToken - 1) / millisecondsPerAudioToken
    }

    /// A syllable: fundamental plus two weaker harmonics under a 10 % attack, 30 % decay envelope.
    private static func voiced(frequency: Double, count: Int) -> [Int16] {
        var out: [Int16] = []
        out.reserveCapacity(count)
        let attack = Double(count) * 0.1, decay = Double(count) * 0.3
        for n in 0..<count {
            let t = Double(n) / Double(sampleRate)
            let x = Double(n)
            let envelope = x < attack ? x / attack : (x > Double(count) - decay ? (Double(count) - x) / decay : 1)
            let phase = 2 * Double.pi * frequency * t
            let value = sine(phase) * 0.6 + sine(2 * phase) * 0.25 + sine(3 * phase) * 0.1
            out.append(Int16(value * envelope * 9_000))
        }
        return out
    }

    /// sin(x) without Foundation: range-reduced, then a Taylor series (|error| < 1e-6 on [-π, π]).
    static func sine(_ x: Double) -> Double {
        let twoPi = 2 * Double.pi
        var y = x - (x / twoPi).rounded(.down) * twoPi
        if y > Double.pi { y -= twoPi }
        let y2 = y * y
        var term = y, sum = y
        for k in 1...9 {
            term *= -y2 / Double((2 * k) * (2 * k + 1))
            sum += term
        }
        return sum
    }

    /// 2^x for |x| ≤ 1 (a few terms of e^(x ln 2)).
    private static func pow2(_ x: Double) -> Double {
        let y = x * 0.693_147_180_559_945_3
        var term = 1.0, sum = 1.0
        for k in 1...12 {
            term *= y / Double(k)
            sum += term
        }
        return sum
    }
}
