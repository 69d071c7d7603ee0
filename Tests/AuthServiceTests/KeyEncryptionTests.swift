import AuthService
import Foundation
import Testing
import ServiceWorlds

@Suite struct KeyEncryptionTests {
    @Test func sealsAndOpensOnlyWithTheSameKeyAndKid() throws {
        let kek = try #require(KeyEncryption(base64: KeyEncryption.generateBase64()))
        // Built at run time so no key-shaped literal sits in the repository.
        let plaintext = "-----BEGIN " + "PRIVATE KEY-----secret"
        let sealed = try kek.seal(plaintext, kid: "k1")
        #expect(!String(decoding: sealed, as: UTF8.self).contains("PRIVATE KEY"))
        #expect(try kek.open(sealed, kid: "k1") == plaintext)
        #expect(throws: (any Error).self) { try kek.open(sealed, kid: "k2") }
        let other = try #require(KeyEncryption(base64: KeyEncryption.generateBase64()))
        #expect(throws: (any Error).self) { try other.open(sealed, kid: "k1") }
        #expect(KeyEncryption(base64: "c2hvcnQ=") == nil)
    }

    @Test func eachPurposeHasItsOwnKeyAndOldRowsStillOpen() throws {
        let kek = try #require(KeyEncryption(base64: KeyEncryption.generateBase64()))
        let successors = kek.derived(for: .refreshSuccessors), signing = kek.derived(for: .signingKeys)
        let sealed = try successors.seal("rt_x", kid: "ctx")
        #expect(try successors.open(sealed, kid: "ctx") == "rt_x")
        #expect(throws: (any Error).self) { try signing.open(sealed, kid: "ctx") }
        #expect(throws: (any Error).self) { try kek.open(sealed, kid: "ctx") }
        // Rows sealed with the undivided key before the split still open.
        #expect(try signing.open(try kek.seal("legacy", kid: "k1"), kid: "k1") == "legacy")
    }
}

