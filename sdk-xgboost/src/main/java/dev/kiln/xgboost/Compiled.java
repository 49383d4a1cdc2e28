package dev.kiln.xgboost;

/**
 * A model compiled for scoring. Every numeric-only tree is laid out as a complete binary tree of
 * the model's maximum depth: node {@code i} has children {@code 2i+1} and {@code 2i+2}, a row
 * takes exactly {@code depth} steps, each one compare and no data-dependent branch. A node whose
 * missing values go left has its children swapped and compares the negated value against the
 * next float above the negated threshold, so NaN (which fails every compare) lands on its default
 * side. Models with categorical splits, or too deep to pad, keep the tree walk of {@link Tree}.
 *
 * <p>Larger models (and small ones where it pays) use a compact form of the same layout: a row's
 * value of feature f is first replaced by its rank among the model's sorted thresholds of f
 * (branch-free binary search), so that {@code x < t_j} becomes {@code rank <= j}; a node is then a
 * single int (rank index, key) and eight trees are walked in lock-step. Both forms add the leaf
 * values in tree order in float32, so margins are the same bits as XGBoost's.
 *
 * <p>Batches of models with trees up to depth 8 are scored 64 rows at a time by {@link BitBlocks},
 * built on the padded layout.
 */
final class Compiled {
    /** Padded layouts larger than this many leaves in total fall back to tree walks. */
    static final long MAX_PADDED_LEAVES = 1L << 22;
    static final int MAX_PADDED_DEPTH = 14;

    final XgbModel model;
    final int numTrees;
    final int[] group;
    /** Leaf values per tree times the DART weight, indexed by original node id. */
    final float[][] leafValue;

    // padded layout (null when not used)
    final int depth;
    final int internal;
    final int leaves;
    final int[] feat;
    final float[] thr;
    final float[] sign;
    final float[] leaf;

    // rank layout for large models (null when not used): a row's value of feature f becomes its rank
    // among the model's sorted thresholds of f (cuts[f]), and each node is one int: the index into
    // the ranks (f, or width + f for negated ranks) in the upper 16 bits and the key in the lower 16.
    final float[][] cuts;
    final int[] rankNode;
    final int width;
    final ThreadLocal<int[]> ranks;
    /** Whether batches use the rank layout (only for large models: blocks of rows reuse the float layout well). */
    final boolean batchRank;
    /** Bit-parallel batch scoring of 64-row blocks (null when not used). */
    final BitBlocks bits;

    /**
     * Which scoring layout to use; AUTO picks by model shape and size. BITS scores single rows like
     * FLOAT and batches with {@link BitBlocks} wherever the trees allow it.
     */
    enum Kernel { AUTO, WALK, FLOAT, RANK, BITS }

    Compiled(XgbModel model) {
        this(model, Kernel.AUTO);
    }

    Compiled(XgbModel model, Kernel kernel) {
        this.model = model;
        this.numTrees = model.trees.length;
        this.group = model.treeInfo;
        this.leafValue = new float[numTrees][];
        for (int t = 0; t < numTrees; t++) {
            Tree tree = model.trees[t];
            float w = model.weights == null ? 1f : model.weights[t];
            float[] v = new float[tree.numNodes];
            for (int n = 0; n < tree.numNodes; n++) {
                v[n] = tree.cond[n] * w;
            }
            leafValue[t] = v;
        }
        boolean pad = kernel != Kernel.WALK && !model.hasCategorical && model.maxDepth <= MAX_PADDED_DEPTH
                && ((long) numTrees << model.maxDepth) <= MAX_PADDED_LEAVES && paddable(model);
        this.width = model.numFeature;
        if (!pad) {
            cuts = null;
            rankNode = null;
            ranks = null;
            batchRank = false;
            bits = null;
            depth = -1;
            internal = 0;
            leaves = 0;
            feat = null;
            thr = null;
            sign = null;
            leaf = null;
            return;
        }
        depth = model.maxDepth;
        internal = (1 << depth) - 1;
        leaves = 1 << depth;
        feat = new int[numTrees * internal];
        thr = new float[numTrees * internal];
        sign = new float[numTrees * internal];
        leaf = new float[numTrees * leaves];
        java.util.Arrays.fill(sign, 1f);
        java.util.Arrays.fill(thr, Float.POSITIVE_INFINITY);
        for (int t = 0; t < numTrees; t++) {
            layout(model.trees[t], leafValue[t], t, 0, 0, 0);
        }
        long footprint = (long) numTrees * internal * 12 + (long) numTrees * leaves * 4;
        float[][] c = kernel == Kernel.RANK || kernel == Kernel.AUTO || kernel == Kernel.BITS ? rankCuts(model) : null;
        BitBlocks b = kernel == Kernel.AUTO || kernel == Kernel.BITS ? BitBlocks.of(this, c) : null;
        // ranking a block's values costs about as much per used feature as walking eight levels of trees
        bits = kernel == Kernel.BITS || b != null && (long) numTrees * depth >= 8L * b.featuresUsed() ? b : null;
        if (kernel == Kernel.BITS) {
            c = null;
        }
        if (c != null && kernel == Kernel.AUTO && footprint <= RANK_ABOVE_BYTES) {
            // small model: ranks pay off only when ranking the row costs well under the tree walks
            long rankSteps = 0;
            for (float[] cut : c) {
                rankSteps += 32 - Integer.numberOfLeadingZeros(cut.length);
            }
            if (rankSteps * 2 >= (long) numTrees * depth) {
                c = null;
            }
        }
        if (c == null) {
            cuts = null;
            rankNode = null;
            ranks = null;
            batchRank = false;
        } else {
            cuts = c;
            rankNode = rankNodes(c);
            ranks = ThreadLocal.withInitial(() -> new int[2 * width]);
            batchRank = kernel == Kernel.RANK || footprint > RANK_ABOVE_BYTES;
        }
    }

