import PlatformKit
import Testing

@Suite struct ForwardedForTests {
    @Test func theClientIsCountedFromTheRight() {
        #expect(ForwardedFor.clientAddress(header: "6.6.6.6, 203.0.113.7", trustedHops: 1) == "203.0.113.7")
        #expect(ForwardedFor.clientAddress(header: "6.6.6.6, 203.0.113.7, 10.0.0.2", trustedHops: 2) == "203.0.113.7")
        #expect(ForwardedFor.clientAddress(header: "203.0.113.7", trustedHops: 1) == "203.0.113.7")
    }

    @Test func fewerEntriesThanHopsOrGarbageAreNotAnAddress() {
        #expect(ForwardedFor.clientAddress(header: "203.0.113.7", trustedHops: 2) == nil)
        #expect(ForwardedFor.clientAddress(header: "1.2.3.4, not-an-ip", trustedHops: 1) == nil)
        #expect(ForwardedFor.clientAddress(header: "1.2.3.4, 5.6.7.8:443", trustedHops: 1) == nil)
        #expect(ForwardedFor.clientAddress(header: "", trustedHops: 1) == nil)
        #expect(ForwardedFor.clientAddress(header: "1.2.3.4", trustedHops: 0) == nil)
    }

    @Test func addressesAreCanonical() {
        #expect(ForwardedFor.clientAddress(header: "2001:DB8:0:0::1", trustedHops: 1) == "2001:db8::1")
        #expect(ForwardedFor.clientAddress(header: " 192.0.2.1 ", trustedHops: 1) == "192.0.2.1")
    }
}
