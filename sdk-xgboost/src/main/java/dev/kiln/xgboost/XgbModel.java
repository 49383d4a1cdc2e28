package dev.kiln.xgboost;

import dev.kiln.MalformedModelException;
import dev.kiln.UnsupportedFeatureException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** A parsed, validated XGBoost tree ensemble. */
final class XgbModel {
    static final int MAX_FEATURES = 1 << 20;
    static final int MAX_GROUPS = 1 << 16;

    int numFeature;
    int groups;
    float[] baseScore;
    float[] baseMargin;
    String objectiveName;
    Objective objective;
    String booster;
    Tree[] trees;
    int[] treeInfo;
    int[] iterIndptr;
    /** DART weights per tree, or null. */
    float[] weights;
    String[] featureNames;
    String[] featureTypes;
    List<String>[] categoryNames;
    int bestIteration = -1;
    int maxDepth;
    boolean hasCategorical;

    int rounds() {
        return iterIndptr.length - 1;
    }

    static XgbModel parse(byte[] bytes) {
        Object root = ModelBytes.read(bytes);
        try {
            return new XgbModel().fill(obj(root, "the model"));
        } catch (MalformedModelException | UnsupportedFeatureException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MalformedModelException("Malformed XGBoost model: " + e, e);
        }
    }

    // ------------------------------------------------------------ helpers

