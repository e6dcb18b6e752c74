import Foundation
public import Logging

/// Holds the current `KeySet` and refreshes it off the request path.
///
/// Policy (all times from the injected clock):
/// - The request path only reads the current set (one lock, no I/O). When the set is older than `refreshInterval`
///   it starts a background refresh and keeps using the stale keys meanwhile.
/// - A token whose key is unknown may start a refresh, but only when no download was attempted within
///   `unknownKeyCooldown`; while one is in flight, callers share it. So a flood of random `kid`s causes at most one
///   download per cooldown.
/// - A failed download (endpoint down, unusable document, or a document with no usable key) keeps the previous set.
public final class KeySetProvider: @unchecked Sendable {
    // @unchecked: every mutable field is guarded by `lock`.
    private let lock = NSLock()
    private var keySet: KeySet
    private var loadedAt: Double?
    private var lastAttemptAt: Double?
    private var inFlight: Task<Bool, Never>?
    private var attempts = 0

    private let fetcher: (any JWKSFetcher)?
    private let refreshInterval: Double
    private let unknownKeyCooldown: Double
    private let clock: any AuthClock
    private let logger: Logger

    /// A provider that downloads its keys with `fetcher`.
    /// - Parameters:
    ///   - fetcher: The JWKS source.
    ///   - refreshInterval: Age after which the set is refreshed in the background, seconds.
    ///   - unknownKeyCooldown: Minimum time between downloads, seconds (also the retry delay after a failure).
    ///   - clock: The time source.
    ///   - logger: Receives skipped keys and download failures.
    public init(
        fetcher: any JWKSFetcher,
        refreshInterval: Double,
        unknownKeyCooldown: Double,
        clock: any AuthClock = SystemAuthClock(),
        logger: Logger = Logger(label: "portico.auth.jwks")
    ) {
        self.keySet = .empty
        self.fetcher = fetcher
        self.refreshInterval = refreshInterval
        self.unknownKeyCooldown = unknownKeyCooldown
        self.clock = clock
        self.logger = logger
    }

    /// A provider serving a fixed key set (never refreshed).
    public init(keySet: KeySet, clock: any AuthClock = SystemAuthClock()) {
        self.keySet = keySet
        self.fetcher = nil
        self.refreshInterval = .infinity
        self.unknownKeyCooldown = .infinity
        self.clock = clock
        self.logger = Logger(label: "portico.auth.jwks")
        self.loadedAt = clock.now()
    }

    /// Number of downloads attempted so far.
    public var fetchAttempts: Int { lock.withLock { attempts } }

    /// Downloads the keys now (start-up), or joins a download in flight. Returns whether the set was replaced.
    @discardableResult
    public func load() async -> Bool {
        guard let task = lock.withLock({ startRefreshLocked(now: clock.now(), force: true) }) else { return false }
        return await task.value
    }

    /// Waits for a download in flight, if any.
    public func waitForPendingRefresh() async {
        if let task = lock.withLock({ inFlight }) { _ = await task.value }
    }

    /// The current set; starts a background refresh when it is stale. Request path: one lock, no allocation
    /// unless a refresh task is started.
    public func currentKeySet() -> KeySet {
        let now = clock.now()
        return lock.withLock {
            if fetcher != nil, inFlight == nil, now - (loadedAt ?? -.infinity) >= refreshInterval {
                _ = startRefreshLocked(now: now, force: false)
            }
            return keySet
        }
    }

    /// Called when a token names a key the set lacks: returns the download to wait for (in flight or newly started),
    /// or `nil` when the cooldown forbids one.
    public func refreshForUnknownKey() -> Task<Bool, Never>? {
        let now = clock.now()
        return lock.withLock { startRefreshLocked(now: now, force: false) }
    }

    private func startRefreshLocked(now: Double, force: Bool) -> Task<Bool, Never>? {
        if let inFlight { return inFlight }
        guard let fetcher else { return nil }
        if !force, let lastAttemptAt, now - lastAttemptAt < unknownKeyCooldown { return nil }
        lastAttemptAt = now
        attempts += 1
        let task = Task { [self] in
            let replaced = await self.download(with: fetcher)
            self.lock.withLock { self.inFlight = nil }
            return replaced
        }
        inFlight = task
        return task
    }

    private func download(with fetcher: any JWKSFetcher) async -> Bool {
        let bytes: [UInt8]
        do {
            bytes = try await fetcher.fetchJWKS()
        } catch {
            logger.error("JWKS download failed; keeping the cached keys", metadata: ["error": "\(error)"])
            return false
        }
        let parsed: KeySet
        do {
            parsed = try await KeySet.parse(jwks: bytes, logger: logger)
        } catch {
            logger.error("JWKS document refused; keeping the cached keys", metadata: ["error": "\(error)"])
            return false
        }
        guard !parsed.keys.isEmpty else {
            logger.error("JWKS has no usable key; keeping the cached keys")
            return false
        }
        let now = clock.now()
        lock.withLock {
            keySet = parsed
            loadedAt = now
        }
        return true
    }
}
