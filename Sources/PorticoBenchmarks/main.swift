// Micro-benchmarks of the feature algorithms, in release mode: `swift run -c release PorticoBenchmarks [name…]`.
// Throughput against a peer (nginx) is bench/compare.sh's job; these print per-call costs only.
let selected = Set(CommandLine.arguments.dropFirst())

if selected.isEmpty || selected.contains("circuit-breaker") {
    print("## circuit breaker")
    for line in CircuitBreakerBenchmark.run() { print(line) }
}
if selected.isEmpty || selected.contains("jwt") {
    print("## JWT validator")
    for line in try await JWTValidatorBenchmark.run() { print(line) }
}
