package dev.kiln.experiments;

/**
 * The work done inside a run by {@link Experiments#run(String, RunBody)}.
 *
 * @param <E> the checked exception the body may throw ({@link RuntimeException} if none)
 */
@FunctionalInterface
public interface RunBody<E extends Exception> {

    /**
     * Does the work, logging to the run.
     *
     * @param run the running run
     * @throws E when the work fails; the run is then marked FAILED and the exception re-thrown
     */
    void accept(Run run) throws E;
}
