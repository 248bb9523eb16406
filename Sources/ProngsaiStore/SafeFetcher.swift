import Foundation
import ProngsaiCore
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// What a fetch of an evidence URL found.
public struct FetchResult: Sendable, Hashable {
    public var status: Int?
    public var contentType: String
    public var bytes: [UInt8]
    public var finalURL: String
    /// Why nothing (or nothing usable) came back; nil when the page answered.
    public var error: String?
}

/// Fetches evidence pages safely: http and https only, every address checked before connecting (no
/// private, loopback or link-local targets unless allowed), the connection made to the checked address
/// (so a DNS answer cannot change in between), time limits, a size cap and few redirects.
public struct SafeFetcher: Sendable {
    public var allowPrivateAddresses: Bool
    public var timeout: TimeAmount
    public var maxBytes: Int
    public var maxRedirects: Int

    public init(allowPrivateAddresses: Bool = false, timeout: TimeAmount = .seconds(15), maxBytes: Int = 10 * 1_048_576, maxRedirects: Int = 5) {
        self.allowPrivateAddresses = allowPrivateAddresses
        self.timeout = timeout
        self.maxBytes = maxBytes
        self.maxRedirects = maxRedirects
    }

    public func fetch(_ url: String) async -> FetchResult {
        var current = url
        for _ in 0...maxRedirects {
            let result = await fetchOnce(current)
            guard let status = result.status, [301, 302, 303, 307, 308].contains(status), !result.finalURL.isEmpty else {
                guard result.error == nil else { return result }
                return FetchResult(status: result.status, contentType: result.contentType, bytes: result.bytes, finalURL: current, error: nil)
            }
            current = result.finalURL
        }
        return FetchResult(status: nil, contentType: "", bytes: [], finalURL: current, error: "too many redirects (more than \(maxRedirects))")
    }

    /// One request; on a redirect, `finalURL` holds the resolved Location.
    func fetchOnce(_ text: String) async -> FetchResult {
        func failure(_ message: String) -> FetchResult { FetchResult(status: nil, contentType: "", bytes: [], finalURL: text, error: message) }
        guard let url = WebLink.url(text), let scheme = url.scheme?.lowercased(), let host = url.host else {
            return failure("only http and https links can be checked")
        }
        let port = url.port ?? (scheme == "https" ? 443 : 80)
        let addresses: [SocketAddress]
        do {
            addresses = try await Self.resolve(host: host, port: port)
        } catch {
            return failure("the address \(host) does not resolve")
        }
        guard let address = addresses.first else { return failure("the address \(host) does not resolve") }
        if !allowPrivateAddresses, let bad = addresses.first(where: Self.isPrivate) {
            return failure("refused: \(host) points to a private or local address (\(bad.ipAddress ?? "?"))")
        }
        // The path as given, percent-encoding kept ("%2F" stays "%2F"; Thai is sent encoded).
        let path = WebLink.requestTarget(text)
        let collector = ResponseCollector(maxBytes: maxBytes)
        let tls: NIOSSLContext?
        if scheme == "https" {
            do { tls = try NIOSSLContext(configuration: .makeClientConfiguration()) } catch { return failure("TLS is not available: \(error)") }
        } else {
            tls = nil
        }
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(5))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        let handler = try NIOSSLClientHandler(context: tls, serverHostname: host.first?.isNumber == true ? nil : host)
                        try channel.pipeline.syncOperations.addHandler(handler)
                    }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(collector)
                }
            }
        do {
            let channel = try await bootstrap.connect(to: address).get()
            var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path)
            head.headers.add(name: "Host", value: url.port.map { "\(host):\($0)" } ?? host)
            head.headers.add(name: "User-Agent", value: "Prongsai evidence checker")
            head.headers.add(name: "Accept", value: "*/*")
            head.headers.add(name: "Connection", value: "close")
            channel.write(HTTPClientRequestPart.head(head), promise: nil)
            try await channel.writeAndFlush(HTTPClientRequestPart.end(nil)).get()
            let deadline = channel.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
            let response = try await collector.done.futureResult.get()
            deadline.cancel()
            channel.close(promise: nil)
            if let error = response.error { return failure(error) }
            var location = ""
            if [301, 302, 303, 307, 308].contains(response.status), let target = response.location, let resolved = URL(string: target, relativeTo: url)?.absoluteString {
                location = resolved
            }
            return FetchResult(status: response.status, contentType: response.contentType, bytes: response.body, finalURL: location, error: nil)
        } catch {
            return failure("could not connect to \(host): \(error)")
        }
    }

    static func resolve(host: String, port: Int) async throws -> [SocketAddress] {
        try await NIOThreadPool.singleton.runIfActive {
            var hints = addrinfo()
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var result: UnsafeMutablePointer<addrinfo>?
            guard getaddrinfo(host, String(port), &hints, &result) == 0, let first = result else { throw UnresolvedHost(host: host) }
            defer { freeaddrinfo(first) }
            var addresses: [SocketAddress] = []
            var pointer: UnsafeMutablePointer<addrinfo>? = first
            while let info = pointer {
                if let sockaddr = info.pointee.ai_addr {
                    switch Int32(info.pointee.ai_family) {
                    case AF_INET:
                        sockaddr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { addresses.append(SocketAddress($0.pointee, host: host)) }
                    case AF_INET6:
                        sockaddr.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { addresses.append(SocketAddress($0.pointee, host: host)) }
                    default: break
                    }
                }
                pointer = info.pointee.ai_next
            }
            return addresses
        }
    }

    /// Every IANA special-purpose address (RFC 6890 and its registries: private, loopback, link-local,
    /// carrier-grade NAT, documentation TEST-NETs, benchmarking 198.18/15, 6to4 and NAT64 prefixes, Teredo,
    /// multicast, reserved 240/4 …) and this host's own interface addresses: none is a public web page.
    static func isPrivate(_ address: SocketAddress) -> Bool {
        guard let ip = address.ipAddress else { return true }
        return SpecialAddresses.isSpecial(ip) || SpecialAddresses.isOwn(ip)
    }
}

