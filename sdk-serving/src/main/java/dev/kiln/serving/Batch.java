package dev.kiln.serving;

/**
 * Rows decoded from a request, row-major, in model order; NaN is a missing value.
 *
 * @param values {@code rows * width} values
 * @param rows the number of rows
 */
record Batch(float[] values, int rows) {
}
