import NIOCore
import Synchronization

/// Endpoint tokens leased from Redis in batches and spent locally until they lapse.
///
/// Two lots at most: the one being spent and one fetched ahead when the first runs low, so requests rarely wait
/// for Redis. A lot lapses `lease_duration` after its request was *sent*, which is no later than the moment
/// Redis granted it: every leased token is spent within `lease_duration` of its grant, and Redis holds back
/// `rate × lease_duration` tokens of the burst to pay for exactly that delay.
final class LeaseBook: Sendable {
    struct Lot: Sendable {
        var tokens = 0
        var expiry: Int64 = .min
    }

    struct State: Sendable {
        var current = Lot()
        var next = Lot()
        var refilling = false
        var blockedUntil: Int64 = .min
        var clusterRemaining = 0
        var waiters: [EventLoopPromise<RateLimitDecision>] = []

        /// Moves to the fetched-ahead lot when the current one is spent or lapsed.
        mutating func roll(now: Int64) {
            if current.tokens == 0 || now >= current.expiry {
                current = next
                next = Lot()
            }
            if now >= current.expiry { current = Lot() }
            if now >= next.expiry { next = Lot() }
        }

        mutating func take(now: Int64) -> Bool {
            roll(now: now)
            guard current.tokens > 0 else { return false }
            current.tokens -= 1
            return true
        }

        var localTokens: Int { current.tokens + next.tokens }
    }

    /// Requests waiting for one refill beyond which the failure policy decides instead.
    static let maxWaiters = 4_096

    let state = Mutex(State())
}

extension ClusterRateLimiter {
    private enum LeaseStep {
        case allowed(remaining: Int, prefetch: Bool)
        case blocked(retryAfter: Int64)
        case wait(refill: Bool)
        case overflow
    }

    /// A lease-mode decision: a local token when one is held, else a wait for the refill (bounded by the timeout).
    func leaseDecision(
        _ lease: LeaseBook,
        start: Int64,
        on eventLoop: any EventLoop
    ) -> EventLoopFuture<RateLimitDecision> {
        let batch = configuration.leaseTokens
        let lowWater = max(batch / 4, 1)
        var promise: EventLoopPromise<RateLimitDecision>?
        let step = lease.state.withLock { state -> LeaseStep in
            if state.take(now: start) {
                let prefetch =
                    !state.refilling && state.next.tokens == 0 && state.current.tokens <= lowWater
                    && start >= state.blockedUntil
                if prefetch { state.refilling = true }
                return .allowed(remaining: state.clusterRemaining + state.localTokens, prefetch: prefetch)
            }
            if start < state.blockedUntil { return .blocked(retryAfter: state.blockedUntil - start) }
            guard state.waiters.count < LeaseBook.maxWaiters else { return .overflow }
            let waiter = eventLoop.makePromise(of: RateLimitDecision.self)
            promise = waiter
            state.waiters.append(waiter)
            let refill = !state.refilling
            state.refilling = true
            return .wait(refill: refill)
        }
        switch step {
        case .allowed(let remaining, let prefetch):
            if prefetch { startRefill(lease, on: eventLoop) }
            let decision = leaseAllowed(remaining: remaining)
            metrics.record(decision)
            return eventLoop.makeSucceededFuture(decision)
        case .blocked(let retryAfter):
            let decision = leaseRejected(retryAfter: retryAfter)
            metrics.record(decision)
            return eventLoop.makeSucceededFuture(decision)
        case .overflow:
            return eventLoop.makeSucceededFuture(fallbackDecision(clientKey: nil, now: start))
        case .wait(let refill):
            guard let promise else {
                return eventLoop.makeSucceededFuture(fallbackDecision(clientKey: nil, now: start))
            }
            // The waiter's own timer keeps its wait within the operation timeout even across two refills.
            let timer = eventLoop.scheduleTask(in: .nanoseconds(timeout)) {
                promise.succeed(self.fallbackDecision(clientKey: nil, now: self.clock.nanoseconds()))
            }
            promise.futureResult.whenComplete { result in
                timer.cancel()
                if case .success(let decision) = result { self.finish(decision, start: start) }
            }
            if refill { startRefill(lease, on: eventLoop) }
            return promise.futureResult
        }
    }

