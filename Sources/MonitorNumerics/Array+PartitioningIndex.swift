extension Array {
    /// The first index whose element satisfies `predicate`, for a predicate
    /// that is false and then true along the array (binary search, as
    /// swift-algorithms' `partitioningIndex(where:)`).
    ///
    /// - Complexity: O(log n).
    @inlinable
    public func partitioningIndex(where predicate: (Element) throws -> Bool) rethrows -> Int {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if try predicate(self[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
