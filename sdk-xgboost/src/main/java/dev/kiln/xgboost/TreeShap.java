package dev.kiln.xgboost;

/**
 * Exact per-feature contributions (TreeSHAP, Lundberg et al. 2018, "Consistent Individualized
 * Feature Attribution for Tree Ensembles", algorithm 2), in float like XGBoost's pred_contribs.
 */
final class TreeShap {
    /** Deeper trees are refused (the recursion follows the tree). */
    static final int MAX_DEPTH = 512;

    private TreeShap() {
    }

    /** One element of the path of features from the root. */
    private static final class Path {
        final int[] feature;
        final float[] zero;
        final float[] one;
        final float[] weight;

        Path(int size) {
            feature = new int[size];
            zero = new float[size];
            one = new float[size];
            weight = new float[size];
        }

        void copy(int from, int to, int count) {
            System.arraycopy(feature, from, feature, to, count);
            System.arraycopy(zero, from, zero, to, count);
            System.arraycopy(one, from, one, to, count);
            System.arraycopy(weight, from, weight, to, count);
        }
    }

    static float[] contributions(XgbModel m, float[] x, int t0, int t1) {
        int width = m.numFeature + 1;
        float[] out = new float[m.groups * width];
        float[] tmp = new float[width];
        for (int t = t0; t < t1; t++) {
            Tree tree = m.trees[t];
            if (tree.cover == null) {
                throw XgbPredictor.noCover();
            }
            if (tree.depth > MAX_DEPTH) {
                throw new dev.kiln.UnsupportedFeatureException("Tree " + t + " is " + tree.depth
                        + " levels deep; contributions are computed for trees up to " + MAX_DEPTH + " levels.");
            }
            java.util.Arrays.fill(tmp, 0f);
            float[] mean = meanValues(tree);
            tmp[m.numFeature] += mean[0];
            int maxd = tree.depth + 2;
            Path path = new Path(maxd * (maxd + 1) / 2 + maxd + 1);
            shap(tree, x, tmp, 0, 0, path, 0, 1f, 1f, -1);
            float w = m.weights == null ? 1f : m.weights[t];
            int off = m.treeInfo[t] * width;
            for (int i = 0; i < width; i++) {
                out[off + i] += tmp[i] * w;
            }
        }
        for (int g = 0; g < m.groups; g++) {
            out[g * width + m.numFeature] += m.baseMargin[g];
        }
        return out;
    }

    private static float[] meanValues(Tree tree) {
        float[] mean = new float[tree.numNodes];
        fillMean(tree, 0, mean);
        return mean;
    }

    private static float fillMean(Tree tree, int n, float[] mean) {
        float result;
        if (tree.isLeaf(n)) {
            result = tree.cond[n];
        } else {
            int l = tree.left[n];
            int r = tree.right[n];
            result = fillMean(tree, l, mean) * tree.cover[l];
            result += fillMean(tree, r, mean) * tree.cover[r];
            result /= tree.cover[n];
        }
        mean[n] = result;
        return result;
    }

    private static void extend(Path p, int at, int depth, float zero, float one, int feature) {
        p.feature[at + depth] = feature;
        p.zero[at + depth] = zero;
        p.one[at + depth] = one;
        p.weight[at + depth] = depth == 0 ? 1f : 0f;
        for (int i = depth - 1; i >= 0; i--) {
            p.weight[at + i + 1] += one * p.weight[at + i] * (i + 1) / (float) (depth + 1);
            p.weight[at + i] = zero * p.weight[at + i] * (depth - i) / (float) (depth + 1);
        }
    }

    private static void unwind(Path p, int at, int depth, int index) {
        float one = p.one[at + index];
        float zero = p.zero[at + index];
        float next = p.weight[at + depth];
        for (int i = depth - 1; i >= 0; i--) {
            if (one != 0f) {
                float tmp = p.weight[at + i];
                p.weight[at + i] = next * (depth + 1) / ((i + 1) * one);
                next = tmp - p.weight[at + i] * zero * (depth - i) / (float) (depth + 1);
            } else {
                p.weight[at + i] = (p.weight[at + i] * (depth + 1)) / (zero * (depth - i));
            }
        }
        for (int i = index; i < depth; i++) {
            p.feature[at + i] = p.feature[at + i + 1];
            p.zero[at + i] = p.zero[at + i + 1];
            p.one[at + i] = p.one[at + i + 1];
        }
    }

    private static float unwoundSum(Path p, int at, int depth, int index) {
        float one = p.one[at + index];
        float zero = p.zero[at + index];
        float next = p.weight[at + depth];
        float total = 0f;
        for (int i = depth - 1; i >= 0; i--) {
            if (one != 0f) {
                float tmp = next * (depth + 1) / ((i + 1) * one);
                total += tmp;
                next = p.weight[at + i] - tmp * zero * ((depth - i) / (float) (depth + 1));
            } else if (zero != 0f) {
                total += (p.weight[at + i] / zero) / ((depth - i) / (float) (depth + 1));
            }
        }
        return total;
    }

    /**
     * Recursion over the tree. The path of the parent lives at {@code parentAt}; this node's copy
     * goes right after it.
     */
    private static void shap(Tree tree, float[] x, float[] phi, int n, int depth, Path p, int parentAt,
            float parentZero, float parentOne, int parentFeature) {
        int at = parentAt + depth;
        if (depth > 0) {
            p.copy(parentAt, at, depth);
        }
        extend(p, at, depth, parentZero, parentOne, parentFeature);
        if (tree.isLeaf(n)) {
            float leaf = tree.cond[n];
            for (int i = 1; i <= depth; i++) {
                float w = unwoundSum(p, at, depth, i);
                phi[p.feature[at + i]] += w * (p.one[at + i] - p.zero[at + i]) * leaf;
            }
            return;
        }
        int split = tree.feature[n];
        int hot = tree.next(n, x[split]);
        int cold = hot == tree.left[n] ? tree.right[n] : tree.left[n];
        float w = tree.cover[n];
        float hotZero = tree.cover[hot] / w;
        float coldZero = tree.cover[cold] / w;
        float inZero = 1f;
        float inOne = 1f;
        int k = 0;
        for (; k <= depth; k++) {
            if (p.feature[at + k] == split) {
                break;
            }
        }
        int d = depth;
        if (k != depth + 1) {
            inZero = p.zero[at + k];
            inOne = p.one[at + k];
            unwind(p, at, d, k);
            d -= 1;
        }
        shap(tree, x, phi, hot, d + 1, p, at, hotZero * inZero, inOne, split);
        shap(tree, x, phi, cold, d + 1, p, at, coldZero * inZero, 0f, split);
    }
}
