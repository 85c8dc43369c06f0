/// One window's admitted requests per sub-window, for the in-process limiter: only sub-windows that admitted
/// something and that the window still covers or is leaving, oldest first, so at most
/// `SlidingWindowCounter.subWindowsPerWindow + 1` entries, and one for a client that is seldom seen.
struct SubWindowLog {
    private var indices: [Int] = []
    private var counts: [Int] = []

    /// The counter at sub-window `index`, after forgetting the sub-windows the window has left.
    mutating func counter(at index: Int, elapsed: Int, subWindowLength: Int) -> SlidingWindowCounter {
        let leavingIndex = index &- SlidingWindowCounter.subWindowsPerWindow
        if let firstKept = indices.firstIndex(where: { $0 >= leavingIndex }) {
            indices.removeFirst(firstKept)
            counts.removeFirst(firstKept)
        } else {
            indices.removeAll(keepingCapacity: true)
            counts.removeAll(keepingCapacity: true)
        }
        var leaving = 0, inWindow = 0
        for (subWindow, count) in zip(indices, counts) {
            if subWindow == leavingIndex { leaving = count } else { inWindow &+= count }
        }
        return SlidingWindowCounter(leaving: leaving, inWindow: inWindow, elapsed: elapsed, subWindowLength: subWindowLength)
    }

    /// The counts of the sub-windows the window covers in full at sub-window `index`, oldest first; call after
    /// `counter(at:)` for the same index.
    func covered(at index: Int) -> [Int] {
        let first = index &- SlidingWindowCounter.subWindowsPerWindow &+ 1
        var covered = Array(repeating: 0, count: SlidingWindowCounter.subWindowsPerWindow)
        for (subWindow, count) in zip(indices, counts) where subWindow >= first && subWindow <= index {
            covered[subWindow - first] = count
        }
        return covered
    }

    /// Counts one admitted request in sub-window `index`. A clock that went back counts it in the newest
    /// sub-window seen, which keeps it in the window a little longer rather than forgetting it early.
    mutating func count(at index: Int) {
        if let newest = indices.last, index <= newest {
            counts[counts.count - 1] &+= 1
        } else {
            indices.append(index)
            counts.append(1)
        }
    }
}
