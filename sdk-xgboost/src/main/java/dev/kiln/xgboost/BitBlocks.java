package dev.kiln.xgboost;

import java.util.Arrays;
import java.util.TreeMap;

/**
 * Batch scoring of 64 rows at a time, one bit per row. For a block of rows, every split of the
 * model becomes a 64-bit mask of the rows that take its first child: each row's value of a feature
 * is ranked once among that feature's sorted thresholds, and the masks of all thresholds follow by
 * a prefix OR over the ranks. A tree is then walked for all 64 rows at once with two AND per node
 * (the rows reaching each child), and the rows' leaf indices are read off the per-level "went to
 * the second child" masks eight rows at a time. A tree walk per row costs about 26 instructions
 * per level; here a whole tree costs a few instructions per row, and nothing depends on the data,
 * so nothing is mispredicted.
 *
 * <p>Uses the padded layout of {@link Compiled} (children of a default-left node swapped, so a
 * missing value always takes the second child) and adds the leaf values in tree order in float32,
 * so the margins are XGBoost's bits. Trees deeper than {@link #MAX_DEPTH} keep the per-row walk:
 * a leaf index must fit in a byte.
 */
final class BitBlocks {
    /** Rows per block: one bit each in a long. */
    static final int ROWS = 64;
    static final int MAX_DEPTH = 8;

    /** {@code SPREAD[b]} has bit i of {@code b} in the lowest bit of byte i. */
    private static final long[] SPREAD = new long[256];

    static {
        for (int b = 0; b < 256; b++) {
            long s = 0;
            for (int i = 0; i < 8; i++) {
                s |= (long) (b >>> i & 1) << (8 * i);
            }
            SPREAD[b] = s;
        }
    }

    private final int width;
    private final int depth;
    private final int internal;
    private final int leaves;
    private final int groups;
    private final int[] group;
    private final float[] leaf;
    /** Sorted distinct thresholds per feature, padded with +Inf to 2^k - 1 entries. */
    private final float[][] cuts;
    /** Per padded node: its mask slot (0 = every row takes the first child, for padding nodes). */
    private final int[] slotOf;
    /** The slots of feature f are {@code [featureSlots[f], featureSlots[f + 1])}, by threshold. */
    private final int[] featureSlots;
    /** Per slot: the index of its threshold in the feature's cuts. */
    private final int[] slotCut;
    /** Per slot: -1 when the first child is {@code x >= threshold} (default-left nodes), else 0. */
    private final long[] slotFlip;
    private final int maxCuts;

    private BitBlocks(Compiled c, float[][] cuts) {
        this.width = c.width;
        this.depth = c.depth;
        this.internal = c.internal;
        this.leaves = c.leaves;
        this.groups = c.model.groups;
        this.group = c.group;
        this.leaf = c.leaf;
        this.cuts = cuts;
        int most = 0;
        for (float[] a : cuts) {
            most = Math.max(most, a.length);
        }
        this.maxCuts = most;
        // a slot per distinct (feature, threshold, side); keys sort by feature, then threshold
        long[] keyOf = new long[c.feat.length];
        TreeMap<Long, Integer> slots = new TreeMap<>();
        for (int i = 0; i < keyOf.length; i++) {
            int f = c.feat[i];
            boolean defaultLeft = c.sign[i] < 0;
            float t = defaultLeft ? -Math.nextDown(c.thr[i]) : c.thr[i];
            int j = Arrays.binarySearch(cuts[f], t == 0f ? 0f : t);
            if (j < 0) {
                if (defaultLeft || t != Float.POSITIVE_INFINITY) {
                    throw new IllegalStateException("threshold " + t + " not among the cuts of feature " + f);
                }
                keyOf[i] = -1; // padding below a leaf: either child holds the same leaf value
                continue;
            }
            keyOf[i] = ((long) f << 32) | ((long) j << 1) | (defaultLeft ? 1 : 0);
            slots.put(keyOf[i], 0);
        }
        featureSlots = new int[width + 1];
        slotCut = new int[slots.size() + 1];
        slotFlip = new long[slots.size() + 1];
        int s = 1;
        int f = 0;
        featureSlots[0] = 1;
        for (var e : slots.entrySet()) {
            long key = e.getKey();
            int fe = (int) (key >>> 32);
            while (f < fe) {
                featureSlots[++f] = s;
            }
            slotCut[s] = (int) key >>> 1;
            slotFlip[s] = (key & 1) != 0 ? -1L : 0L;
            e.setValue(s++);
        }
        while (f < width) {
            featureSlots[++f] = s;
        }
        slotOf = new int[keyOf.length];
        for (int i = 0; i < keyOf.length; i++) {
            slotOf[i] = keyOf[i] < 0 ? 0 : slots.get(keyOf[i]);
        }
    }

