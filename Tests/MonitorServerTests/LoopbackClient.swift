import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle
#if canImport(Glibc)
import Glibc
#endif

/// How a test reaches the server: over loopback, on a real socket.
enum LoopbackMode { case live }

/// A response as a test sees it.
struct TestResponse: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: ByteBuffer
}

enum LoopbackError: Error, CustomStringConvertible {
    case socket(String, Int32)
    case malformedResponse(String)
    case serverDidNotStart

    var description: String {
        switch self {
        case .socket(let call, let code): "\(call): \(String(cString: strerror(code)))"
        case .malformedResponse(let why): "malformed response: \(why)"
        case .serverDidNotStart: "the server stopped before it listened"
        }
    }
}

/// An HTTP/1.1 client on a plain POSIX socket: one connection per request
/// (`Connection: close`), the whole response read to the end. It is a real
/// client over loopback, independent of the server's own stack (and of
/// HummingbirdTesting, whose dependencies — AsyncHTTPClient and two copies
/// of BoringSSL — cost CI minutes to compile).
struct LoopbackClient: Sendable {
    let port: Int

    /// Sends one request and hands its response to `testCallback`.
    @discardableResult
    func execute<Value>(uri: String, method: HTTPRequest.Method, headers: HTTPFields = [:], body: ByteBuffer? = nil,
                        testCallback: (TestResponse) async throws -> Value = { $0 }) async throws -> Value {
        var head = "\(method.rawValue) \(uri) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for field in headers { head += "\(field.name.rawName): \(field.value)\r\n" }
        let payload = body.map { Array($0.readableBytesView) } ?? []
        if body != nil || method == .post || method == .put { head += "Content-Length: \(payload.count)\r\n" }
        let request = Array((head + "\r\n").utf8) + payload
        let port = self.port
        let raw: [UInt8] = try await withCheckedThrowingContinuation { continuation in
            // Blocking socket calls on a thread of their own, off the cooperative pool.
            let thread = Thread { continuation.resume(with: Result { try Self.exchange(request, port: port) }) }
            thread.start()
        }
        return try await testCallback(try Self.parse(raw))
    }

    /// Connects, writes the request (ignoring a reset once the server has
    /// answered early, as it does past the body limit) and reads to EOF.
    private static func exchange(_ request: [UInt8], port: Int) throws -> [UInt8] {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LoopbackError.socket("socket", errno) }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw LoopbackError.socket("connect", errno) }
        var written = 0
        while written < request.count {
            let n = request.withUnsafeBytes { send(fd, $0.baseAddress! + written, $0.count - written, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EPIPE || errno == ECONNRESET { break }  // the server answered and closed early
                throw LoopbackError.socket("send", errno)
            }
            written += n
        }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == ECONNRESET, !response.isEmpty { break }
                throw LoopbackError.socket("recv", errno)
            }
            if n == 0 { break }
            response.append(contentsOf: buffer[0..<n])
        }
        return response
    }

    /// The status line, the header fields and the body (by `Content-Length`,
    /// chunked transfer coding, or to the end of the connection).
    static func parse(_ raw: [UInt8]) throws -> TestResponse {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let end = raw.indices.first(where: { raw[$0...].starts(with: separator) }) else {
            throw LoopbackError.malformedResponse("no end of head in \(raw.count) bytes")
        }
        let lines = String(decoding: raw[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ", maxSplits: 2)
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."), let code = Int(statusParts[1]) else {
            throw LoopbackError.malformedResponse("status line '\(lines[0])'")
        }
        var headers = HTTPFields()
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":"), let name = HTTPFields.Element.Name(String(line[..<colon])) else {
                throw LoopbackError.malformedResponse("header '\(line)'")
            }
            headers.append(HTTPFields.Element(name: name, value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        var body = Array(raw[(end + 4)...])
        if headers[.transferEncoding]?.lowercased() == "chunked" {
            body = try dechunk(body)
        } else if let length = headers[.contentLength].flatMap(Int.init) {
            guard body.count >= length else { throw LoopbackError.malformedResponse("body of \(body.count) < \(length) bytes") }
            body = Array(body.prefix(length))
        }
        return TestResponse(status: HTTPResponse.Status(code: code), headers: headers, body: ByteBuffer(bytes: body))
    }

    private static func dechunk(_ bytes: [UInt8]) throws -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while true {
            guard let lineEnd = bytes[i...].indices.first(where: { bytes[$0...].starts(with: [13, 10]) }),
                  let size = Int(String(decoding: bytes[i..<lineEnd], as: UTF8.self).split(separator: ";")[0], radix: 16)
            else { throw LoopbackError.malformedResponse("chunk size") }
            i = lineEnd + 2
            if size == 0 { return out }
            guard i + size <= bytes.count else { throw LoopbackError.malformedResponse("short chunk") }
            out.append(contentsOf: bytes[i..<(i + size)])
            i += size + 2
        }
    }
}

/// The application under test on 127.0.0.1 and an ephemeral port, which it
/// reports once it listens.
struct LoopbackApplication<Base: ApplicationProtocol>: ApplicationProtocol {
    typealias Responder = Base.Responder

    let base: Base
    let reportPort: @Sendable (Int) -> Void

    var responder: Responder { get async throws { try await base.responder } }
    var server: HTTPServerBuilder { base.server }
    var eventLoopGroup: any EventLoopGroup { base.eventLoopGroup }
    var configuration: ApplicationConfiguration { base.configuration.with(address: .hostname("127.0.0.1", port: 0)) }
    var logger: Logger { base.logger }
    var services: [any Service] { base.services }
    var processesRunBeforeServerStart: [@Sendable () async throws -> Void] { base.processesRunBeforeServerStart }

    @Sendable func onServerRunning(_ channel: any Channel) async {
        await base.onServerRunning(channel)
        reportPort(channel.localAddress?.port ?? 0)
    }
}

extension ApplicationProtocol {
    /// Runs the application on loopback while `test` sends it requests with a
    /// ``LoopbackClient``, then shuts it down gracefully.
    func test<Value>(_ mode: LoopbackMode, _ test: (LoopbackClient) async throws -> Value) async throws -> Value {
        let (ports, reporter) = AsyncStream.makeStream(of: Int.self)
        let app = LoopbackApplication(base: self, reportPort: { reporter.yield($0); reporter.finish() })
        let group = ServiceGroup(configuration: .init(services: [app], logger: app.logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                defer { reporter.finish() }
                try await group.run()
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else {
                try await tasks.waitForAll()
                throw LoopbackError.serverDidNotStart
            }
            do {
                let value = try await test(LoopbackClient(port: port))
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return value
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }
}
