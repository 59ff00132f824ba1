// Column kernels compiled for AVX2 and chosen at run time.
//
// Swift compiles a module for one instruction set, baseline x86-64 (SSE2,
// two doubles a vector), and cannot mark one function for a wider one.
// These C functions carry their own target attribute, so one binary runs
// them where the CPU has AVX2 (four doubles a vector) and the portable
// Swift code elsewhere. MonitorNumerics holds that portable code too, and its tests
// check that both give the same bits.
#ifndef CCOLUMNKERNELS_H
#define CCOLUMNKERNELS_H

#include <stdint.h>

/// What one pass over a column finds besides its pairwise sum.
typedef struct {
    /// Counted: the values strictly below each (a NaN never is).
    double thresholds[8];
    /// How many of `thresholds` are used, 0...8 (a count outside is taken
    /// as the nearest of those).
    int32_t thresholdCount;
    /// Nonzero: count the values strictly above `aboveThreshold`.
    int32_t countAbove;
    double aboveThreshold;
    /// Nonzero: find the smallest and largest value (exact when no value is
    /// NaN; unspecified otherwise).
    int32_t findRange;
} driftlab_column_pass;

/// What one pass found.
typedef struct {
    /// numpy's `np.add.reduce` of the column, to the last bit (a NaN sum is
    /// some NaN: its sign and payload may differ from numpy's).
    double sum;
    int64_t below[8];
    int64_t above;
    double minimum;
    double maximum;
} driftlab_column_pass_result;

/// 1 when this CPU and operating system run the AVX2 kernels below, 0
/// otherwise (and on every other architecture): then use the Swift code.
int32_t driftlab_column_kernels_available(void);

/// One pass over `values[0 ..< count]`: the sum in numpy's pairwise order
/// (blocks of at most 128 values summed in eight lanes, combined by
/// recursive halving rounded down to a multiple of eight) and the counts and
/// range `pass` asks for. Call only when the kernels are available.
void driftlab_column_pass_avx2(const double *values, int64_t count,
                               const driftlab_column_pass *pass,
                               driftlab_column_pass_result *result);

/// Adds to `counts[c]` the number of codes equal to `c`, for every
/// `c < codeCount` (1...8); every code must be below `codeCount`. Call
/// only when the kernels are available.
void driftlab_count_codes_avx2(const uint32_t *codes, int64_t count,
                               int32_t codeCount, int64_t *counts);

#endif
