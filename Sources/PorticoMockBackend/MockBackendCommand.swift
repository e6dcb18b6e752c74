import ArgumentParser
import Dispatch
import Foundation
import MockBackend
import NIOPosix

/// `portico-mock-backend`: serves routes from a JSON file or a built-in demo data set until SIGINT/SIGTERM.
@main
struct MockBackendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portico-mock-backend",
        abstract: "A scriptable HTTP/1.1 backend for Portico's tests, demos and benchmarks.",
        discussion: """
            Routes come from --routes files (see MockRouteFile for the format) and/or --demo data sets, in the \
            order given. Faults can be injected at run time:
              curl -X POST 'http://HOST:PORT/__mock/fail?status=500&count=3'
              curl -X POST 'http://HOST:PORT/__mock/delay?ms=200'
              curl -X POST 'http://HOST:PORT/__mock/reset'
              curl 'http://HOST:PORT/__mock/requests'
            """
    )

    @Option(help: "The address to bind.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0 picks a free one and prints it).")
    var port = 9001

    @Option(name: .customLong("routes"), help: "A routes JSON file; may be repeated.")
    var routeFiles: [String] = []

    @Option(
        name: .customLong("demo"),
        help: "A built-in demo data set: users, orders, catalog or all; may be repeated."
    )
    var demos: [DemoDataSet] = []

    @Option(
        help:
            "Where the demo data sets live (default: $PORTICO_DEMO_DIR, ./examples/demo-backends, or next to the binary)."
    )
    var demoDirectory: String?

    @Option(help: "Event loop threads.")
    var threads = 1

    func validate() throws {
        if self.routeFiles.isEmpty && self.demos.isEmpty {
            throw ValidationError("give --routes FILE or --demo users|orders|catalog|all")
        }
        if !(0...65_535).contains(self.port) {
            throw ValidationError("--port must be in 0...65535")
        }
        if !(1...64).contains(self.threads) {
            throw ValidationError("--threads must be in 1...64")
        }
    }

    func run() async throws {
        var routes: [MockRoute] = []
        do {
            for file in self.routeFiles {
                routes += try MockRouteFile.load(path: file)
            }
            if !self.demos.isEmpty {
                let directory = try DemoDataSet.locateDirectory(explicit: self.demoDirectory)
                for demo in self.demos {
                    for file in demo.routeFiles {
                        routes += try MockRouteFile.load(path: directory + "/" + file)
                    }
                }
            }
        } catch {
            Self.printError("error: \(error)")
            throw ExitCode.failure
        }

        let group = MultiThreadedEventLoopGroup(numberOfThreads: self.threads)
        let server: MockBackendServer
        do {
            server = try await MockBackendServer.start(host: self.host, port: self.port, routes: routes, group: group)
        } catch {
            Self.printError("error: cannot listen on \(self.host):\(self.port): \(error)")
            try? await group.shutdownGracefully()
            throw ExitCode.failure
        }
        print("portico-mock-backend listening on \(server.baseURL) with \(routes.count) routes")
        for route in routes {
            print("  \(route.method) \(route.path)")
        }
        fflush(nil)  // nil flushes every stream; `stdout` itself is not concurrency-safe to name

        let signal = await TerminationSignal.wait()
        print("portico-mock-backend: received signal \(signal), shutting down")
        fflush(nil)  // nil flushes every stream; `stdout` itself is not concurrency-safe to name
        try await server.shutdown()
        try await group.shutdownGracefully()
    }

    private static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
