package dev.kiln.xgboost;

import dev.kiln.UnsupportedFeatureException;

/** What an objective does to base_score (into margin space) and to margins (into outputs). */
enum Objective {
    IDENTITY(Link.IDENTITY, Out.IDENTITY),
    LOGISTIC(Link.LOGIT, Out.SIGMOID),
    LOGITRAW(Link.IDENTITY, Out.IDENTITY),
    HINGE(Link.IDENTITY, Out.HINGE),
    EXP(Link.LOG, Out.EXP),
    SOFTMAX(Link.IDENTITY, Out.ARGMAX),
    SOFTPROB(Link.IDENTITY, Out.SOFTMAX),
    QUANTILE(Link.IDENTITY, Out.SORT);

    enum Link { IDENTITY, LOGIT, LOG }

    enum Out { IDENTITY, SIGMOID, HINGE, EXP, ARGMAX, SOFTMAX, SORT }

    final Link link;
    final Out output;

    Objective(Link link, Out out) {
        this.link = link;
        this.output = out;
    }

    static Objective of(String name) {
        switch (name) {
            case "binary:logistic":
            case "reg:logistic":
                return LOGISTIC;
            case "binary:logitraw":
                return LOGITRAW;
            case "binary:hinge":
                return HINGE;
            case "reg:squarederror":
            case "reg:linear":
            case "reg:squaredlogerror":
            case "reg:pseudohubererror":
            case "reg:absoluteerror":
            case "rank:pairwise":
            case "rank:ndcg":
            case "rank:map":
                return IDENTITY;
            case "reg:quantileerror":
                return QUANTILE;
            case "count:poisson":
            case "reg:gamma":
            case "reg:tweedie":
            case "survival:cox":
            case "survival:aft":
                return EXP;
            case "multi:softmax":
                return SOFTMAX;
            case "multi:softprob":
                return SOFTPROB;
            default:
                throw new UnsupportedFeatureException("Objective '" + name + "' is not supported by the Kiln predictor;"
                        + " score with outputMargin(true) is not possible either. Supported: binary:*, reg:*, count:poisson,"
                        + " survival:cox, survival:aft, multi:*, rank:*.");
        }
    }

    /** base_score (output space) to margin, in float as XGBoost does. */
    float toMargin(float baseScore) {
        switch (link) {
            case LOGIT: {
                float p = Math.min(Math.max(baseScore, 1e-6f), 1f - 1e-6f);
                return -(float) Math.log(1.0f / p - 1.0f);
            }
            case LOG:
                return (float) Math.log(baseScore);
            default:
                return baseScore;
        }
    }

    static float sigmoid(float x) {
        return 1.0f / ((float) Math.exp(Math.min(-x, 88.7f)) + 1.0f);
    }

    /** Transforms {@code groups} margins at {@code in[from..]} into outputs at {@code out[to..]}; returns the count. */
    int transform(float[] in, int from, int groups, float[] out, int to) {
        switch (output) {
            case SIGMOID:
                for (int g = 0; g < groups; g++) {
                    out[to + g] = sigmoid(in[from + g]);
                }
                return groups;
            case HINGE:
                for (int g = 0; g < groups; g++) {
                    out[to + g] = in[from + g] > 0f ? 1f : 0f;
                }
                return groups;
            case EXP:
                for (int g = 0; g < groups; g++) {
                    out[to + g] = (float) Math.exp(in[from + g]);
                }
                return groups;
            case ARGMAX: {
                int best = 0;
                float max = in[from];
                for (int g = 1; g < groups; g++) {
                    if (in[from + g] > max) {
                        max = in[from + g];
                        best = g;
                    }
                }
                out[to] = best;
                return 1;
            }
            case SOFTMAX: {
                float max = in[from];
                for (int g = 1; g < groups; g++) {
                    max = Math.max(max, in[from + g]);
                }
                double sum = 0;
                for (int g = 0; g < groups; g++) {
                    float e = (float) Math.exp(in[from + g] - max);
                    out[to + g] = e;
                    sum += e;
                }
                float s = (float) sum;
                for (int g = 0; g < groups; g++) {
                    out[to + g] /= s;
                }
                return groups;
            }
            case SORT:
                if (in != out || from != to) {
                    System.arraycopy(in, from, out, to, groups);
                }
                if (groups > 1) {
                    java.util.Arrays.sort(out, to, to + groups);
                }
                return groups;
            default:
                if (in != out || from != to) {
                    System.arraycopy(in, from, out, to, groups);
                }
                return groups;
        }
    }
}
