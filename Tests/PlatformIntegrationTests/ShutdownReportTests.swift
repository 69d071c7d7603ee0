import NIOConcurrencyHelpers
import PlatformDaemon
import PlatformKit
import PlatformTesting
import ServiceLifecycle
import Testing

/// A background service that ignores graceful shutdown and cancellation until released.
private struct StubbornService: Service {
    let latch: AsyncGate
    func run() async throws { await latch.wait() }
}

private struct StubbornDaemon: DaemonApplication {
    static let descriptor = DaemonDescriptor(
        name: "stubborn", publicPort: nil, managementPort: 0, databasePrefix: nil, redis: .none,
        callsServices: false, servesInternalRoutes: false)
    static let latch = AsyncGate()

    init(context: DaemonContext) async throws {}
    var backgroundServices: [any Service] { [StubbornService(latch: Self.latch)] }
}

@Suite struct ShutdownReportTests {
    /// An overrun names what the daemon is still waiting on, and only that.
    @Test(.timeLimit(.minutes(1))) func anOverrunShutdownNamesTheServicesStillRunning() async throws {
        let daemon = try await Daemon.start(StubbornDaemon.self, environment: DaemonEnvironment.base(["SHUTDOWN_GRACE": "1s"]),
                                            sink: MemoryLogSink())
        defer { StubbornDaemon.latch.open() }
        let error = await #expect(throws: ShutdownOverran.self) { try await daemon.shutdown(within: .seconds(3)) }
        #expect(error?.daemon == "stubborn")
        #expect(error?.stillRunning == ["StubbornService"])
        #expect(error?.description.contains("still running: StubbornService") == true)
    }
}
