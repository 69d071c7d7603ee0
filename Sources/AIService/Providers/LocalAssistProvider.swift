import Foundation

/// The built-in provider: no network, deterministic. It extracts rather than writes — the
/// sentences whose words recur most in the text, in their original order — so the same text
/// always gives the same answer (what tests and a laptop without an API key need).
struct LocalAssistProvider: AssistProvider {
    var name: String { "local" }

    func complete(_ prompt: AssistPrompt) async throws -> AssistCompletion {
        let sentences = Self.sentences(prompt.text)
        let wanted = max(1, min(prompt.task == .summarize ? 3 : 5, sentences.count))
        let picked = Self.mostCentral(sentences, count: wanted)
        var output = prompt.task == .summarize ? picked.joined(separator: " ") : picked.map { "- " + $0 }.joined(separator: "\n")
        // Bounded by the tokens asked for, counted as words like the input.
        let words = output.split(whereSeparator: \.isWhitespace)
        if words.count > prompt.maxOutputTokens { output = words.prefix(prompt.maxOutputTokens).joined(separator: " ") }
        return AssistCompletion(output: output, model: "local-extractive-1", inputTokens: Self.tokens(prompt.text),
                                outputTokens: Self.tokens(output))
    }

    /// Words in and the answer's limit: exact bounds, as this provider counts.
    func reservation(for prompt: AssistPrompt) -> Int { Self.tokens(prompt.text) + prompt.maxOutputTokens }

    /// Tokens as this provider counts them: words.
    static func tokens(_ text: String) -> Int { text.split(whereSeparator: \.isWhitespace).count }

    /// The text cut after `.`, `!` or `?` followed by whitespace, and at line breaks.
    static func sentences(_ text: String) -> [String] {
        var sentences: [String] = [], current = ""
        var previous: Character = " "
        for character in text {
            if character.isNewline || (character.isWhitespace && ".!?".contains(previous)) {
                let sentence = current.trimmingCharacters(in: .whitespacesAndNewlines)
                if !sentence.isEmpty { sentences.append(sentence) }
                current = ""
            } else {
                current.append(character)
            }
            previous = character
        }
        let last = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !last.isEmpty { sentences.append(last) }
        return sentences
    }

    /// The `count` sentences with the highest mean frequency of their words (ties to the
    /// earlier sentence), in text order.
    static func mostCentral(_ sentences: [String], count: Int) -> [String] {
        let words: [[String]] = sentences.map { sentence in
            sentence.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init).filter { $0.count > 3 }
        }
        var frequency: [String: Int] = [:]
        for sentence in words { for word in sentence { frequency[word, default: 0] += 1 } }
        let scores: [Double] = words.map { sentence in
            guard !sentence.isEmpty else { return 0 }
            let total = sentence.reduce(0) { $0 + (frequency[$1] ?? 0) }
            return Double(total) / Double(sentence.count)
        }
        let ranked = scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
        return ranked.prefix(count).sorted().map { sentences[$0] }
    }
}