    /** Models whose float layout is larger than this use the (half as large) rank layout. */
    static final long RANK_ABOVE_BYTES = 384 * 1024;

    /** Sorted distinct thresholds per feature, padded with +Inf to 2^k - 1; null if too many for 16-bit keys. */
    private static float[][] rankCuts(XgbModel model) {
        int f = model.numFeature;
        if (2L * f > 0xffff) {
            return null;
        }
        java.util.TreeSet<Float>[] sets = newSets(f);
        for (Tree tree : model.trees) {
            for (int n = 0; n < tree.numNodes; n++) {
                if (tree.left[n] >= 0) {
                    // -0.0 and 0.0 compare equal: keep one of them
                    sets[tree.feature[n]].add(tree.cond[n] == 0f ? 0f : tree.cond[n]);
                }
            }
        }
        float[][] cuts = new float[f][];
        for (int i = 0; i < f; i++) {
            int b = sets[i].size();
            if (b > 32000) {
                return null;
            }
            int p = 1;
            while (p < b + 1) {
                p <<= 1;
            }
            float[] c = new float[p - 1];
            java.util.Arrays.fill(c, Float.POSITIVE_INFINITY);
            int k = 0;
            for (float v : sets[i]) {
                c[k++] = v;
            }
            cuts[i] = c;
        }
        return cuts;
    }

    @SuppressWarnings("unchecked")
    private static java.util.TreeSet<Float>[] newSets(int f) {
        java.util.TreeSet<Float>[] sets = new java.util.TreeSet[f];
        for (int i = 0; i < f; i++) {
            sets[i] = new java.util.TreeSet<>();
        }
        return sets;
    }

    /** Re-expresses every padded node as a rank compare. */
    private int[] rankNodes(float[][] c) {
        int[] out = new int[feat.length];
        for (int i = 0; i < feat.length; i++) {
            int fe = feat[i];
            boolean defaultLeft = sign[i] < 0;
            float t = defaultLeft ? -Math.nextDown(thr[i]) : thr[i];
            int idx;
            int key;
            if (!defaultLeft && t == Float.POSITIVE_INFINITY) {
                idx = fe; // padding below a leaf: either side holds the same leaf value
                key = 0;
            } else {
                int j = java.util.Arrays.binarySearch(c[fe], t == 0f ? 0f : t);
                if (j < 0) {
                    throw new IllegalStateException("threshold not among the cuts");
                }
                // default right: first (left) iff x < t_j iff rank(x) <= j iff rank < j + 1; missing rank = MAX
                // default left (swapped): first (right) iff rank(x) > j iff -rank < -j; missing -rank = MAX
                idx = defaultLeft ? width + fe : fe;
                key = defaultLeft ? -j : j + 1;
            }
            out[i] = (idx << 16) | (key & 0xffff);
        }
        return out;
    }

