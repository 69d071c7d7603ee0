import AccessControl
import PlatformKit
import Testing
@testable import AuthService

/// Which failed writes wait for the feed: a refusal (4xx) wrote nothing and returns at once, so
/// a stream of bad requests to a write route cannot make the feed's pump spin; anything else may
/// have followed a commit and waits like a success.
@Suite struct SettlesAccessMemoryTests {
    @Test func refusalsPassStraightThrough() {
        #expect(SettlesAccessMemory.isRefusal(PlatformError(AccessError.tokenMissing, "no token")))
        #expect(SettlesAccessMemory.isRefusal(PlatformError(.validationFailed, "bad")))
        #expect(!SettlesAccessMemory.isRefusal(PlatformError(.dependencyUnavailable, "database away")))
        #expect(!SettlesAccessMemory.isRefusal(PlatformError(.internalError, "after the commit")))
        #expect(!SettlesAccessMemory.isRefusal(CancellationError()))
    }
}
