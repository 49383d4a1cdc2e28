package dev.kiln.xgboost;

/** A numeric array read from a model file, typed or not. */
abstract class Nums {
    abstract int size();

    abstract float f(int i);

    abstract long l(int i);

    /** True when every element is an integer value. */
    abstract boolean integral();

    static final class F32 extends Nums {
        final float[] a;

        F32(float[] a) {
            this.a = a;
        }

        @Override
        int size() {
            return a.length;
        }

        @Override
        float f(int i) {
            return a[i];
        }

        @Override
        long l(int i) {
            float v = a[i];
            return (long) v;
        }

        @Override
        boolean integral() {
            for (float v : a) {
                if (v != Math.rint(v) || Float.isInfinite(v)) {
                    return false;
                }
            }
            return true;
        }
    }

    static final class F64 extends Nums {
        final double[] a;

        F64(double[] a) {
            this.a = a;
        }

        @Override
        int size() {
            return a.length;
        }

        @Override
        float f(int i) {
            return (float) a[i];
        }

        @Override
        long l(int i) {
            return (long) a[i];
        }

        @Override
        boolean integral() {
            for (double v : a) {
                if (v != Math.rint(v) || Double.isInfinite(v)) {
                    return false;
                }
            }
            return true;
        }
    }

    static final class I64 extends Nums {
        final long[] a;

        I64(long[] a) {
            this.a = a;
        }

        @Override
        int size() {
            return a.length;
        }

        @Override
        float f(int i) {
            return a[i];
        }

        @Override
        long l(int i) {
            return a[i];
        }

        @Override
        boolean integral() {
            return true;
        }
    }

    static final class I32 extends Nums {
        final int[] a;

        I32(int[] a) {
            this.a = a;
        }

        @Override
        int size() {
            return a.length;
        }

        @Override
        float f(int i) {
            return a[i];
        }

        @Override
        long l(int i) {
            return a[i];
        }

        @Override
        boolean integral() {
            return true;
        }
    }

    /** Bytes, signed or unsigned. */
    static final class I8 extends Nums {
        final byte[] a;
        final boolean unsigned;

        I8(byte[] a, boolean unsigned) {
            this.a = a;
            this.unsigned = unsigned;
        }

        @Override
        int size() {
            return a.length;
        }

        @Override
        float f(int i) {
            return l(i);
        }

        @Override
        long l(int i) {
            return unsigned ? a[i] & 0xff : a[i];
        }

        @Override
        boolean integral() {
            return true;
        }
    }
}
