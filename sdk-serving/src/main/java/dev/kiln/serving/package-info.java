/**
 * Serving: {@link dev.kiln.serving.KilnServer}, an HTTP endpoint scoring registered models (MLflow's
 * scoring protocol, the Open Inference Protocol v2, scoring by entity key, Prometheus metrics) with
 * the registry over REST for automation, and {@link dev.kiln.serving.TokenStore}, the workspace's
 * bearer tokens.
 */
package dev.kiln.serving;
