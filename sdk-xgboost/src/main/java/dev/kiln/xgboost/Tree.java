package dev.kiln.xgboost;

/**
 * One regression tree as read from the model, validated: every node reachable from the root is
 * visited once, children are in range, features are below the feature count.
 */
final class Tree {
    final int numNodes;
    final int[] left;
    final int[] right;
    final int[] feature;
    final float[] cond;
    final boolean[] defaultLeft;
    /** Per node: null for a numeric split, else the sorted category codes that go right. */
    final int[][] catRight;
    /** Hessian sums (cover) per node, or null when the file has none. */
    final float[] cover;
    /** Depth of the deepest reachable leaf (0 for a single leaf). */
    final int depth;
    final boolean hasCategorical;

    Tree(int numNodes, int[] left, int[] right, int[] feature, float[] cond, boolean[] defaultLeft, int[][] catRight,
            float[] cover, int depth) {
        this.numNodes = numNodes;
        this.left = left;
        this.right = right;
        this.feature = feature;
        this.cond = cond;
        this.defaultLeft = defaultLeft;
        this.catRight = catRight;
        this.cover = cover;
        this.depth = depth;
        boolean cat = false;
        for (int[] c : catRight) {
            cat |= c != null;
        }
        this.hasCategorical = cat;
    }

    boolean isLeaf(int n) {
        return left[n] < 0;
    }

    /** The node a row moves to from internal node {@code n}: XGBoost's decision rule. */
    int next(int n, float x) {
        if (x != x) {
            return defaultLeft[n] ? left[n] : right[n];
        }
        int[] cats = catRight[n];
        if (cats == null) {
            return x < cond[n] ? left[n] : right[n];
        }
        return goesRight(cats, x) ? right[n] : left[n];
    }

    static boolean goesRight(int[] cats, float x) {
        if (!(x >= 0f) || x >= 16777216f) {
            return false;
        }
        return java.util.Arrays.binarySearch(cats, (int) x) >= 0;
    }

    /** The leaf reached by a row whose missing values are NaN. */
    int leaf(float[] row) {
        int n = 0;
        while (left[n] >= 0) {
            n = next(n, row[feature[n]]);
        }
        return n;
    }
}
