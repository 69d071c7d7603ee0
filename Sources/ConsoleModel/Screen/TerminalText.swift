/// Text from daemons and the network (check names, error reasons, answers) made safe for a
/// terminal: control characters — C0, DEL and C1 (CSI, OSC…) — become spaces, so nothing a
/// target sends can move the cursor, retitle the window or rewrite the screen.
public enum TerminalText {
    public static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { isControl($0) ? " " : $0 }))
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
