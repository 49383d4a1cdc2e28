/**
 * Helpers shared by Kiln's own modules. Not API: anything here may change or go away in any
 * release; applications must not use it.
 */
package dev.kiln.internal;
