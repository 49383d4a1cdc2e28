package dev.kiln.xgboost;

/**
 * A model compiled for scoring. Every numeric-only tree is laid out as a complete binary tree of
 * the model's maximum depth: node {@code i} has children {@code 2i+1} and {@code 2i+2}, a row
 * takes exactly {@code depth} steps, each one compare and no data-dependent branch. A node whose
 * missing values go left has its children swapped and compares the negated value against the
 * next float above the negated threshold, so NaN (which fails every compare) lands on its default
 * side. Models with categorical splits, or too deep to pad, keep the tree walk of {@link Tree}.
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

    Compiled(XgbModel model) {
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
        boolean pad = !model.hasCategorical && model.maxDepth <= MAX_PADDED_DEPTH
                && ((long) numTrees << model.maxDepth) <= MAX_PADDED_LEAVES && paddable(model);
        if (!pad) {
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
}
