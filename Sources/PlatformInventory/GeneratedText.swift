/// The banner every generated file starts with.
enum GeneratedText {
    static func header(comment: String, what: String) -> String {
        "\(comment) Generated from daemons/inventory.yml by `kisum-ops inventory generate`: \(what).\n"
            + "\(comment) Do not edit; `./kisum test` fails while this file is stale.\n\n"
    }

    static func markdownHeader(what: String) -> String {
        "<!-- Generated from daemons/inventory.yml by `kisum-ops inventory generate`: \(what). "
            + "Do not edit; `./kisum test` fails while this file is stale. -->\n\n"
    }
}