    private func startRefill(_ lease: LeaseBook, on eventLoop: any EventLoop) {
        let sentAt = clock.nanoseconds()
        let permission = breakerPermission(now: sentAt)
        guard permission != .fallback, let endpointArguments else {
            let waiters = lease.state.withLock { state in
                state.refilling = false
                defer { state.waiters.removeAll() }
                return state.waiters
            }
            for waiter in waiters { waiter.succeed(fallbackDecision(clientKey: nil, now: sentAt)) }
            return
        }
        let batch = configuration.leaseTokens
        // Asking for at least half a batch keeps Redis traffic near one call per batch even when tokens are scarce.
        let minimum = max(batch / 2, 1)
        runScript(
            keys: [endpointKeyForLease],
            arguments: [String(batch), String(minimum), endpointArguments.interval, endpointArguments.tolerance],
            start: sentAt,
            on: eventLoop
        )
        .flatMapThrowing { value in try GCRAScript.Reply(value, bucketCount: 1) }
        .whenComplete { result in
            switch result {
            case .success(let reply):
                self.recordRedis(success: true, permission: permission)
                self.completeRefill(lease, reply: reply, sentAt: sentAt, on: eventLoop)
            case .failure(let error):
                self.recordRedis(success: false, permission: permission, error: error)
                let now = self.clock.nanoseconds()
                let waiters = lease.state.withLock { state in
                    state.refilling = false
                    defer { state.waiters.removeAll() }
                    return state.waiters
                }
                for waiter in waiters { waiter.succeed(self.fallbackDecision(clientKey: nil, now: now)) }
            }
        }
    }

    private func completeRefill(
        _ lease: LeaseBook,
        reply: GCRAScript.Reply,
        sentAt: Int64,
        on eventLoop: any EventLoop
    ) {
        let now = clock.nanoseconds()
        let leaseDuration = configuration.leaseDuration.nanosecondsClamped
        var served: [(EventLoopPromise<RateLimitDecision>, RateLimitDecision)] = []
        let again = lease.state.withLock { state -> Bool in
            state.refilling = false
            state.clusterRemaining = reply.buckets.first?.remaining ?? 0
            if reply.granted > 0 {
                let lot = LeaseBook.Lot(tokens: reply.granted, expiry: sentAt &+ leaseDuration)
                state.roll(now: now)
                if state.current.tokens == 0 { state.current = lot } else { state.next = lot }
            } else {
                state.blockedUntil = now &+ reply.retryMicroseconds * 1_000
            }
            while !state.waiters.isEmpty, state.take(now: now) {
                let waiter = state.waiters.removeFirst()
                served.append((waiter, leaseAllowed(remaining: state.clusterRemaining + state.localTokens)))
            }
            guard !state.waiters.isEmpty else { return false }
            if reply.granted == 0 {
                let rejection = leaseRejected(retryAfter: max(state.blockedUntil - now, 0))
                served += state.waiters.map { ($0, rejection) }
                state.waiters.removeAll()
                return false
            }
            state.refilling = true
            return true
        }
        for (waiter, decision) in served { waiter.succeed(decision) }
        if again { startRefill(lease, on: eventLoop) }
    }

    private var endpointKeyForLease: String { endpointKeyName }

    private func leaseAllowed(remaining: Int) -> RateLimitDecision {
        let limit = endpointLimit ?? BucketLimit(maxRate: 1, capacity: 1)
        return RateLimitDecision(
            outcome: .allowed,
            source: .cluster,
            limit: limit.quota,
            window: limit.every.nanosecondsClamped,
            remaining: remaining,
            resetAfter: limit.interval * Int64(max(limit.capacity - remaining, 0)),
            retryAfter: 0
        )
    }

    private func leaseRejected(retryAfter: Int64) -> RateLimitDecision {
        let limit = endpointLimit ?? BucketLimit(maxRate: 1, capacity: 1)
        return RateLimitDecision(
            outcome: .rejectedEndpoint,
            source: .cluster,
            limit: limit.quota,
            window: limit.every.nanosecondsClamped,
            remaining: 0,
            resetAfter: limit.tolerance,
            retryAfter: max(retryAfter, 1)
        )
    }
}
