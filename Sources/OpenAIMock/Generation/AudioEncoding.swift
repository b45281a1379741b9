/// Audio replies in every `audio.format` the chat API offers, each a well-formed file of its format:
///
/// - `wav`: RIFF/WAVE, PCM, 24 kHz mono 16-bit (the speech samples);
/// - `pcm16`: the same samples, raw little-endian;
/// - `flac`: lossless FLAC of the same samples (verbatim subframes, CRC-8/CRC-16 framed);
/// - `mp3`, `aac`, `opus`: silence of the same duration in a valid stream of that codec (MPEG-2 Layer III
///   frames, AAC-LC in ADTS, Opus in Ogg) — encoding speech in those is a codec's job, not a mock's.
enum AudioEncoding {
    static func encode(_ samples: [Int16], as format: AudioFormat) -> [UInt8] {
        switch format {
        case .pcm16: return pcm16(samples)
        case .wav: return wav(samples)
        case .flac: return flac(samples)
        case .mp3: return mp3Silence(sampleCount: samples.count)
        case .aac: return aacSilence(sampleCount: samples.count)
        case .opus: return opusSilence(sampleCount: samples.count)
        }
    }

    static func pcm16(_ samples: [Int16]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(samples.count * 2)
        for s in samples { out.appendLE(UInt16(bitPattern: s), bytes: 2) }
        return out
    }

    static func wav(_ samples: [Int16]) -> [UInt8] {
        let rate = SpeechSynthesizer.sampleRate, data = samples.count * 2
        var out: [UInt8] = Array("RIFF".utf8)
        out.appendLE(36 + data, bytes: 4)
        out += Array("WAVEfmt ".utf8)
        out.appendLE(16, bytes: 4)        // fmt chunk size
        out.appendLE(1, bytes: 2)         // PCM
        out.appendLE(1, bytes: 2)         // mono
        out.appendLE(rate, bytes: 4)
        out.appendLE(rate * 2, bytes: 4)  // byte rate
        out.appendLE(2, bytes: 2)         // block align
        out.appendLE(16, bytes: 2)        // bits per sample
        out += Array("data".utf8)
        out.appendLE(data, bytes: 4)
        return out + pcm16(samples)
    }

    // MARK: FLAC

    static func flac(_ samples: [Int16]) -> [UInt8] {
        let block = 4096
        var out: [UInt8] = Array("fLaC".utf8)
        out += [0x80, 0, 0, 34]  // last metadata block, STREAMINFO, 34 bytes
        var info = BitWriter()
        info.write(UInt64(block), 16)                       // min block size (the last may be smaller)
        info.write(UInt64(block), 16)                       // max block size
        info.write(0, 24)                                   // min frame size: unknown
        info.write(0, 24)                                   // max frame size: unknown
        info.write(UInt64(SpeechSynthesizer.sampleRate), 20)
        info.write(0, 3)                                    // channels - 1
        info.write(15, 5)                                   // bits per sample - 1
        info.write(UInt64(samples.count), 36)
        for _ in 0..<2 { info.write(0, 64) }                // MD5 of the samples: unknown
        out += info.bytes
        var frame = 0
        for start in stride(from: 0, to: samples.count, by: block) {
            out += flacFrame(samples[start..<min(start + block, samples.count)], number: frame, standard: block)
            frame += 1
        }
        return out
    }

    private static func flacFrame(_ samples: ArraySlice<Int16>, number: Int, standard: Int) -> [UInt8] {
        var header = BitWriter()
        header.write(0b11_1111_1111_1110, 14)                // sync
        header.write(0, 2)                                    // reserved, fixed block size
        header.write(samples.count == standard ? 0b1100 : 0b0111, 4)  // 4096, or 16-bit size at the end of the header
        header.write(0b0111, 4)                               // 24 kHz
        header.write(0, 4)                                    // mono
        header.write(0b100, 3)                                // 16 bits per sample
        header.write(0, 1)
        header.bytes += utf8Number(number)
        if samples.count != standard { header.write(UInt64(samples.count - 1), 16) }
        var frame = header.bytes
        frame.append(crc8(frame))
        var body = BitWriter()
        body.write(0b0000_0010, 8)                            // pad, VERBATIM subframe, no wasted bits
        for s in samples { body.write(UInt64(UInt16(bitPattern: s)), 16) }
        frame += body.bytes
        frame.appendBE(UInt64(crc16(frame)), bytes: 2)
        return frame
    }

    /// FLAC's "UTF-8" coding of a frame number.
    private static func utf8Number(_ n: Int) -> [UInt8] {
        if n < 0x80 { return [UInt8(n)] }
        if n < 0x800 { return [0xC0 | UInt8(n >> 6), 0x80 | UInt8(n & 0x3F)] }
        return [0xE0 | UInt8(n >> 12), 0x80 | UInt8(n >> 6 & 0x3F), 0x80 | UInt8(n & 0x3F)]
    }

    static func crc8(_ bytes: [UInt8]) -> UInt8 {
        var crc: UInt8 = 0
        for b in bytes {
            crc ^= b
            for _ in 0..<8 { crc = crc & 0x80 != 0 ? crc << 1 ^ 0x07 : crc << 1 }
        }
        return crc
    }

