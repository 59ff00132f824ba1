/// The processing-time percentiles of a metrics snapshot, numpy's
/// `np.percentile(times, q)` with its default 'linear' method, in seconds.
///
/// Its `Codable` form is the reference's `response_time_percentiles`
/// object, `{"p50": …, "p90": …, "p95": …, "p99": …}`.
public struct Percentiles: Sendable, Hashable, Codable {
    public var p50: Double
    public var p90: Double
    public var p95: Double
    public var p99: Double

    public init(p50: Double, p90: Double, p95: Double, p99: Double) {
        self.p50 = p50
        self.p90 = p90
        self.p95 = p95
        self.p99 = p99
    }

    /// The percentiles computed, in field order.
    public static let ranks: [Double] = [50, 90, 95, 99]

    /// The percentiles from values at ``ranks``, in order.
    ///
    /// - Precondition: `values` holds four values.
    init(ranked values: [Double]) {
        precondition(values.count == 4, "four percentiles, p50 to p99")
        self.init(p50: values[0], p90: values[1], p95: values[2], p99: values[3])
    }
}