/// IANA special-purpose address ranges (RFC 6890 and its registries).
public enum SpecialAddresses {
    static let ranges: [AddressRange] = [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
        "192.0.2.0/24", "192.31.196.0/24", "192.52.193.0/24", "192.88.99.0/24", "192.168.0.0/16", "192.175.48.0/24",
        "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
        "::/127",            // unspecified and loopback
        "64:ff9b::/96", "64:ff9b:1::/48",   // NAT64
        "100::/64",          // discard
        "2001::/23",         // IETF protocol assignments (Teredo …)
        "2001:db8::/32", "3fff::/20",        // documentation
        "2002::/16",         // 6to4
        "5f00::/16",         // SRv6 SIDs
        "fc00::/7", "fe80::/10", "ff00::/8",  // unique local, link-local, multicast
    ].map { AddressRange($0)! }

    /// Anything that is not an address counts as special. IPv4-mapped IPv6 addresses are judged as IPv4.
    public static func isSpecial(_ ip: String) -> Bool {
        guard AddressRange.bytes(ip) != nil else { return true }
        return ranges.contains { $0.contains(ip) }
    }

    /// This host's own addresses (every interface), read once.
    static let own: Set<String> = {
        var out = Set<String>()
        for device in (try? System.enumerateDevices()) ?? [] {
            if let ip = device.address?.ipAddress { out.insert(canonical(ip)) }
        }
        return out
    }()

    static func canonical(_ ip: String) -> String { AddressRange.bytes(ip).map { NumberText.hex($0) } ?? ip }

    public static func isOwn(_ ip: String) -> Bool { own.contains(canonical(ip)) }
}

struct UnresolvedHost: Error {
    var host: String
}

/// Gathers one HTTP response, stopping at the size cap.
final class ResponseCollector: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart

    struct Response: Sendable {
        var status = 0
        var contentType = ""
        var location: String?
        var body: [UInt8] = []
        var error: String?
    }

    let maxBytes: Int
    var response = Response()
    var promise: EventLoopPromise<Response>?
    var finished = false

    init(maxBytes: Int) { self.maxBytes = maxBytes }

    var done: EventLoopPromise<Response> { promise! }

    func handlerAdded(context: ChannelHandlerContext) {
        promise = context.eventLoop.makePromise(of: Response.self)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            response.status = Int(head.status.code)
            response.contentType = head.headers.first(name: "Content-Type") ?? ""
            response.location = head.headers.first(name: "Location")
        case .body(let buffer):
            guard response.body.count + buffer.readableBytes <= maxBytes else {
                response.error = "the page is larger than \(maxBytes / 1_048_576) MB"
                finish(context)
                return
            }
            response.body += buffer.readableBytesView
        case .end:
            finish(context)
        }
    }

    func finish(_ context: ChannelHandlerContext) {
        guard !finished else { return }
        finished = true
        promise?.succeed(response)
        context.close(promise: nil)
    }

    /// A connection that never opened still settles the promise.
    func handlerRemoved(context: ChannelHandlerContext) {
        if !finished {
            finished = true
            response.error = "the connection could not be made"
            promise?.succeed(response)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !finished {
            finished = true
            if response.status == 0 { response.error = "the connection closed before an answer (time limit or server error)" }
            promise?.succeed(response)
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if !finished {
            finished = true
            response.error = "connection failed: \(error)"
            promise?.succeed(response)
        }
        context.close(promise: nil)
    }
}
