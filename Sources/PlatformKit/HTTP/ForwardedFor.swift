import Foundation
import NIOCore

/// The client address behind the platform's own proxies. Each proxy appends the address it saw
/// to `X-Forwarded-For`, so only the rightmost `trustedHops` entries were written by us; anything
/// to their left is the client's to invent (a per-IP limit keyed on the first entry can be
/// escaped with a fresh fake address per request).
public enum ForwardedFor {
    /// What the entry `trustedHops` from the right says.
    public enum Client: Sendable, Equatable {
        /// A valid address, in canonical text.
        case address(String)
        /// Fewer entries than hops (our ingress was bypassed or misconfigured), or not an address:
        /// the entry, reduced to address characters and at most 64 of them.
        case unparsable(String)
    }

    /// The entry our outermost proxy wrote. Accepts `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1` and
    /// `[2001:db8::1]:5678`.
    public static func client(header: String, trustedHops: Int) -> Client {
        let entries = header.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard trustedHops >= 1, entries.count >= trustedHops else { return .unparsable("missing-hops") }
        let entry = entries[entries.count - trustedHops]
        if let address = canonical(entry) { return .address(address) }
        let kept = entry.unicodeScalars.filter { CharacterSet(charactersIn: "0123456789abcdefABCDEF.:[]").contains($0) }
        return .unparsable(String(String.UnicodeScalarView(kept.prefix(64))))
    }

    /// The canonical address of `entry`, with or without a port, or nil.
    static func canonical(_ entry: String) -> String? {
        var host = entry
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            host = String(host[host.index(after: host.startIndex)..<close])
        } else if host.filter({ $0 == ":" }).count == 1, let colon = host.firstIndex(of: ":") {
            host = String(host[..<colon])  // IPv4 with a port
        }
        return (try? SocketAddress(ipAddress: host, port: 0))?.ipAddress
    }

    /// The key a per-client limit counts under: an IPv4 address itself, an IPv6 address's /64
    /// (one subscriber holds a whole /64, so counting single addresses would be no limit).
    public static func limitKey(for address: String) -> String {
        guard address.contains(":"), let parsed = try? SocketAddress(ipAddress: address, port: 0),
              case .v6(let v6) = parsed else { return address }
        var bytes = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
        for index in 8..<16 { bytes[index] = 0 }
        let groups = stride(from: 0, to: 8, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
        return groups.joined(separator: ":") + "::/64"
    }
}
