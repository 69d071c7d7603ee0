import Foundation

/// The platform's JSON encoder: ISO 8601 dates, sorted keys, and UUIDs in their canonical
/// lower-case form (Foundation writes `UUID` in upper case; paths, logs and tokens use lower
/// case, and clients compare ids as strings).
public final class PlatformJSONEncoder: JSONEncoder, @unchecked Sendable {
    override public init() {
        super.init()
        dateEncodingStrategy = .iso8601
        outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    }

    override public func encode<T: Encodable>(_ value: T) throws -> Data {
        var data = try super.encode(value)
        Self.lowercaseUUIDs(in: &data)
        return data
    }

    /// Lower-cases every JSON string that is exactly a UUID (`"XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX"`).
    public static func lowercaseUUIDs(in data: inout Data) {
        data.withUnsafeMutableBytes { (bytes: UnsafeMutableRawBufferPointer) in
            let quote = UInt8(ascii: "\""), dash = UInt8(ascii: "-")
            var index = 0
            while index + 37 < bytes.count {
                guard bytes[index] == quote, bytes[index + 37] == quote else { index += 1; continue }
                var isUUID = true, hasUpper = false
                for offset in 1...36 {
                    let byte = bytes[index + offset]
                    if [9, 14, 19, 24].contains(offset) {
                        if byte != dash { isUUID = false; break }
                    } else if (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte) {
                        continue
                    } else if (0x41...0x46).contains(byte) {
                        hasUpper = true
                    } else {
                        isUUID = false
                        break
                    }
                }
                guard isUUID else { index += 1; continue }
                if hasUpper {
                    for offset in 1...36 where (0x41...0x46).contains(bytes[index + offset]) { bytes[index + offset] += 0x20 }
                }
                index += 38
            }
        }
    }
}