    static func crc16(_ bytes: [UInt8]) -> UInt16 {
        var crc: UInt16 = 0
        for b in bytes {
            crc ^= UInt16(b) << 8
            for _ in 0..<8 { crc = crc & 0x8000 != 0 ? crc << 1 ^ 0x8005 : crc << 1 }
        }
        return crc
    }

    // MARK: silent MP3, AAC, Opus

    /// MPEG-2 Layer III, 24 kHz mono, 32 kbit/s: 96-byte frames of 576 samples whose side information is all
    /// zero (no main data: silence).
    static func mp3Silence(sampleCount: Int) -> [UInt8] {
        let frames = max(1, (sampleCount + 575) / 576)
        let frame: [UInt8] = [0xFF, 0xF3, 0x44, 0xC0] + [UInt8](repeating: 0, count: 92)
        return Array([[UInt8]](repeating: frame, count: frames).joined())
    }

    /// AAC-LC in ADTS, 24 kHz mono: frames of 1,024 samples holding one single-channel element with no
    /// scale-factor bands (silence) and the end element.
    static func aacSilence(sampleCount: Int) -> [UInt8] {
        let frames = max(1, (sampleCount + 1023) / 1024)
        let payload: [UInt8] = [0x00, 0x00, 0x00, 0x07]
        let length = 7 + payload.count
        var header = BitWriter()
        header.write(0xFFF, 12)          // sync
        header.write(0, 1)               // MPEG-4
        header.write(0, 2)               // layer
        header.write(1, 1)               // no CRC
        header.write(1, 2)               // AAC LC
        header.write(6, 4)               // 24 kHz
        header.write(0, 1)
        header.write(1, 3)               // mono
        header.write(0, 4)               // original, home, copyright bits
        header.write(UInt64(length), 13)
        header.write(0x7FF, 11)          // variable bit rate
        header.write(0, 2)               // one raw data block
        return Array([[UInt8]](repeating: header.bytes + payload, count: frames).joined())
    }

    /// Opus in Ogg: `OpusHead`, `OpusTags`, then 20 ms packets of one TOC byte (CELT fullband, an empty
    /// frame: silence), 50 to a page, the last page flagged end of stream.
    static func opusSilence(sampleCount: Int) -> [UInt8] {
        let packets = max(1, (sampleCount + 479) / 480)  // 20 ms at 24 kHz
        let preSkip = 312
        var head: [UInt8] = Array("OpusHead".utf8) + [1, 1]
        head.appendLE(preSkip, bytes: 2)
        head.appendLE(SpeechSynthesizer.sampleRate, bytes: 4)
        head += [0, 0, 0]  // output gain, channel mapping family 0
        let vendor = Array("openai-mock".utf8)
        var tags: [UInt8] = Array("OpusTags".utf8)
        tags.appendLE(vendor.count, bytes: 4)
        tags += vendor
        tags.appendLE(0, bytes: 4)
        var out = oggPage([head], granule: 0, sequence: 0, flags: 0x02)
        out += oggPage([tags], granule: 0, sequence: 1, flags: 0)
        var sent = 0, sequence = 2
        while sent < packets {
            let count = min(50, packets - sent)
            sent += count
            out += oggPage(Array(repeating: [0xF8], count: count), granule: preSkip + sent * 960, sequence: sequence,
                           flags: sent == packets ? 0x04 : 0)
            sequence += 1
        }
        return out
    }

    private static func oggPage(_ packets: [[UInt8]], granule: Int, sequence: Int, flags: UInt8) -> [UInt8] {
        var page: [UInt8] = Array("OggS".utf8) + [0, flags]
        page.appendLE(granule, bytes: 8)
        page.appendLE(0x6F61_6D6B, bytes: 4)  // stream serial number
        page.appendLE(sequence, bytes: 4)
        page += [0, 0, 0, 0]                 // CRC, filled in below
        var lacing: [UInt8] = []
        for p in packets {
            lacing += [UInt8](repeating: 255, count: p.count / 255)
            lacing.append(UInt8(p.count % 255))
        }
        page.append(UInt8(lacing.count))
        page += lacing
        for p in packets { page += p }
        var crc: UInt32 = 0
        for b in page {
            crc ^= UInt32(b) << 24
            for _ in 0..<8 { crc = crc & 0x8000_0000 != 0 ? crc << 1 ^ 0x04C1_1DB7 : crc << 1 }
        }
        for k in 0..<4 { page[22 + k] = UInt8(crc >> (8 * UInt32(k)) & 0xFF) }
        return page
    }
}

/// Bits, most significant first, as FLAC and ADTS headers lay them out.
private struct BitWriter {
    var bytes: [UInt8] = []
    private var used = 0  // bits used in the last byte (0: start a new one)

    mutating func write(_ value: UInt64, _ count: Int) {
        for k in stride(from: count - 1, through: 0, by: -1) {
            if used == 0 { bytes.append(0) }
            if value >> UInt64(k) & 1 == 1 { bytes[bytes.count - 1] |= 0x80 >> UInt8(used) }
            used = (used + 1) % 8
        }
    }
}

extension [UInt8] {
    fileprivate mutating func appendLE<T: BinaryInteger>(_ value: T, bytes: Int) {
        let v = UInt64(truncatingIfNeeded: value)
        for k in 0..<bytes { append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(k)))) }
    }

    fileprivate mutating func appendBE(_ value: UInt64, bytes: Int) {
        for k in stride(from: bytes - 1, through: 0, by: -1) { append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(k)))) }
    }
}
