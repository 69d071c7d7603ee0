/// Number formats of the console's columns (fixed width, no Foundation formatter).
enum Format {
    /// `12`, `1.5k`, `12k`; `-` for nil.
    static func rate(_ value: Double?) -> String {
        guard let value else { return "-" }
        if value >= 10_000 { return "\(Int((value / 1000).rounded()))k" }
        if value >= 1_000 { return decimal(value / 1000, places: 1) + "k" }
        if value >= 10 { return "\(Int(value.rounded()))" }
        return decimal(value, places: 1)
    }

    /// Milliseconds: `0.8`, `12`, `1.2s`; `-` for nil.
    static func milliseconds(_ value: Double?) -> String {
        guard let value else { return "-" }
        if value >= 1_000 { return decimal(value / 1000, places: 1) + "s" }
        if value >= 10 { return "\(Int(value.rounded()))" }
        return decimal(value, places: 1)
    }

    /// A share as a percentage: `0.0%`, `12%`; `-` for nil.
    static func percent(_ ratio: Double?) -> String {
        guard let ratio else { return "-" }
        let value = ratio * 100
        return (value >= 10 ? "\(Int(value.rounded()))" : decimal(value, places: 1)) + "%"
    }

    /// `45s`, `12m`, `3h`, `2d`.
    static func age(_ seconds: Double?) -> String {
        guard let seconds else { return "-" }
        switch seconds {
        case ..<60: return "\(Int(seconds))s"
        case ..<3_600: return "\(Int(seconds / 60))m"
        case ..<172_800: return "\(Int(seconds / 3_600))h"
        default: return "\(Int(seconds / 86_400))d"
        }
    }

    static func decimal(_ value: Double, places: Int) -> String {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = Int((value * scale).rounded())
        let whole = scaled / Int(scale), fraction = abs(scaled % Int(scale))
        let digits = String(fraction)
        return "\(whole)." + String(repeating: "0", count: max(0, places - digits.count)) + digits
    }

    /// `text` cut or padded to exactly `width` characters.
    static func fit(_ text: String, _ width: Int, right: Bool = false) -> String {
        if text.count >= width { return String(text.prefix(width)) }
        let pad = String(repeating: " ", count: width - text.count)
        return right ? pad + text : text + pad
    }
}
