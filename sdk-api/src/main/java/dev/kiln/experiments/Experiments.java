package dev.kiln.experiments;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Experiment tracking with MLflow's semantics: experiments, runs (nested), params, metrics,
 * tags, dataset inputs, artifacts and search. Thread-safe, and safe with several processes
 * logging to the same workspace.
 *
 * <p>Methods taking an {@code experiment} accept its name or its id.
 *
 * <p>In a workspace, experiments are governed like the other securables
 * ({@link dev.kiln.governance.Securable#experiment(String)}): creating one needs CREATE on the
 * catalog and makes the creator its owner; starting, resuming, ending, deleting and restoring runs
 * (and logging into them) need MODIFY on the experiment; reading, searching and comparing runs, and
 * their histories and artifacts, need READ; tagging needs APPLY_TAG; deleting or restoring the
 * experiment needs MANAGE. A refusal throws {@link dev.kiln.PermissionDeniedException}, changes
 * nothing and is audited; every change is written to the audit table. Logged values are not audited
 * one by one: MODIFY is checked when a run handle is obtained, and the run's end is audited with
 * counts of what it logged.
 */
public interface Experiments {

    /**
     * Creates an experiment.
     *
     * @param name a unique name
     * @return the experiment
     * @throws dev.kiln.AlreadyExistsException if an experiment (active or deleted) has the name
     * @throws dev.kiln.InvalidArgumentException if the name is blank
     * @throws dev.kiln.PermissionDeniedException without CREATE on the catalog
     */
    Experiment createExperiment(String name);

    /**
     * Creates an experiment with tags.
     *
     * @param name a unique name
     * @param tags the experiment's tags
     * @return the experiment
     * @throws dev.kiln.AlreadyExistsException if an experiment (active or deleted) has the name
     * @throws dev.kiln.InvalidArgumentException if the name is blank
     * @throws dev.kiln.PermissionDeniedException without CREATE on the catalog
     */
    Experiment createExperiment(String name, Map<String, String> tags);

    /**
     * Returns the active experiment with this name, creating it if needed (MLflow's
     * {@code set_experiment}). Concurrent callers, in any process, get the same experiment.
     *
     * @param name the name
     * @return the experiment
     * @throws dev.kiln.InvalidArgumentException if the experiment is deleted (restore it) or the name blank
     * @throws dev.kiln.PermissionDeniedException without CREATE on the catalog when it has to create it
     */
    Experiment getOrCreateExperiment(String name);

    /**
     * Returns an experiment.
     *
     * @param experiment its name or id
     * @return the experiment (active or deleted)
     * @throws dev.kiln.NotFoundException if there is none
     * @throws dev.kiln.PermissionDeniedException without READ on the experiment
     */
    Experiment getExperiment(String experiment);

    /**
     * Looks an experiment up.
     *
     * @param experiment its name or id
     * @return the experiment, or empty
     * @throws dev.kiln.PermissionDeniedException without READ on the experiment (when it exists)
     */
    Optional<Experiment> findExperiment(String experiment);

    /**
     * Lists the active experiments the acting principal may read.
     *
     * @return the experiments, by name
     */
    List<Experiment> listExperiments();

    /**
     * Lists the experiments the acting principal may read.
     *
     * @param viewType which lifecycle stages to include
     * @return the experiments, by name
     */
    List<Experiment> listExperiments(ViewType viewType);

    /**
     * Soft-deletes an experiment and hides its runs; {@link #restoreExperiment(String)} undoes it.
     *
     * @param experiment its name or id
     * @throws dev.kiln.NotFoundException if there is none
     * @throws dev.kiln.PermissionDeniedException without MANAGE on the experiment
     */
    void deleteExperiment(String experiment);

    /**
     * Restores a deleted experiment.
     *
     * @param experiment its name or id
     * @throws dev.kiln.NotFoundException if there is none
     * @throws dev.kiln.PermissionDeniedException without MANAGE on the experiment
     */
    void restoreExperiment(String experiment);

    /**
     * Sets a tag on an experiment.
     *
     * @param experiment its name or id
     * @param key the tag key
     * @param value the value
     * @throws dev.kiln.NotFoundException if there is no such experiment
     * @throws dev.kiln.PermissionDeniedException without APPLY_TAG on the experiment
     */
    void setExperimentTag(String experiment, String key, String value);

    /**
     * Starts a run in an experiment, creating the experiment if needed.
     *
     * @param experiment the experiment's name or id
     * @return the running run; close it to end it
     * @throws dev.kiln.PermissionDeniedException without MODIFY on the experiment (or CREATE on the catalog to create it)
     */
    Run startRun(String experiment);

    /**
     * Starts a run as described.
     *
     * @param spec experiment, name, parent, tags, initial status
     * @return the running (or scheduled) run; close it to end it
     * @throws dev.kiln.NotFoundException if the parent run does not exist
     * @throws dev.kiln.PermissionDeniedException without MODIFY on the experiment (or CREATE on the catalog to create it)
     */
    Run startRun(RunSpec spec);

    /**
     * Reopens an existing run to log more to it (MLflow's {@code start_run(run_id=...)}): its
     * status becomes RUNNING until the returned handle is closed.
     *
     * @param runId the run's id
     * @return the run
     * @throws dev.kiln.NotFoundException if there is none
     * @throws dev.kiln.PermissionDeniedException without MODIFY on the run's experiment
     */
    Run resumeRun(String runId);

    /**
     * Runs {@code body} inside a new run of an experiment: the run ends FINISHED when the body
     * returns, FAILED when it throws (and the exception is re-thrown unchanged).
     *
     * @param experiment the experiment's name or id (created if needed)
     * @param body the work
     * @param <E> the checked exception the body may throw
     * @return the ended run's info
     * @throws E what the body threw
     * @throws dev.kiln.PermissionDeniedException without MODIFY on the experiment (or CREATE on the catalog to create it)
     */
    <E extends Exception> RunInfo run(String experiment, RunBody<E> body) throws E;

    /**
     * Runs {@code body} inside a new run described by {@code spec}, as {@link #run(String, RunBody)}.
     *
     * @param spec experiment, name, parent, tags
     * @param body the work
     * @param <E> the checked exception the body may throw
     * @return the ended run's info
     * @throws E what the body threw
     * @throws dev.kiln.PermissionDeniedException without MODIFY on the experiment (or CREATE on the catalog to create it)
     */
    <E extends Exception> RunInfo run(RunSpec spec, RunBody<E> body) throws E;

    /**
     * Returns a run with its latest metrics, params, tags and inputs.
     *
     * @param runId the run's id
     * @return the run
     * @throws dev.kiln.NotFoundException if there is none
     * @throws dev.kiln.PermissionDeniedException without READ on the run's experiment
     */
    RunRecord getRun(String runId);

    /**
     * Sets a run's status from outside the run (e.g. KILLED for a stuck trial).
     *
     * @param runId the run's id
     * @param status the new status
     * @throws dev.kiln.NotFoundException if there is no such run
     * @throws dev.kiln.PermissionDeniedException without MODIFY on the run's experiment
     */
    void setRunStatus(String runId, RunStatus status);

    /**
     * Soft-deletes a run.
     *
     * @param runId the run's id
     * @throws dev.kiln.NotFoundException if there is none
     * @throws dev.kiln.PermissionDeniedException without MODIFY on the run's experiment
     */
    void deleteRun(String runId);

    /**
     * Restores a deleted run.
     *
     * @param runId the run's id
     * @throws dev.kiln.NotFoundException if there is none
     * @throws dev.kiln.PermissionDeniedException without MODIFY on the run's experiment
     */
    void restoreRun(String runId);

    /**
     * Searches runs with MLflow's filter grammar, ordering and paging.
     *
     * @param query experiments, filter, order, page size, page token
     * @return one page of runs and the token of the next
     * @throws InvalidFilterException if the filter or an order-by entry is malformed, with its position
     * @throws dev.kiln.InvalidArgumentException if the page token is malformed or belongs to another query
     * @throws dev.kiln.NotFoundException if an experiment does not exist
     * @throws dev.kiln.PermissionDeniedException without READ on one of the experiments
     */
    RunPage searchRuns(RunQuery query);

    /**
     * Puts runs side by side: params and latest metrics.
     *
     * @param runIds the runs, in the order of the columns
     * @return the comparison
     * @throws dev.kiln.NotFoundException if a run does not exist
     * @throws dev.kiln.PermissionDeniedException without READ on a run's experiment
     */
    RunComparison compareRuns(List<String> runIds);

    /**
     * Returns every logged value of a metric, by step then timestamp.
     *
     * @param runId the run's id
     * @param key the metric key
     * @return the history, empty if the metric was never logged
     * @throws dev.kiln.NotFoundException if there is no such run
     * @throws dev.kiln.PermissionDeniedException without READ on the run's experiment
     */
    List<MetricPoint> metricHistory(String runId, String key);

    /**
     * Lists the artifacts directly under a directory of a run.
     *
     * @param runId the run's id
     * @param path the directory, or empty for the root
     * @return files and directories, sorted by path
     * @throws dev.kiln.NotFoundException if there is no such run
     * @throws dev.kiln.PermissionDeniedException without READ on the run's experiment
     */
    List<ArtifactInfo> listArtifacts(String runId, String path);

    /**
     * Opens an artifact file of a run.
     *
     * @param runId the run's id
     * @param path the file path under the run's artifact root
     * @return a stream the caller closes
     * @throws dev.kiln.NotFoundException if there is no such run or file
     * @throws dev.kiln.PermissionDeniedException without READ on the run's experiment
     */
    InputStream openArtifact(String runId, String path);

    /**
     * Makes everything buffered by every run durable.
     *
     * @throws dev.kiln.StorageException if it cannot be written
     */
    void flush();
}
