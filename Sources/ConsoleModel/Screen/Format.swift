/// Number formats of the console's columns (fixed width, no Foundation formatter).
enum Format {
    /// `value` as an integer, clamped (a metric can say anything: never a trap on NaN, ±Inf
    /// or a value beyond Int).
    static func whole(_ value: Double) -> Int {
        guard value.isFinite else { return 0 }
        return Int(max(-1e15, min(1e15, value)))
    }

    /// `12`, `1.5k`, `12k`; `-` for nil.
    static func rate(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "-" }
        if value >= 10_000 { return "\(whole((value / 1000).rounded()))k" }
        if value >= 1_000 { return decimal(value / 1000, places: 1) + "k" }
        if value >= 10 { return "\(whole(value.rounded()))" }
        return decimal(value, places: 1)
    }

    /// Milliseconds: `0.8`, `12`, `1.2s`; `-` for nil.
    static func milliseconds(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "-" }
        if value >= 1_000 { return decimal(value / 1000, places: 1) + "s" }
        if value >= 10 { return "\(whole(value.rounded()))" }
        return decimal(value, places: 1)
    }

    /// A share as a percentage: `0.0%`, `12%`; `-` for nil.
    static func percent(_ ratio: Double?) -> String {
        guard let ratio, ratio.isFinite else { return "-" }
        let value = ratio * 100
        return (value >= 10 ? "\(whole(value.rounded()))" : decimal(value, places: 1)) + "%"
    }

    /// `45s`, `12m`, `3h`, `2d`.
    static func age(_ seconds: Double?) -> String {
        guard let seconds, seconds.isFinite else { return "-" }
        switch seconds {
        case ..<60: return "\(whole(seconds))s"
        case ..<3_600: return "\(whole(seconds / 60))m"
        case ..<172_800: return "\(whole(seconds / 3_600))h"
        default: return "\(whole(seconds / 86_400))d"
        }
    }

    static func decimal(_ value: Double, places: Int) -> String {
        guard value.isFinite else { return "-" }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = whole((value * scale).rounded())
        let integral = scaled / Int(scale), fraction = abs(scaled % Int(scale))
        let digits = String(fraction)
        return "\(integral)." + String(repeating: "0", count: max(0, places - digits.count)) + digits
    }

    /// `text` cut or padded to exactly `width` characters.
    static func fit(_ text: String, _ width: Int, right: Bool = false) -> String {
        if text.count >= width { return String(text.prefix(width)) }
        let pad = String(repeating: " ", count: width - text.count)
        return right ? pad + text : text + pad
    }
}
