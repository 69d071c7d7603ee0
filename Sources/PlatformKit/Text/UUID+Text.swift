import Foundation

extension UUID {
    /// The canonical lower-case text form, as in paths, logs, tokens and JSON. Formatted from
    /// the bytes directly: Foundation's `uuidString` goes through `snprintf`, and this runs
    /// several times per enforced request.
    public var lowercased: String {
        let digits: StaticString = "0123456789abcdef"
        return withUnsafeBytes(of: uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { out in
                digits.withUTF8Buffer { hex in
                    var at = 0
                    for index in 0..<16 {
                        if index == 4 || index == 6 || index == 8 || index == 10 {
                            out[at] = UInt8(ascii: "-")
                            at += 1
                        }
                        out[at] = hex[Int(bytes[index] >> 4)]
                        out[at + 1] = hex[Int(bytes[index] & 0x0f)]
                        at += 2
                    }
                }
                return 36
            }
        }
    }

    /// Parses `8-4-4-4-12` hexadecimal text in either case (what `UUID(uuidString:)` accepts),
    /// without Foundation's `sscanf`. Nil for anything else.
    public init?(text: some StringProtocol) {
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let parsed: Bool = withUnsafeMutableBytes(of: &bytes) { out in
            var utf8 = text.utf8.makeIterator()
            var count = 0, byte = 0
            var high: UInt8? = nil
            while let character = utf8.next() {
                defer { count += 1 }
                if count == 8 || count == 13 || count == 18 || count == 23 {
                    guard character == UInt8(ascii: "-") else { return false }
                    continue
                }
                guard count < 36, let value = Self.hexValue(character) else { return false }
                if let first = high {
                    out[byte] = first << 4 | value
                    byte += 1
                    high = nil
                } else {
                    high = value
                }
            }
            return count == 36 && byte == 16
        }
        guard parsed else { return nil }
        self.init(uuid: bytes)
    }

    private static func hexValue(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension Sequence<UInt8> {
    /// Lower-case hexadecimal, two digits a byte (digests, fingerprints, signatures).
    public var hexEncoded: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