    /** Fills {@code q} with each feature's rank (and negated rank), missing as {@code Short.MAX_VALUE}. */
    void rank(float[] x, int[] q) {
        final float[][] cu = cuts;
        final int w = width;
        for (int f = 0; f < w; f++) {
            float v = x[f];
            float[] a = cu[f];
            int r = 0;
            for (int s = (a.length + 1) >>> 1; s > 0; s >>>= 1) {
                r += a[r + s - 1] <= v ? s : 0;
            }
            boolean nan = v != v;
            q[f] = nan ? Short.MAX_VALUE : r;
            q[w + f] = nan ? Short.MAX_VALUE : -r;
        }
    }

    private static boolean paddable(XgbModel model) {
        for (Tree tree : model.trees) {
            for (int n = 0; n < tree.numNodes; n++) {
                if (tree.left[n] >= 0) {
                    float c = tree.cond[n];
                    if (c != c || c == Float.NEGATIVE_INFINITY) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** Places original node {@code n} at padded position {@code pos} (level {@code level}). */
    private void layout(Tree tree, float[] values, int t, int n, int pos, int level) {
        if (level == depth) {
            leaf[t * leaves + pos - internal] = values[n];
            return;
        }
        if (tree.isLeaf(n)) {
            // every padded leaf below this position gets the leaf value
            int first = pos;
            int count = 1;
            for (int l = level; l < depth; l++) {
                first = 2 * first + 1;
                count <<= 1;
            }
            int base = t * leaves + first - internal;
            java.util.Arrays.fill(leaf, base, base + count, values[n]);
            return;
        }
        int at = t * internal + pos;
        feat[at] = tree.feature[n];
        int first;
        int second;
        if (tree.defaultLeft[n]) {
            sign[at] = -1f;
            thr[at] = Math.nextUp(-tree.cond[n]);
            first = tree.right[n];
            second = tree.left[n];
        } else {
            sign[at] = 1f;
            thr[at] = tree.cond[n];
            first = tree.left[n];
            second = tree.right[n];
        }
        layout(tree, values, t, first, 2 * pos + 1, level + 1);
        layout(tree, values, t, second, 2 * pos + 2, level + 1);
    }

    boolean padded() {
        return feat != null;
    }

    /** Margin of a single-group model over trees [t0, t1); missing values in {@code x} are NaN. */
    float margin1(float[] x, int t0, int t1, float acc) {
        if (feat == null) {
            Tree[] trees = model.trees;
            for (int t = t0; t < t1; t++) {
                acc += leafValue[t][trees[t].leaf(x)];
            }
            return acc;
        }
        if (rankNode != null) {
            int[] q = ranks.get();
            rank(x, q);
            return rank1(q, t0, t1, acc);
        }
        final int d = depth;
        final int ni = internal;
        final int nl = leaves;
        final int[] f = feat;
        final float[] th = thr;
        final float[] sg = sign;
        final float[] lv = leaf;
        int t = t0;
        for (; t + 4 <= t1; t += 4) {
            int o0 = t * ni;
            int o1 = o0 + ni;
            int o2 = o1 + ni;
            int o3 = o2 + ni;
            int i0 = 0;
            int i1 = 0;
            int i2 = 0;
            int i3 = 0;
            for (int k = 0; k < d; k++) {
                int n0 = o0 + i0;
                int n1 = o1 + i1;
                int n2 = o2 + i2;
                int n3 = o3 + i3;
                i0 = 2 * i0 + (x[f[n0]] * sg[n0] < th[n0] ? 1 : 2);
                i1 = 2 * i1 + (x[f[n1]] * sg[n1] < th[n1] ? 1 : 2);
                i2 = 2 * i2 + (x[f[n2]] * sg[n2] < th[n2] ? 1 : 2);
                i3 = 2 * i3 + (x[f[n3]] * sg[n3] < th[n3] ? 1 : 2);
            }
            int b = t * nl - ni;
            acc += lv[b + i0];
            acc += lv[b + nl + i1];
            acc += lv[b + 2 * nl + i2];
            acc += lv[b + 3 * nl + i3];
        }
        for (; t < t1; t++) {
            int o = t * ni;
            int i = 0;
            for (int k = 0; k < d; k++) {
                int n = o + i;
                i = 2 * i + (x[f[n]] * sg[n] < th[n] ? 1 : 2);
            }
            acc += lv[t * nl - ni + i];
        }
        return acc;
    }

    /** Adds the trees [t0, t1) into {@code out[off + group]} (which holds the base margins). */
    void marginN(float[] x, int t0, int t1, float[] out, int off) {
        final int[] g = group;
        if (feat == null) {
            Tree[] trees = model.trees;
            for (int t = t0; t < t1; t++) {
                out[off + g[t]] += leafValue[t][trees[t].leaf(x)];
            }
            return;
        }
        if (rankNode != null) {
            int[] q = ranks.get();
            rank(x, q);
            rankN(q, t0, t1, out, off);
            return;
        }
        final int d = depth;
        final int ni = internal;
        final int nl = leaves;
        final int[] f = feat;
        final float[] th = thr;
        final float[] sg = sign;
        final float[] lv = leaf;
        int t = t0;
        for (; t + 4 <= t1; t += 4) {
            int o0 = t * ni;
            int o1 = o0 + ni;
            int o2 = o1 + ni;
            int o3 = o2 + ni;
            int i0 = 0;
            int i1 = 0;
            int i2 = 0;
            int i3 = 0;
            for (int k = 0; k < d; k++) {
                int n0 = o0 + i0;
                int n1 = o1 + i1;
                int n2 = o2 + i2;
                int n3 = o3 + i3;
                i0 = 2 * i0 + (x[f[n0]] * sg[n0] < th[n0] ? 1 : 2);
                i1 = 2 * i1 + (x[f[n1]] * sg[n1] < th[n1] ? 1 : 2);
                i2 = 2 * i2 + (x[f[n2]] * sg[n2] < th[n2] ? 1 : 2);
                i3 = 2 * i3 + (x[f[n3]] * sg[n3] < th[n3] ? 1 : 2);
            }
            int b = t * nl - ni;
            out[off + g[t]] += lv[b + i0];
            out[off + g[t + 1]] += lv[b + nl + i1];
            out[off + g[t + 2]] += lv[b + 2 * nl + i2];
            out[off + g[t + 3]] += lv[b + 3 * nl + i3];
        }
        for (; t < t1; t++) {
            int o = t * ni;
            int i = 0;
            for (int k = 0; k < d; k++) {
                int n = o + i;
                i = 2 * i + (x[f[n]] * sg[n] < th[n] ? 1 : 2);
            }
            out[off + g[t]] += lv[t * nl - ni + i];
        }
    }

    private float rank1(int[] q, int t0, int t1, float acc) {
        final int d = depth;
        final int ni = internal;
        final int nl = leaves;
        final int[] nd = rankNode;
        final float[] lv = leaf;
        int t = t0;
        for (; t + 8 <= t1; t += 8) {
            int o0 = t * ni;
            int o1 = o0 + ni;
            int o2 = o1 + ni;
            int o3 = o2 + ni;
            int o4 = o3 + ni;
            int o5 = o4 + ni;
            int o6 = o5 + ni;
            int o7 = o6 + ni;
            int i0 = 0;
            int i1 = 0;
            int i2 = 0;
            int i3 = 0;
            int i4 = 0;
            int i5 = 0;
            int i6 = 0;
            int i7 = 0;
            for (int k = 0; k < d; k++) {
                int a0 = nd[o0 + i0];
                int a1 = nd[o1 + i1];
                int a2 = nd[o2 + i2];
                int a3 = nd[o3 + i3];
                int a4 = nd[o4 + i4];
                int a5 = nd[o5 + i5];
                int a6 = nd[o6 + i6];
                int a7 = nd[o7 + i7];
                i0 = 2 * i0 + (q[a0 >>> 16] < (short) a0 ? 1 : 2);
                i1 = 2 * i1 + (q[a1 >>> 16] < (short) a1 ? 1 : 2);
                i2 = 2 * i2 + (q[a2 >>> 16] < (short) a2 ? 1 : 2);
                i3 = 2 * i3 + (q[a3 >>> 16] < (short) a3 ? 1 : 2);
                i4 = 2 * i4 + (q[a4 >>> 16] < (short) a4 ? 1 : 2);
                i5 = 2 * i5 + (q[a5 >>> 16] < (short) a5 ? 1 : 2);
                i6 = 2 * i6 + (q[a6 >>> 16] < (short) a6 ? 1 : 2);
                i7 = 2 * i7 + (q[a7 >>> 16] < (short) a7 ? 1 : 2);
            }
            int b = t * nl - ni;
            acc += lv[b + i0];
            acc += lv[b + nl + i1];
            acc += lv[b + 2 * nl + i2];
            acc += lv[b + 3 * nl + i3];
            acc += lv[b + 4 * nl + i4];
            acc += lv[b + 5 * nl + i5];
            acc += lv[b + 6 * nl + i6];
            acc += lv[b + 7 * nl + i7];
        }
        for (; t < t1; t++) {
            int o = t * ni;
            int i = 0;
            for (int k = 0; k < d; k++) {
                int a = nd[o + i];
                i = 2 * i + (q[a >>> 16] < (short) a ? 1 : 2);
            }
            acc += lv[t * nl - ni + i];
        }
        return acc;
    }

    private void rankN(int[] q, int t0, int t1, float[] out, int off) {
        final int d = depth;
        final int ni = internal;
        final int nl = leaves;
        final int[] nd = rankNode;
        final float[] lv = leaf;
        final int[] g = group;
        int t = t0;
        for (; t + 4 <= t1; t += 4) {
            int o0 = t * ni;
            int o1 = o0 + ni;
            int o2 = o1 + ni;
            int o3 = o2 + ni;
            int i0 = 0;
            int i1 = 0;
            int i2 = 0;
            int i3 = 0;
            for (int k = 0; k < d; k++) {
                int a0 = nd[o0 + i0];
                int a1 = nd[o1 + i1];
                int a2 = nd[o2 + i2];
                int a3 = nd[o3 + i3];
                i0 = 2 * i0 + (q[a0 >>> 16] < (short) a0 ? 1 : 2);
                i1 = 2 * i1 + (q[a1 >>> 16] < (short) a1 ? 1 : 2);
                i2 = 2 * i2 + (q[a2 >>> 16] < (short) a2 ? 1 : 2);
                i3 = 2 * i3 + (q[a3 >>> 16] < (short) a3 ? 1 : 2);
            }
            int b = t * nl - ni;
            out[off + g[t]] += lv[b + i0];
            out[off + g[t + 1]] += lv[b + nl + i1];
            out[off + g[t + 2]] += lv[b + 2 * nl + i2];
            out[off + g[t + 3]] += lv[b + 3 * nl + i3];
        }
        for (; t < t1; t++) {
            int o = t * ni;
            int i = 0;
            for (int k = 0; k < d; k++) {
                int a = nd[o + i];
                i = 2 * i + (q[a >>> 16] < (short) a ? 1 : 2);
            }
            out[off + g[t]] += lv[t * nl - ni + i];
        }
    }

    /** Rows scored together by {@link #block1}. */
    static final int BLOCK = 8;

    /** Whether {@link #block1} applies (a padded layout). */
    boolean blocked() {
        return feat != null;
    }

    /**
     * Margins of {@code BLOCK} rows of a single-group model, tree by tree (each row still adds its
     * leaves in tree order). {@code xs} holds the rows (missing as NaN), {@code BLOCK * width} values;
     * {@code qs} is scratch of {@code BLOCK * 2 * width} ints; margins go to {@code out[at..at+BLOCK)}.
     */
    void block1(float[] xs, int[] qs, int t0, int t1, float base, float[] out, int at) {
        final int d = depth;
        final int ni = internal;
        final int nl = leaves;
        final float[] lv = leaf;
        final int w = width;
        float a0 = base;
        float a1 = base;
        float a2 = base;
        float a3 = base;
        float a4 = base;
        float a5 = base;
        float a6 = base;
        float a7 = base;
        if (batchRank) {
            final int w2 = 2 * w;
            for (int b = 0; b < BLOCK; b++) {
                rankInto(xs, b * w, qs, b * w2);
            }
            final int[] nd = rankNode;
            for (int t = t0; t < t1; t++) {
                int o = t * ni;
                int i0 = 0;
                int i1 = 0;
                int i2 = 0;
                int i3 = 0;
                int i4 = 0;
                int i5 = 0;
                int i6 = 0;
                int i7 = 0;
                for (int k = 0; k < d; k++) {
                    int n0 = nd[o + i0];
                    int n1 = nd[o + i1];
                    int n2 = nd[o + i2];
                    int n3 = nd[o + i3];
                    int n4 = nd[o + i4];
                    int n5 = nd[o + i5];
                    int n6 = nd[o + i6];
                    int n7 = nd[o + i7];
                    i0 = 2 * i0 + (qs[(n0 >>> 16)] < (short) n0 ? 1 : 2);
                    i1 = 2 * i1 + (qs[w2 + (n1 >>> 16)] < (short) n1 ? 1 : 2);
                    i2 = 2 * i2 + (qs[2 * w2 + (n2 >>> 16)] < (short) n2 ? 1 : 2);
                    i3 = 2 * i3 + (qs[3 * w2 + (n3 >>> 16)] < (short) n3 ? 1 : 2);
                    i4 = 2 * i4 + (qs[4 * w2 + (n4 >>> 16)] < (short) n4 ? 1 : 2);
                    i5 = 2 * i5 + (qs[5 * w2 + (n5 >>> 16)] < (short) n5 ? 1 : 2);
                    i6 = 2 * i6 + (qs[6 * w2 + (n6 >>> 16)] < (short) n6 ? 1 : 2);
                    i7 = 2 * i7 + (qs[7 * w2 + (n7 >>> 16)] < (short) n7 ? 1 : 2);
                }
                int lb = t * nl - ni;
                a0 += lv[lb + i0];
                a1 += lv[lb + i1];
                a2 += lv[lb + i2];
                a3 += lv[lb + i3];
                a4 += lv[lb + i4];
                a5 += lv[lb + i5];
                a6 += lv[lb + i6];
                a7 += lv[lb + i7];
            }
        } else {
            final int[] f = feat;
            final float[] th = thr;
            final float[] sg = sign;
            for (int t = t0; t < t1; t++) {
                int o = t * ni;
                int i0 = 0;
                int i1 = 0;
                int i2 = 0;
                int i3 = 0;
                int i4 = 0;
                int i5 = 0;
                int i6 = 0;
                int i7 = 0;
                for (int k = 0; k < d; k++) {
                    int n0 = o + i0;
                    int n1 = o + i1;
                    int n2 = o + i2;
                    int n3 = o + i3;
                    int n4 = o + i4;
                    int n5 = o + i5;
                    int n6 = o + i6;
                    int n7 = o + i7;
                    i0 = 2 * i0 + (xs[f[n0]] * sg[n0] < th[n0] ? 1 : 2);
                    i1 = 2 * i1 + (xs[w + f[n1]] * sg[n1] < th[n1] ? 1 : 2);
                    i2 = 2 * i2 + (xs[2 * w + f[n2]] * sg[n2] < th[n2] ? 1 : 2);
                    i3 = 2 * i3 + (xs[3 * w + f[n3]] * sg[n3] < th[n3] ? 1 : 2);
                    i4 = 2 * i4 + (xs[4 * w + f[n4]] * sg[n4] < th[n4] ? 1 : 2);
                    i5 = 2 * i5 + (xs[5 * w + f[n5]] * sg[n5] < th[n5] ? 1 : 2);
                    i6 = 2 * i6 + (xs[6 * w + f[n6]] * sg[n6] < th[n6] ? 1 : 2);
                    i7 = 2 * i7 + (xs[7 * w + f[n7]] * sg[n7] < th[n7] ? 1 : 2);
                }
                int lb = t * nl - ni;
                a0 += lv[lb + i0];
                a1 += lv[lb + i1];
                a2 += lv[lb + i2];
                a3 += lv[lb + i3];
                a4 += lv[lb + i4];
                a5 += lv[lb + i5];
                a6 += lv[lb + i6];
                a7 += lv[lb + i7];
            }
        }
        out[at] = a0;
        out[at + 1] = a1;
        out[at + 2] = a2;
        out[at + 3] = a3;
        out[at + 4] = a4;
        out[at + 5] = a5;
        out[at + 6] = a6;
        out[at + 7] = a7;
    }

    /** {@link #rank} for the row at {@code x[from..]} into {@code q[to..]}. */
    private void rankInto(float[] x, int from, int[] q, int to) {
        final float[][] cu = cuts;
        final int w = width;
        for (int f = 0; f < w; f++) {
            float v = x[from + f];
            float[] a = cu[f];
            int r = 0;
            for (int s = (a.length + 1) >>> 1; s > 0; s >>>= 1) {
                r += a[r + s - 1] <= v ? s : 0;
            }
            boolean nan = v != v;
            q[to + f] = nan ? Short.MAX_VALUE : r;
            q[to + w + f] = nan ? Short.MAX_VALUE : -r;
        }
    }
}
