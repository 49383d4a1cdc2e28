package dev.kiln.monitoring;

/** Receives the alerts a monitor run raises. Called on the thread that runs the monitor. */
@FunctionalInterface
public interface AlertListener {

    /**
     * Called once per statistic that crossed a threshold.
     *
     * @param alert the alert
     */
    void onAlert(Alert alert);
}