    private static MalformedModelException bad(String what) {
        return new MalformedModelException("Malformed XGBoost model: " + what + ".");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> obj(Object o, String what) {
        if (o instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw bad(what + " is not an object");
    }

    static Map<String, Object> obj(Map<String, Object> m, String key) {
        Object o = m.get(key);
        if (o == null) {
            throw bad("'" + key + "' is missing");
        }
        return obj(o, "'" + key + "'");
    }

    static Nums nums(Map<String, Object> m, String key, boolean required) {
        Object o = m.get(key);
        if (o instanceof Nums n) {
            return n;
        }
        if (o instanceof List<?> l && !required && l.isEmpty()) {
            return new Nums.I64(new long[0]);
        }
        if (o instanceof List<?> l) { // booleans (default_left before 1.6)
            long[] a = new long[l.size()];
            for (int i = 0; i < a.length; i++) {
                Object e = l.get(i);
                if (e instanceof Boolean b) {
                    a[i] = b ? 1 : 0;
                } else if (e instanceof Number num) {
                    a[i] = num.longValue();
                } else {
                    throw bad("'" + key + "' holds " + e + ", expected numbers");
                }
            }
            return new Nums.I64(a);
        }
        if (o == null && !required) {
            return null;
        }
        throw bad("'" + key + "' is " + (o == null ? "missing" : "not a numeric array"));
    }

    static List<?> list(Map<String, Object> m, String key) {
        Object o = m.get(key);
        if (o == null || o instanceof Nums n && n.size() == 0) {
            return List.of();
        }
        if (o instanceof List<?> l) {
            return l;
        }
        throw bad("'" + key + "' is not an array");
    }

    /** A number stored as a number or as a string (XGBoost stores parameters as strings). */
    static long integer(Map<String, Object> m, String key, long dflt, long min, long max) {
        Object o = m.get(key);
        long v;
        if (o == null) {
            return dflt;
        } else if (o instanceof Long l) {
            v = l;
        } else if (o instanceof Number n) {
            double d = n.doubleValue();
            if (d != Math.rint(d)) {
                throw bad("'" + key + "' is not an integer: " + o);
            }
            v = (long) d;
        } else if (o instanceof String s) {
            try {
                v = Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                try {
                    double d = Double.parseDouble(s.trim());
                    if (d != Math.rint(d)) {
                        throw bad("'" + key + "' is not an integer: " + s);
                    }
                    v = (long) d;
                } catch (NumberFormatException e2) {
                    throw bad("'" + key + "' is not a number: '" + s + "'");
                }
            }
        } else {
            throw bad("'" + key + "' is not a number");
        }
        if (v < min || v > max) {
            throw bad("'" + key + "' = " + v + " is outside [" + min + ", " + max + "]");
        }
        return v;
    }

    static int toInt(long v, long min, long max, String what) {
        if (v < min || v > max) {
            throw bad(what + " = " + v + " is outside [" + min + ", " + max + "]");
        }
        return (int) v;
    }

    // ------------------------------------------------------------ model

    private XgbModel fill(Map<String, Object> root) {
        Map<String, Object> learner = obj(root, "learner");
        Map<String, Object> lmp = obj(learner, "learner_model_param");
        numFeature = (int) integer(lmp, "num_feature", -1, 0, MAX_FEATURES);
        if (numFeature < 0) {
            throw bad("'learner_model_param.num_feature' is missing");
        }
        int numClass = (int) integer(lmp, "num_class", 0, 0, MAX_GROUPS);
        int numTarget = (int) integer(lmp, "num_target", 1, 0, MAX_GROUPS);
        groups = Math.max(1, Math.max(numClass, numTarget));

        Map<String, Object> objectiveObj = obj(learner, "objective");
        if (!(objectiveObj.get("name") instanceof String name)) {
            throw bad("'objective.name' is missing");
        }
        objectiveName = name;
        objective = Objective.of(name);

        Object bs = lmp.get("base_score");
        baseScore = parseBaseScore(bs);
        baseMargin = new float[groups];
        for (int g = 0; g < groups; g++) {
            baseMargin[g] = objective.toMargin(baseScore[g]);
        }

        Map<String, Object> attrs = learner.get("attributes") instanceof Map<?, ?> ? obj(learner, "attributes") : Map.of();
        if (attrs.get("best_iteration") != null) {
            bestIteration = (int) integer(attrs, "best_iteration", -1, 0, Integer.MAX_VALUE - 1);
        }

        Map<String, Object> gb = obj(learner, "gradient_booster");
        if (!(gb.get("name") instanceof String gbName)) {
            throw bad("'gradient_booster.name' is missing");
        }
        Map<String, Object> model;
        switch (gbName) {
            case "gbtree":
                booster = "gbtree";
                model = obj(gb, "model");
                if (model.containsKey("weight_drop")) {
                    booster = "dart";
                    weights = floats(nums(model, "weight_drop", true));
                }
                break;
            case "dart": {
                booster = "dart";
                Map<String, Object> inner = obj(gb, "gbtree");
                model = obj(inner, "model");
                weights = floats(nums(gb, "weight_drop", true));
                break;
            }
            case "gblinear":
                throw new UnsupportedFeatureException("The model uses the linear booster (gblinear), which the Kiln "
                        + "predictor does not score; train with booster=gbtree or dart.");
            default:
                throw new UnsupportedFeatureException("Booster '" + gbName + "' is not supported; only gbtree and dart.");
        }

        Map<String, Object> gbParam = model.get("gbtree_model_param") instanceof Map<?, ?>
                ? obj(model, "gbtree_model_param") : Map.of();
        int parallel = (int) integer(gbParam, "num_parallel_tree", 1, 1, 1 << 20);
        List<?> treeList = list(model, "trees");
        int n = treeList.size();
        long declared = integer(gbParam, "num_trees", n, 0, Integer.MAX_VALUE);
        if (declared != n) {
            throw bad("num_trees says " + declared + " but the model holds " + n + " trees");
        }
        Nums info = nums(model, "tree_info", n > 0);
        if (info == null) {
            info = new Nums.I64(new long[0]);
        }
        if (info.size() != n) {
            throw bad("tree_info has " + info.size() + " entries for " + n + " trees");
        }
        treeInfo = new int[n];
        for (int i = 0; i < n; i++) {
            treeInfo[i] = toInt(info.l(i), 0, groups - 1, "tree_info[" + i + "]");
        }
        if (weights != null && weights.length != n) {
            throw bad("weight_drop has " + weights.length + " entries for " + n + " trees");
        }
        iterIndptr = indptr(nums(model, "iteration_indptr", false), n, parallel);

        featureNames = strings(list(learner, "feature_names"), "feature_names");
        featureTypes = strings(list(learner, "feature_types"), "feature_types");
        if (featureNames.length != 0 && featureNames.length != numFeature) {
            throw bad("feature_names has " + featureNames.length + " names for " + numFeature + " features");
        }
        if (featureTypes.length != 0 && featureTypes.length != numFeature) {
            throw bad("feature_types has " + featureTypes.length + " types for " + numFeature + " features");
        }

        trees = new Tree[n];
        for (int i = 0; i < n; i++) {
            trees[i] = tree(obj(treeList.get(i), "trees[" + i + "]"), i);
            maxDepth = Math.max(maxDepth, trees[i].depth);
            hasCategorical |= trees[i].hasCategorical;
        }
        categoryNames = categoryNames(model.get("cats"));
        return this;
    }

    private float[] parseBaseScore(Object bs) {
        float[] v;
        if (bs == null) {
            v = new float[] {0.5f};
        } else if (bs instanceof Number num) {
            v = new float[] {num.floatValue()};
        } else if (bs instanceof String s) {
            String t = s.trim();
            if (t.startsWith("[") && t.endsWith("]")) {
                t = t.substring(1, t.length() - 1).trim();
            }
            String[] parts = t.isEmpty() ? new String[0] : t.split(",", -1);
            if (parts.length == 0 || parts.length > MAX_GROUPS) {
                throw bad("base_score '" + abbreviate(s) + "' holds no value");
            }
            v = new float[parts.length];
            for (int i = 0; i < parts.length; i++) {
                try {
                    v[i] = Float.parseFloat(parts[i].trim());
                } catch (NumberFormatException e) {
                    throw bad("base_score '" + abbreviate(s) + "' is not a number or a list of numbers");
                }
            }
        } else {
            throw bad("base_score is neither a string nor a number");
        }
        if (v.length == 1 && groups > 1) {
            float[] all = new float[groups];
            Arrays.fill(all, v[0]);
            return all;
        }
        if (v.length != groups) {
            throw bad("base_score has " + v.length + " values for " + groups + " output groups");
        }
        return v;
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private static float[] floats(Nums n) {
        float[] a = new float[n.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = n.f(i);
        }
        return a;
    }

    private int[] indptr(Nums given, int n, int parallel) {
        if (given != null && given.size() > 0) {
            int[] p = new int[given.size()];
            for (int i = 0; i < p.length; i++) {
                p[i] = toInt(given.l(i), 0, n, "iteration_indptr[" + i + "]");
                if (i == 0 ? p[0] != 0 : p[i] < p[i - 1]) {
                    throw bad("iteration_indptr is not increasing from 0");
                }
            }
            if (p[p.length - 1] != n) {
                throw bad("iteration_indptr ends at " + p[p.length - 1] + " but the model holds " + n + " trees");
            }
            return p;
        }
        long perRound = (long) parallel * groups;
        if (n % perRound != 0) {
            throw bad(n + " trees is not a whole number of rounds of " + perRound + " trees");
        }
        int rounds = (int) (n / perRound);
        int[] p = new int[rounds + 1];
        for (int r = 0; r <= rounds; r++) {
            p[r] = (int) (r * perRound);
        }
        return p;
    }

    private static String[] strings(List<?> l, String what) {
        String[] a = new String[l.size()];
        for (int i = 0; i < a.length; i++) {
            if (!(l.get(i) instanceof String s)) {
                throw bad(what + "[" + i + "] is not a string");
            }
            a[i] = s;
        }
        return a;
    }

    // ------------------------------------------------------------ trees

    private Tree tree(Map<String, Object> t, int index) {
        String where = "tree " + index;
        Map<String, Object> param = t.get("tree_param") instanceof Map<?, ?> ? obj(t, "tree_param") : Map.of();
        long leafVector = integer(param, "size_leaf_vector", 1, 0, Integer.MAX_VALUE);
        if (leafVector > 1) {
            throw new UnsupportedFeatureException("Tree " + index + " has vector leaves (size_leaf_vector="
                    + leafVector + ", multi_strategy=multi_output_tree), which the Kiln predictor does not score; "
                    + "train with multi_strategy=one_output_per_tree.");
        }
        Nums left = nums(t, "left_children", true);
        Nums right = nums(t, "right_children", true);
        Nums split = nums(t, "split_indices", true);
        Nums cond = nums(t, "split_conditions", true);
        Nums defLeft = nums(t, "default_left", true);
        Nums type = nums(t, "split_type", false);
        Nums cover = nums(t, "sum_hessian", false);
        int n = left.size();
        long declared = integer(param, "num_nodes", n, 1, Integer.MAX_VALUE);
        if (n == 0 || declared != n) {
            throw bad(where + ": num_nodes is " + declared + " but left_children has " + n + " entries");
        }
        check(right, n, where, "right_children");
        check(split, n, where, "split_indices");
        check(cond, n, where, "split_conditions");
        check(defLeft, n, where, "default_left");
        if (type != null && type.size() != 0) {
            check(type, n, where, "split_type");
        }
        if (cover != null && cover.size() != n) {
            cover = null;
        }
        int[] l = new int[n];
        int[] r = new int[n];
        int[] f = new int[n];
        float[] c = new float[n];
        boolean[] dl = new boolean[n];
        int[][] cats = new int[n][];
        float[] cv = cover == null ? null : floats(cover);
        boolean[] seen = new boolean[n];
        int[] depth = new int[n];
        int maxD = 0;
        ArrayDeque<Integer> stack = new ArrayDeque<>();
        stack.push(0);
        seen[0] = true;
        boolean anyCat = false;
        while (!stack.isEmpty()) {
            int k = stack.pop();
            long lk = left.l(k);
            c[k] = cond.f(k);
            if (lk == -1) {
                l[k] = -1;
                r[k] = -1;
                maxD = Math.max(maxD, depth[k]);
                continue;
            }
            long rk = right.l(k);
            if (lk < 1 || lk >= n || rk < 1 || rk >= n || lk == rk) {
                throw bad(where + ": node " + k + " has children " + lk + " and " + rk + " outside the tree");
            }
            if (seen[(int) lk] || seen[(int) rk]) {
                throw bad(where + ": node " + k + " links back to a node already in the tree");
            }
            l[k] = (int) lk;
            r[k] = (int) rk;
            long fk = split.l(k);
            if (fk < 0 || fk >= numFeature) {
                throw bad(where + ": node " + k + " splits on feature " + fk + " but the model has " + numFeature
                        + " features");
            }
            f[k] = (int) fk;
            dl[k] = defLeft.l(k) != 0;
            if (type != null && type.size() != 0 && type.l(k) == 1) {
                cats[k] = new int[0]; // filled below
                anyCat = true;
            } else if (type != null && type.size() != 0 && type.l(k) != 0) {
                throw bad(where + ": node " + k + " has unknown split_type " + type.l(k));
            }
            seen[l[k]] = true;
            seen[r[k]] = true;
            depth[l[k]] = depth[k] + 1;
            depth[r[k]] = depth[k] + 1;
            stack.push(r[k]);
            stack.push(l[k]);
        }
        if (anyCat) {
            fillCategories(t, cats, seen, where);
        }
        return new Tree(n, l, r, f, c, dl, cats, cv, maxD);
    }

    private static void check(Nums a, int n, String where, String name) {
        if (a.size() != n) {
            throw bad(where + ": " + name + " has " + a.size() + " entries for " + n + " nodes");
        }
    }

    private static void fillCategories(Map<String, Object> t, int[][] cats, boolean[] reachable, String where) {
        Nums values = nums(t, "categories", true);
        Nums nodes = nums(t, "categories_nodes", true);
        Nums segments = nums(t, "categories_segments", true);
        Nums sizes = nums(t, "categories_sizes", true);
        int k = nodes.size();
        if (segments.size() != k || sizes.size() != k) {
            throw bad(where + ": categories_nodes, categories_segments and categories_sizes differ in length");
        }
        for (int i = 0; i < k; i++) {
            long node = nodes.l(i);
            long start = segments.l(i);
            long size = sizes.l(i);
            if (node < 0 || node >= cats.length || start < 0 || size < 0 || start + size > values.size()) {
                throw bad(where + ": category segment " + i + " is out of range");
            }
            int nd = (int) node;
            if (cats[nd] == null) {
                continue; // not a categorical split (or unreachable)
            }
            int[] set = new int[(int) size];
            for (int j = 0; j < size; j++) {
                long v = values.l((int) (start + j));
                if (v < 0 || v >= (1 << 24)) {
                    throw bad(where + ": category " + v + " is out of range");
                }
                set[j] = (int) v;
            }
            Arrays.sort(set);
            cats[nd] = set;
        }
    }

    // ------------------------------------------------------------ category names (3.1+)

    @SuppressWarnings("unchecked")
    private List<String>[] categoryNames(Object cats) {
        List<String>[] names = new List[numFeature];
        Arrays.fill(names, List.of());
        if (!(cats instanceof Map<?, ?>)) {
            return names;
        }
        List<?> enc = list(obj(cats, "cats"), "enc");
        if (enc.isEmpty()) {
            return names;
        }
        List<Integer> targets = new ArrayList<>();
        if (enc.size() == numFeature) {
            for (int i = 0; i < numFeature; i++) {
                targets.add(i);
            }
        } else {
            for (int i = 0; i < featureTypes.length; i++) {
                if ("c".equals(featureTypes[i])) {
                    targets.add(i);
                }
            }
            if (targets.size() != enc.size()) {
                return names; // layout not understood: names unavailable, codes still work
            }
        }
        for (int i = 0; i < enc.size(); i++) {
            if (enc.get(i) instanceof Map<?, ?> col) {
                names[targets.get(i)] = columnNames((Map<String, Object>) col);
            }
        }
        return names;
    }

    private static List<String> columnNames(Map<String, Object> col) {
        Nums values = col.get("values") instanceof Nums v ? v : null;
        if (values == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (col.get("offsets") instanceof Nums offsets) {
            byte[] chars = new byte[values.size()];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = (byte) values.l(i);
            }
            for (int i = 0; i + 1 < offsets.size(); i++) {
                long a = offsets.l(i);
                long b = offsets.l(i + 1);
                if (a < 0 || b < a || b > chars.length) {
                    throw bad("category name offsets are out of range");
                }
                out.add(new String(chars, (int) a, (int) (b - a), StandardCharsets.UTF_8));
            }
        } else {
            for (int i = 0; i < values.size(); i++) {
                out.add(values.integral() ? Long.toString(values.l(i)) : Float.toString(values.f(i)));
            }
        }
        return out;
    }
}
