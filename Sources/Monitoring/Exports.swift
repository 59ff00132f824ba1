// The time axis lives with the columns in MonitorNumerics; users of the
// monitor reach it through `import Monitoring`.
@_exported import struct MonitorNumerics.LocalTimestamp
