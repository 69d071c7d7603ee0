import Foundation
import NIOCore

/// The client address behind the platform's own proxies. Each proxy appends the address it saw
/// to `X-Forwarded-For`, so only the rightmost `trustedHops` entries were written by us; anything
/// to their left is the client's to invent (a per-IP limit keyed on the first entry can be
/// escaped with a fresh fake address per request).
public enum ForwardedFor {
    /// The entry `trustedHops` from the right, in canonical text (one address, one counter);
    /// nil when there are fewer entries than hops (our ingress was bypassed) or the entry is not
    /// an IP address.
    public static func clientAddress(header: String, trustedHops: Int) -> String? {
        let entries = header.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard trustedHops >= 1, entries.count >= trustedHops else { return nil }
        return (try? SocketAddress(ipAddress: entries[entries.count - trustedHops], port: 0))?.ipAddress
    }
}
