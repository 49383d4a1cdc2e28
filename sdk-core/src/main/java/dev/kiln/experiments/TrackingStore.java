package dev.kiln.experiments;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where tracking state lives: in memory ({@link InMemoryTrackingStore}) or in the Delta tables of
 * the workspace's {@code system} schema ({@link DeltaTrackingStore}). Every method is atomic and
 * thread-safe; an implementation shared by several processes keeps these guarantees across them
 * (one experiment per name, params immutable: a batch conflicting with a param another process
 * logged first is refused as a whole on read, the other batches apply). Writes may be buffered:
 * they are visible to this process's reads at once and durable after {@link #flush()}.
 *
 * <p>Reads hand out plain {@link RunRecord}s (latest metrics, params, tags, inputs), which is all
 * the search evaluator needs.
 */
interface TrackingStore {

    /**
     * Creates an experiment atomically.
     *
     * @param name the name, unique among active and deleted experiments
     * @param tags its tags
     * @param now the creation time
     * @param artifactLocation the artifact location of the experiment, from its new id
     * @return the experiment
     * @throws dev.kiln.AlreadyExistsException if the name is taken
     */
    Experiment createExperiment(String name, Map<String, String> tags, long now,
            java.util.function.Function<String, String> artifactLocation);

    Optional<Experiment> experimentById(String id);

    Optional<Experiment> experimentByName(String name);

    /**
     * Makes every write made so far durable and visible to other processes. Stores that write
     * through need not do anything.
     *
     * @throws dev.kiln.StorageException if the writes cannot be committed (they stay pending)
     */
    default void flush() {
    }

    /** Makes the next reads see what other processes committed meanwhile. */
    default void refresh() {
    }

    /** Flushes and releases the store. */
    default void close() {
        flush();
    }

    /** Every experiment, in any stage. */
    List<Experiment> experiments();

    /** Moves an experiment and all its runs to a lifecycle stage. */
    void setExperimentStage(String experimentId, LifecycleStage stage, long now);

    void setExperimentTag(String experimentId, String key, String value, long now);

    /** Inserts a new run with its initial tags. */
    void createRun(RunInfo info, Map<String, String> tags);

    Optional<RunRecord> run(String runId);

    /** Replaces a run's info (status, end time, stage). */
    void updateRunInfo(RunInfo info);


    /**
     * Appends a batch atomically: metric points (history and latest values), params, tags set and
     * deleted, dataset inputs.
     *
     * @throws dev.kiln.InvalidArgumentException if a param already holds a different value (nothing
     *     of the batch is applied then)
     * @throws dev.kiln.NotFoundException if the run does not exist
     */
    void logBatch(String runId, LogBatch batch);

    /** The history of a metric, in logging order. */
    List<MetricPoint> metricHistory(String runId, String key);

    /**
     * The runs of some experiments, in any stage, as records to search. Call {@link #refresh()}
     * first to include what other processes committed.
     */
    Iterable<RunRecord> runsOf(Collection<String> experimentIds);

    /**
     * A batch of logged values.
     *
     * @param metrics metric points
     * @param params params
     * @param tags tags to set
     * @param deletedTags tag keys to remove (after setting)
     * @param inputs dataset inputs
     */
    record LogBatch(List<MetricPoint> metrics, Map<String, String> params, Map<String, String> tags,
            List<String> deletedTags, List<DatasetInput> inputs) {
        public LogBatch {
            metrics = List.copyOf(metrics);
            params = Map.copyOf(params);
            tags = Map.copyOf(tags);
            deletedTags = List.copyOf(deletedTags);
            inputs = List.copyOf(inputs);
        }

        boolean isEmpty() {
            return metrics.isEmpty() && params.isEmpty() && tags.isEmpty() && deletedTags.isEmpty() && inputs.isEmpty();
        }
    }
}
