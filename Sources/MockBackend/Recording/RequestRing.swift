/// The most recent requests, oldest first, bounded so a long-running mock's memory stays flat.
struct RequestRing: Sendable {
    private var storage: [RecordedRequest] = []
    private var next = 0
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    mutating func append(_ request: RecordedRequest) {
        if self.storage.count < self.capacity {
            self.storage.append(request)
        } else {
            self.storage[self.next] = request
        }
        self.next = (self.next + 1) % self.capacity
    }

    mutating func removeAll() {
        self.storage.removeAll()
        self.next = 0
    }

    var elements: [RecordedRequest] {
        if self.storage.count < self.capacity {
            return self.storage
        }
        return Array(self.storage[self.next...] + self.storage[..<self.next])
    }
}
