// The time axis lives with the columns in MonitorNumerics; users of the
// monitor reach it through `import Monitoring`.
@_exported import struct MonitorNumerics.LocalTimestamp
// The results' field types that live in MonitorNumerics.
@_exported import struct MonitorNumerics.ConfidenceBuckets
@_exported import enum MonitorNumerics.Moments
