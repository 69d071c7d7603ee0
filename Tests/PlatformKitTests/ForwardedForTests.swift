import PlatformKit
import Testing

@Suite struct ForwardedForTests {
    @Test func theClientIsCountedFromTheRight() {
        #expect(ForwardedFor.client(header: "6.6.6.6, 203.0.113.7", trustedHops: 1) == .address("203.0.113.7"))
        #expect(ForwardedFor.client(header: "6.6.6.6, 203.0.113.7, 10.0.0.2", trustedHops: 2) == .address("203.0.113.7"))
        #expect(ForwardedFor.client(header: "203.0.113.7", trustedHops: 1) == .address("203.0.113.7"))
    }

    @Test func portsAndBracketsAreUnderstood() {
        #expect(ForwardedFor.client(header: "1.2.3.4, 5.6.7.8:443", trustedHops: 1) == .address("5.6.7.8"))
        #expect(ForwardedFor.client(header: "[2001:DB8::1]:443", trustedHops: 1) == .address("2001:db8::1"))
        #expect(ForwardedFor.client(header: "2001:DB8:0:0::1", trustedHops: 1) == .address("2001:db8::1"))
        #expect(ForwardedFor.client(header: " 192.0.2.1 ", trustedHops: 1) == .address("192.0.2.1"))
    }

    @Test func fewerEntriesThanHopsOrGarbageAreNotAnAddress() {
        #expect(ForwardedFor.client(header: "203.0.113.7", trustedHops: 2) == .unparsable("missing-hops"))
        #expect(ForwardedFor.client(header: "1.2.3.4, not-an-ip", trustedHops: 1) == .unparsable("a"))
        #expect(ForwardedFor.client(header: "1.2.3.4", trustedHops: 0) == .unparsable("missing-hops"))
        if case .unparsable(let kept) = ForwardedFor.client(header: String(repeating: "9", count: 500), trustedHops: 1) {
            #expect(kept.count == 64)
        } else {
            Issue.record("500 nines are not an address")
        }
    }

    @Test func ipv6ClientsAreCountedByTheirSlash64() {
        #expect(ForwardedFor.limitKey(for: "2001:db8:1:2:aaaa:bbbb:cccc:dddd") == "2001:db8:1:2::/64")
        #expect(ForwardedFor.limitKey(for: "2001:db8:1:2::9") == "2001:db8:1:2::/64")
        #expect(ForwardedFor.limitKey(for: "203.0.113.7") == "203.0.113.7")
    }
}
