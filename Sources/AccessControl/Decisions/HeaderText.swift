/// The one trimming of request header values on the access path: spaces and tabs at either
/// end, nothing else (no Foundation: it bridges through UTF-16, measured at a quarter of an
/// enforced request for a 700-byte bearer token).
public enum HeaderText {
    public static func trimmed(_ value: Substring) -> Substring {
        var view = value
        while let first = view.first, first == " " || first == "\t" { view.removeFirst() }
        while let last = view.last, last == " " || last == "\t" { view.removeLast() }
        return view
    }
}