    /** The bit-parallel form of a padded model, or null when its trees are too deep or it has no splits. */
    static BitBlocks of(Compiled c, float[][] cuts) {
        if (!c.padded() || c.depth < 1 || c.depth > MAX_DEPTH || cuts == null) {
            return null;
        }
        return new BitBlocks(c, cuts);
    }

    /** Features some split reads (the only ones ranked per block). */
    int featuresUsed() {
        int n = 0;
        for (int f = 0; f < width; f++) {
            n += featureSlots[f + 1] > featureSlots[f] ? 1 : 0;
        }
        return n;
    }

    /** Per-thread working memory for {@link #margins}. */
    final class Scratch {
        final long[] mask = new long[slotCut.length];
        final long[] ranks = new long[maxCuts + 2];
        final long[] reach = new long[2 << depth];
        final long[] second = new long[depth];
        /** The block's margins, row r's group g at {@code r * groups + g}. */
        final float[] acc = new float[ROWS * groups];
    }

    Scratch scratch() {
        return new Scratch();
    }

    /**
     * Margins of rows {@code [from, from + n)} ({@code n <= 64}) of a row-major batch over trees
     * {@code [t0, t1)}, starting from {@code base} (one per group), into {@code s.acc}. Values equal
     * to {@code missing} count as missing (pass NaN when only NaN is).
     */
    void margins(float[] data, int from, int n, float missing, int t0, int t1, float[] base, Scratch s) {
        masks(data, from, n, missing, s);
        final int g1 = groups;
        final float[] acc = s.acc;
        if (g1 == 1) {
            Arrays.fill(acc, base[0]);
        } else {
            for (int r = 0; r < ROWS; r++) {
                System.arraycopy(base, 0, acc, r * g1, g1);
            }
        }
        final long[] mask = s.mask;
        final long[] reach = s.reach;
        final long[] second = s.second;
        final int[] so = slotOf;
        final float[] lv = leaf;
        final int[] gr = group;
        final int d = depth;
        final int ni = internal;
        final long valid = n == ROWS ? -1L : (1L << n) - 1;
        final int lastLevel = (1 << (d - 1)) - 1;
        for (int t = t0; t < t1; t++) {
            int o = t * ni;
            reach[0] = valid;
            // levels above the last: split each node's rows between its children
            for (int k = 0; k < d - 1; k++) {
                int hi = (2 << k) - 1;
                long g = 0;
                for (int nd = (1 << k) - 1; nd < hi; nd++) {
                    long r = reach[nd];
                    long first = r & mask[so[o + nd]];
                    long other = r ^ first;
                    reach[2 * nd + 1] = first;
                    reach[2 * nd + 2] = other;
                    g |= other;
                }
                second[k] = g;
            }
            long g = 0;
            for (int nd = lastLevel; nd < ni; nd++) {
                g |= reach[nd] & ~mask[so[o + nd]];
            }
            second[d - 1] = g;
            addLeaves(second, t * leaves, gr[t], lv, acc);
        }
    }

    /** Adds each row's leaf of one tree: the leaf index is the row's path bits, first level highest. */
    private void addLeaves(long[] second, int lb, int g, float[] lv, float[] acc) {
        final int d = depth;
        final int g1 = groups;
        for (int by = 0; by < ROWS; by += 8) {
            long x8 = 0;
            for (int k = 0; k < d; k++) {
                x8 = (x8 << 1) | SPREAD[(int) (second[k] >>> by) & 0xff];
            }
            int a = by * g1 + g;
            acc[a] += lv[lb + (int) (x8 & 0xff)];
            acc[a + g1] += lv[lb + (int) (x8 >>> 8 & 0xff)];
            acc[a + 2 * g1] += lv[lb + (int) (x8 >>> 16 & 0xff)];
            acc[a + 3 * g1] += lv[lb + (int) (x8 >>> 24 & 0xff)];
            acc[a + 4 * g1] += lv[lb + (int) (x8 >>> 32 & 0xff)];
            acc[a + 5 * g1] += lv[lb + (int) (x8 >>> 40 & 0xff)];
            acc[a + 6 * g1] += lv[lb + (int) (x8 >>> 48 & 0xff)];
            acc[a + 7 * g1] += lv[lb + (int) (x8 >>> 56)];
        }
    }

