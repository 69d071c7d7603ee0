/// A series drawn as one line of block characters (or ASCII digits when the terminal is not
/// UTF-8).
public enum Sparkline {
    static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    static let ascii: [Character] = ["_", ".", "-", "~", "=", "+", "*", "#"]

    /// The last `width` points of `values`, scaled to their own maximum.
    public static func render(_ values: [Double], width: Int, unicode: Bool) -> String {
        let points = values.suffix(max(0, width))
        guard let top = points.max(), top > 0 else { return String(repeating: unicode ? "▁" : "_", count: points.count) }
        let glyphs = unicode ? blocks : ascii
        return String(points.map { value in
            glyphs[min(glyphs.count - 1, max(0, Format.whole((value / top) * Double(glyphs.count - 1) + 0.5)))]
        })
    }
}
