package dev.kiln.experiments;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A run being logged to. Logging calls are buffered and return at once; {@link #flush()} and
 * {@link #close()} make everything durable.
 *
 * <p>Closing a run ends it {@link RunStatus#FINISHED} unless it was already ended or marked
 * with {@link #fail(Throwable)}. Java does not tell {@code close()} whether the block threw, so
 * to have a run marked {@link RunStatus#FAILED} when its work throws, use
 * {@link Experiments#run(String, RunBody)}, or call {@link #fail(Throwable)} yourself:
 * <pre>{@code
 * try (Run run = experiments.startRun("churn")) {
 *     try {
 *         train(run);
 *     } catch (RuntimeException e) {
 *         run.fail(e);
 *         throw e;
 *     }
 * }
 * }</pre>
 *
 * <p>A run is thread-safe: trials and callbacks may log to it from several threads.
 */
public interface Run extends AutoCloseable {

    /**
     * Returns the run id.
     *
     * @return 32 lower-case hex characters
     */
    String id();

    /**
     * Returns the run's info as it stands now.
     *
     * @return the info
     */
    RunInfo info();

    /**
     * Returns the run with everything logged so far (buffered points included).
     *
     * @return the run's record
     */
    RunRecord record();

    /**
     * Logs a param. Params are immutable: logging the same value again is allowed, a different
     * value is refused.
     *
     * @param key the param key
     * @param value the value
     * @throws dev.kiln.InvalidArgumentException if the key is invalid, the value too long, or the
     *     param already holds a different value
     */
    void logParam(String key, String value);

    /**
     * Logs several params at once.
     *
     * @param params key to value
     * @throws dev.kiln.InvalidArgumentException as {@link #logParam(String, String)}
     */
    void logParams(Map<String, String> params);

    /**
     * Logs a metric value at step 0, timestamped now.
     *
     * @param key the metric key
     * @param value the value
     * @throws dev.kiln.InvalidArgumentException if the key is invalid
     */
    void logMetric(String key, double value);

    /**
     * Logs a metric value at a step, timestamped now.
     *
     * @param key the metric key
     * @param value the value
     * @param step the step (round, epoch)
     * @throws dev.kiln.InvalidArgumentException if the key is invalid
     */
    void logMetric(String key, double value, long step);

    /**
     * Logs a metric value at a step and time.
     *
     * @param key the metric key
     * @param value the value
     * @param step the step
     * @param timestamp milliseconds since the epoch
     * @throws dev.kiln.InvalidArgumentException if the key is invalid
     */
    void logMetric(String key, double value, long step, long timestamp);

    /**
     * Logs several metrics at one step, timestamped now.
     *
     * @param metrics key to value
     * @param step the step
     * @throws dev.kiln.InvalidArgumentException if a key is invalid
     */
    void logMetrics(Map<String, Double> metrics, long step);

    /**
     * Sets a tag (tags are mutable).
     *
     * @param key the tag key
     * @param value the value
     * @throws dev.kiln.InvalidArgumentException if the key is invalid or the value too long
     */
    void setTag(String key, String value);

    /**
     * Sets several tags.
     *
     * @param tags key to value
     * @throws dev.kiln.InvalidArgumentException as {@link #setTag(String, String)}
     */
    void setTags(Map<String, String> tags);

    /**
     * Removes a tag.
     *
     * @param key the tag key
     * @throws dev.kiln.NotFoundException if the run has no such tag
     */
    void deleteTag(String key);

    /**
     * Records a dataset the run used.
     *
     * @param input the table, its version and the role
     */
    void logInput(DatasetInput input);

    /**
     * Copies a local file into the run's artifacts.
     *
     * @param localFile the file
     * @param artifactPath the directory under the run's artifact root, or empty for the root
     * @throws dev.kiln.InvalidArgumentException if the path escapes the artifact root
     * @throws dev.kiln.StorageException if the file cannot be read or written
     */
    void logArtifact(Path localFile, String artifactPath);

    /**
     * Copies a local directory's contents into the run's artifacts.
     *
     * @param localDir the directory
     * @param artifactPath the directory under the run's artifact root, or empty for the root
     * @throws dev.kiln.InvalidArgumentException if the path escapes the artifact root
     * @throws dev.kiln.StorageException if a file cannot be read or written
     */
    void logArtifacts(Path localDir, String artifactPath);

    /**
     * Writes bytes as an artifact file.
     *
     * @param artifactFile the file path under the run's artifact root, e.g. {@code model/model.json}
     * @param content the bytes
     * @throws dev.kiln.InvalidArgumentException if the path escapes the artifact root
     * @throws dev.kiln.StorageException if it cannot be written
     */
    void logBytes(String artifactFile, byte[] content);

    /**
     * Writes text (UTF-8) as an artifact file, as MLflow's {@code log_text}.
     *
     * @param artifactFile the file path under the run's artifact root
     * @param text the text
     * @throws dev.kiln.InvalidArgumentException if the path escapes the artifact root
     * @throws dev.kiln.StorageException if it cannot be written
     */
    void logText(String artifactFile, String text);

    /**
     * Lists the artifacts directly under a directory of the run.
     *
     * @param path the directory, or empty for the root
     * @return files and directories, sorted by path
     * @throws dev.kiln.InvalidArgumentException if the path escapes the artifact root
     */
    List<ArtifactInfo> listArtifacts(String path);

    /**
     * Opens an artifact file for reading.
     *
     * @param path the file path under the run's artifact root
     * @return a stream the caller closes
     * @throws dev.kiln.NotFoundException if there is no such file
     */
    InputStream openArtifact(String path);

    /**
     * Starts a run nested under this one, in the same experiment.
     *
     * @param runName the child's name, or empty to generate one
     * @return the running child
     */
    Run startNestedRun(String runName);

    /**
     * Makes everything logged so far durable.
     *
     * @throws dev.kiln.StorageException if it cannot be written
     */
    void flush();

    /**
     * Marks the run failed: {@link #close()} then ends it {@link RunStatus#FAILED}, recording the
     * error's class and message in the tag {@code kiln.error}.
     *
     * @param error the failure
     */
    void fail(Throwable error);

    /**
     * Ends the run now with a status, flushing first. Later logging calls are refused.
     *
     * @param status {@link RunStatus#FINISHED}, {@link RunStatus#FAILED} or {@link RunStatus#KILLED}
     * @throws dev.kiln.InvalidArgumentException if the status is not a terminal one
     */
    void end(RunStatus status);

    /**
     * Ends the run {@link RunStatus#FINISHED} (or {@link RunStatus#FAILED} after
     * {@link #fail(Throwable)}) if it has not ended, and flushes. Calling it again does nothing.
     *
     * @throws dev.kiln.StorageException if buffered points cannot be written
     */
    @Override
    void close();
}
