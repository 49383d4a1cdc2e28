package dev.kiln.xgboost.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.InvalidArgumentException;
import dev.kiln.KilnException;
import dev.kiln.experiments.DatasetInput;
import dev.kiln.experiments.Run;
import dev.kiln.lakehouse.Lakehouse;
import dev.kiln.training.SearchResult;
import dev.kiln.training.SearchSpace;
import dev.kiln.training.TrainedModel;
import dev.kiln.training.Trainer;
import dev.kiln.training.TrainingSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Trains with XGBoost4J one round at a time, so each round's evaluation metrics reach the run as
 * they are computed, and stops early the way XGBoost does: on the last metric of the last
 * evaluation set, keeping every round and recording {@code best_iteration}.
 */
final class XGBoostTrainer implements Trainer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Lakehouse lakehouse;

    XGBoostTrainer(Lakehouse lakehouse) {
        this.lakehouse = lakehouse;
    }

    @Override
    public TrainedModel train(Run run, TrainingSpec spec) {
        return train(run, spec, TrainingMatrix.load(lakehouse, spec.data()));
    }

    TrainedModel train(Run run, TrainingSpec spec, TrainingMatrix data) {
        if (spec.earlyStoppingRounds() > 0 && !spec.evaluateTrainingSet() && data.eval.rows == 0) {
            throw new InvalidArgumentException("Early stopping needs evaluated rows, but the evaluation split of " + data.train.rows
                    + " rows held none out: raise evalFraction or keep evaluateTrainingSet(true).");
        }
        Map<String, String> logged = new LinkedHashMap<>();
        spec.params().forEach((k, v) -> logged.put(k, String.valueOf(v)));
        logged.put("num_boost_round", String.valueOf(spec.rounds()));
        logged.put("early_stopping_rounds", String.valueOf(spec.earlyStoppingRounds()));
        logged.put("eval_fraction", String.valueOf(spec.data().evalFraction()));
        logged.put("label", spec.data().label());
        logged.put("evaluate_training_set", String.valueOf(spec.evaluateTrainingSet()));
        run.logParams(logged);
        data.tableVersions.forEach((table, version) -> run.logInput(new DatasetInput(table, version, DatasetInput.TRAIN, null)));
        DMatrix train = null;
        DMatrix eval = null;
        Booster booster = null;
        try {
            train = matrix(data.train, data);
            Map<String, DMatrix> watches = new LinkedHashMap<>();
            if (spec.evaluateTrainingSet()) {
                watches.put("train", train);
            }
            if (data.eval.rows > 0) {
                eval = matrix(data.eval, data);
                watches.put("eval", eval);
            }
            Map<String, Object> params = new HashMap<>(spec.params());
            booster = XGBoost.train(train, params, 0, watches, null, null);
            DMatrix[] mats = watches.values().toArray(DMatrix[]::new);
            String[] names = watches.keySet().toArray(String[]::new);
            Map<String, Double> last = Map.of();
            String stopMetric = null;
            double best = Double.NaN;
            int bestIteration = 0;
            int rounds = 0;
            for (int iteration = 0; iteration < spec.rounds(); iteration++) {
                booster.update(train, iteration);
                rounds++;
                if (mats.length == 0) {
                    continue;
                }
                last = EvalLine.parse(booster.evalSet(mats, names, iteration));
                run.logMetrics(last, iteration);
                if (stopMetric == null) {
                    stopMetric = EvalLine.lastKey(last);
                }
                double score = last.get(stopMetric);
                boolean maximize = EvalLine.maximize(stopMetric);
                if (Double.isNaN(best) || (maximize ? score > best : score < best)) {
                    best = score;
                    bestIteration = iteration;
                } else if (spec.earlyStoppingRounds() > 0 && iteration - bestIteration >= spec.earlyStoppingRounds()) {
                    break;
                }
            }
            if (stopMetric == null) {
                bestIteration = rounds - 1; // nothing evaluated: the model keeps, and is judged by, every round
            } else {
                booster.setAttr("best_score", String.valueOf(best));
                run.setTag("kiln.early_stopping_metric", stopMetric);
            }
            booster.setAttr("best_iteration", String.valueOf(bestIteration));
            run.logMetric("best_iteration", bestIteration);
            byte[] model = booster.toByteArray(spec.modelFormat());
            String artifact = "model/model." + spec.modelFormat();
            run.logBytes(artifact, model);
            run.setTag("kiln.model.artifact", artifact);
            run.setTag("kiln.model.flavor", "xgboost");
            String[] dump = booster.getModelDump(data.features.toArray(String[]::new), true);
            run.logText("model/feature_importance.json", JSON.writeValueAsString(FeatureImportance.fromDump(dump)));
            return new TrainedModel(run.id(), artifact, model, data.features, bestIteration, rounds, last, data.tableVersions);
        } catch (XGBoostError e) {
            throw new InvalidArgumentException("XGBoost refused the training job: " + e.getMessage(), e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new KilnException("Cannot write feature importance: " + e.getMessage(), e);
        } finally {
            if (booster != null) {
                booster.dispose();
            }
            if (train != null) {
                train.dispose();
            }
            if (eval != null) {
                eval.dispose();
            }
        }
    }

    private static DMatrix matrix(TrainingMatrix.Part part, TrainingMatrix data) throws XGBoostError {
        int width = data.features.size();
        DMatrix matrix = new DMatrix(part.features(width), part.rows, width, Float.NaN);
        matrix.setLabel(part.labels());
        if (part.weights() != null) {
            matrix.setWeight(part.weights());
        }
        if (part.groupSizes() != null) {
            matrix.setGroup(part.groupSizes());
        }
        matrix.setFeatureNames(data.features.toArray(String[]::new));
        String[] types = new String[width];
        java.util.Arrays.fill(types, "q");
        matrix.setFeatureTypes(types);
        return matrix;
    }

    @Override
    public SearchResult search(Run parent, TrainingSpec base, SearchSpace space, String metric, boolean maximize) {
        if (!base.evaluatesRows()) {
            throw new InvalidArgumentException("A search picks its best trial by '" + metric + "', but the spec evaluates no rows: "
                    + "hold rows out with TrainingData...evalFraction(..) or keep evaluateTrainingSet(true).");
        }
        TrainingMatrix data = TrainingMatrix.load(lakehouse, base.data());
        int cores = Runtime.getRuntime().availableProcessors();
        int parallel = Math.max(1, Math.min(cores, space.trials().size()));
        int threadsPerTrial = Math.max(1, cores / parallel);
        parent.setTag("kiln.search.trials", String.valueOf(space.trials().size()));
        parent.setTag("kiln.search.metric", metric);
        ExecutorService pool = Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r, "kiln-trial");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<TrainedModel>> futures = new ArrayList<>();
            int index = 0;
            for (Map<String, Object> trial : space.trials()) {
                Map<String, Object> params = new LinkedHashMap<>(trial);
                params.putIfAbsent("nthread", threadsPerTrial);
                String name = "trial-" + (index++) + " " + trial;
                futures.add(pool.submit(() -> {
                    try (Run child = parent.startNestedRun(name)) {
                        try {
                            return train(child, base.withParams(params), data);
                        } catch (RuntimeException e) {
                            child.fail(e);
                            throw e;
                        }
                    }
                }));
            }
            List<TrainedModel> trials = new ArrayList<>();
            for (Future<TrainedModel> f : futures) {
                trials.add(f.get());
            }
            TrainedModel best = null;
            for (TrainedModel t : trials) {
                Double value = t.metrics().get(metric);
                if (value == null) {
                    throw new InvalidArgumentException("The trials report no metric '" + metric + "'; they report " + t.metrics().keySet() + ".");
                }
                if (best == null || (maximize ? value > best.metrics().get(metric) : value < best.metrics().get(metric))) {
                    best = t;
                }
            }
            parent.setTag("kiln.best_run_id", best.runId());
            parent.logMetric("best_" + metric.toLowerCase(Locale.ROOT), best.metrics().get(metric));
            return new SearchResult(parent.id(), trials, best, metric);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KilnException("The hyper-parameter search was interrupted.", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof KilnException k ? k : new KilnException("A trial failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
            // a trial still running would go on logging to its run after the search has returned
            awaitQuietly(pool);
        }
    }

    private static void awaitQuietly(ExecutorService pool) {
        boolean interrupted = false;
        while (true) {
            try {
                if (pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