    /**
     * Fills {@code s.mask} for a block: slot 0 with all rows, every other slot with the rows that
     * take the first child of its splits. A row's rank q among a feature's cuts is how many cuts are
     * {@code <= x}, so {@code x < cut[j]} iff {@code q <= j}; a missing value gets a rank past every
     * cut and is also kept aside, since default-left splits send it to their second child.
     */
    private void masks(float[] data, int from, int n, float missing, Scratch s) {
        final long[] mask = s.mask;
        final long[] q = s.ranks;
        final int w = width;
        mask[0] = -1L;
        for (int f = 0; f < w; f++) {
            int s0 = featureSlots[f];
            int s1 = featureSlots[f + 1];
            if (s0 == s1) {
                continue;
            }
            float[] a = cuts[f];
            int len = a.length;
            int nanRank = len + 1;
            Arrays.fill(q, 0, len + 2, 0L);
            int half = (len + 1) >>> 1;
            int r = 0;
            // eight rows in lock-step: eight independent binary searches in flight
            for (; r + 8 <= n; r += 8) {
                int at = (from + r) * w + f;
                float v0 = data[at];
                float v1 = data[at + w];
                float v2 = data[at + 2 * w];
                float v3 = data[at + 3 * w];
                float v4 = data[at + 4 * w];
                float v5 = data[at + 5 * w];
                float v6 = data[at + 6 * w];
                float v7 = data[at + 7 * w];
                int q0 = 0;
                int q1 = 0;
                int q2 = 0;
                int q3 = 0;
                int q4 = 0;
                int q5 = 0;
                int q6 = 0;
                int q7 = 0;
                for (int st = half; st > 0; st >>>= 1) {
                    q0 += a[q0 + st - 1] <= v0 ? st : 0;
                    q1 += a[q1 + st - 1] <= v1 ? st : 0;
                    q2 += a[q2 + st - 1] <= v2 ? st : 0;
                    q3 += a[q3 + st - 1] <= v3 ? st : 0;
                    q4 += a[q4 + st - 1] <= v4 ? st : 0;
                    q5 += a[q5 + st - 1] <= v5 ? st : 0;
                    q6 += a[q6 + st - 1] <= v6 ? st : 0;
                    q7 += a[q7 + st - 1] <= v7 ? st : 0;
                }
                long bit = 1L << r;
                q[v0 != v0 || v0 == missing ? nanRank : q0] |= bit;
                q[v1 != v1 || v1 == missing ? nanRank : q1] |= bit << 1;
                q[v2 != v2 || v2 == missing ? nanRank : q2] |= bit << 2;
                q[v3 != v3 || v3 == missing ? nanRank : q3] |= bit << 3;
                q[v4 != v4 || v4 == missing ? nanRank : q4] |= bit << 4;
                q[v5 != v5 || v5 == missing ? nanRank : q5] |= bit << 5;
                q[v6 != v6 || v6 == missing ? nanRank : q6] |= bit << 6;
                q[v7 != v7 || v7 == missing ? nanRank : q7] |= bit << 7;
            }
            for (; r < n; r++) {
                float v = data[(from + r) * w + f];
                int qr = 0;
                for (int st = half; st > 0; st >>>= 1) {
                    qr += a[qr + st - 1] <= v ? st : 0;
                }
                q[v != v || v == missing ? nanRank : qr] |= 1L << r;
            }
            long nan = q[nanRank];
            long m = 0;
            for (int j = 0; j < len; j++) {
                m |= q[j];
                q[j] = m;
            }
            // first child: x < cut (default right), or x >= cut and not missing (default left, swapped)
            for (int sl = s0; sl < s1; sl++) {
                long flip = slotFlip[sl];
                mask[sl] = (q[slotCut[sl]] | (nan & flip)) ^ flip;
            }
        }
    }
}
