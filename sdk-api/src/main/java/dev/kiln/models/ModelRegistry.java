package dev.kiln.models;

import dev.kiln.predict.Predictor;
import dev.kiln.predict.PredictorOptions;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The model registry of a workspace: registered models, their immutable versions, aliases, tags,
 * descriptions and lineage, governed by the workspace's grants and written to its audit log.
 *
 * <pre>{@code
 * ModelRegistry models = kiln.models();
 * ModelVersion v = models.register(VersionSpec.builder("churn").fromFile(Path.of("model.json")).build());
 * models.setAlias("churn", "champion", v.version());
 * Predictor p = models.load("models:/churn@champion");   // follows the alias as it moves
 * }</pre>
 *
 * <p>Privileges: creating a model needs CREATE on the catalog; registering a version needs CREATE
 * on the model; moving an alias, renaming and deleting need MANAGE; tags need APPLY_TAG;
 * descriptions MODIFY; reading READ; loading EXECUTE. The owner (the creator) holds them all. A
 * refused action changes nothing; every change and every refusal is audited.
 *
 * <p>State lives in Delta tables of the {@code system} schema, written by blind appends, so several
 * processes may register versions and move aliases at once; version numbers are never handed out
 * twice. A change made by another process is seen at the next call.
 */
public interface ModelRegistry {

    /**
     * Creates a registered model.
     *
     * @param name the model name
     * @param description the description, or empty
     * @param tags the tags
     * @return the new model
     * @throws dev.kiln.AlreadyExistsException if a model of that name exists
     * @throws dev.kiln.PermissionDeniedException without CREATE on the catalog
     */
    RegisteredModel create(String name, String description, Map<String, String> tags);

    /**
     * Creates a registered model with no description or tag.
     *
     * @param name the model name
     * @return the new model
     * @throws dev.kiln.AlreadyExistsException if a model of that name exists
     * @throws dev.kiln.PermissionDeniedException without CREATE on the catalog
     */
    default RegisteredModel create(String name) {
        return create(name, "", Map.of());
    }

    /**
     * Describes a registered model.
     *
     * @param name the model name
     * @return the model
     * @throws dev.kiln.NotFoundException if there is none of that name
     * @throws dev.kiln.PermissionDeniedException without READ on the model
     */
    RegisteredModel get(String name);

    /**
     * Finds a registered model.
     *
     * @param name the model name
     * @return the model, or empty if there is none or the caller may not read it
     */
    Optional<RegisteredModel> find(String name);

    /**
     * Lists the registered models the caller may read, by name.
     *
     * @return the models
     */
    List<RegisteredModel> list();

    /**
     * Searches registered models with MLflow's {@code search_registered_models} filter: clauses
     * {@code name = 'x'}, {@code name LIKE 'churn%'}, {@code name ILIKE '%Churn%'},
     * {@code tags.team = 'risk'} (also {@code !=}) joined by {@code AND}; empty matches all.
     *
     * @param filter the filter
     * @return the matching models the caller may read, by name
     * @throws dev.kiln.InvalidArgumentException if the filter is malformed
     */
    List<RegisteredModel> search(String filter);

    /**
     * Renames a registered model; its versions, aliases and grants follow it.
     *
     * @param name the current name
     * @param newName the new name
     * @return the renamed model
     * @throws dev.kiln.AlreadyExistsException if {@code newName} is taken
     * @throws dev.kiln.PermissionDeniedException without MANAGE on the model and CREATE on the catalog
     */
    RegisteredModel rename(String name, String newName);

    /**
     * Deletes a registered model and its versions.
     *
     * @param name the model name
     * @throws dev.kiln.ConflictException if an alias still points at one of its versions
     * @throws dev.kiln.PermissionDeniedException without MANAGE on the model
     */
    void delete(String name);

    /**
     * Sets a registered model's description.
     *
     * @param name the model name
     * @param description the new description
     * @throws dev.kiln.PermissionDeniedException without MODIFY on the model
     */
    void setDescription(String name, String description);

    /**
     * Sets a tag on a registered model.
     *
     * @param name the model name
     * @param key the tag key
     * @param value the tag value
     * @throws dev.kiln.PermissionDeniedException without APPLY_TAG on the model
     */
    void setTag(String name, String key, String value);

    /**
     * Removes a tag from a registered model.
     *
     * @param name the model name
     * @param key the tag key
     * @throws dev.kiln.PermissionDeniedException without APPLY_TAG on the model
     */
    void removeTag(String name, String key);

    /**
     * Registers a new immutable version: reads the model, checks its signature against the
     * expected features and the input example, copies it to
     * {@code <root>/artifacts/models/<name>/<version>/}, and records its source, signature and
     * lineage. Creates the registered model if it does not exist (as MLflow's
     * {@code register_model} does).
     *
     * @param spec what to register
     * @return the new version
     * @throws dev.kiln.SchemaMismatchException if the model's features differ from the expected ones
     *     or the input example does not fit them
     * @throws dev.kiln.MalformedModelException if the file is not a readable model
     * @throws dev.kiln.NotFoundException if the file or run artifact does not exist
     * @throws dev.kiln.PermissionDeniedException without CREATE on the model (or on the catalog for a new model),
     *     or, for a {@code runs:/} source, without READ on the run's experiment
     */
    ModelVersion register(VersionSpec spec);

    /**
     * Returns one version.
     *
     * @param name the model name
     * @param version the version number
     * @return the version
     * @throws dev.kiln.NotFoundException if it does not exist
     * @throws dev.kiln.PermissionDeniedException without READ on the model
     */
    ModelVersion version(String name, long version);

    /**
     * Returns every version of a model, oldest first.
     *
     * @param name the model name
     * @return the versions
     * @throws dev.kiln.NotFoundException if the model does not exist
     * @throws dev.kiln.PermissionDeniedException without READ on the model
     */
    List<ModelVersion> versions(String name);

    /**
     * Resolves a {@code models:/} URI to the version it points at now.
     *
     * @param uri {@code models:/name/3} or {@code models:/name@alias}
     * @return the version
     * @throws dev.kiln.NotFoundException if the model, version or alias does not exist
     * @throws dev.kiln.InvalidArgumentException if the URI is malformed or a run URI
     */
    ModelVersion resolve(String uri);

    /**
     * Sets a version's description.
     *
     * @param name the model name
     * @param version the version
     * @param description the new description
     * @throws dev.kiln.PermissionDeniedException without MODIFY on the model
     */
    void setVersionDescription(String name, long version, String description);

    /**
     * Sets a tag on a version.
     *
     * @param name the model name
     * @param version the version
     * @param key the key
     * @param value the value
     * @throws dev.kiln.PermissionDeniedException without APPLY_TAG on the model
     */
    void setVersionTag(String name, long version, String key, String value);

    /**
     * Removes a tag from a version.
     *
     * @param name the model name
     * @param version the version
     * @param key the key
     * @throws dev.kiln.PermissionDeniedException without APPLY_TAG on the model
     */
    void removeVersionTag(String name, long version, String key);

    /**
     * Points an alias at a version, moving it if it pointed elsewhere. Predictors following the
     * alias switch to the version within their refresh interval.
     *
     * @param name the model name
     * @param alias the alias, e.g. {@code champion}
     * @param version the version
     * @throws dev.kiln.NotFoundException if the version does not exist
     * @throws dev.kiln.PermissionDeniedException without MANAGE on the model
     */
    void setAlias(String name, String alias, long version);

    /**
     * Removes an alias.
     *
     * @param name the model name
     * @param alias the alias
     * @throws dev.kiln.NotFoundException if the alias is not set
     * @throws dev.kiln.PermissionDeniedException without MANAGE on the model
     */
    void removeAlias(String name, String alias);

    /**
     * Moves a version to an MLflow stage, kept on aliases (see {@link Stage}).
     *
     * @param name the model name
     * @param version the version
     * @param stage the stage
     * @throws dev.kiln.PermissionDeniedException without MANAGE on the model
     */
    void transitionStage(String name, long version, Stage stage);

    /**
     * Returns a version's MLflow stage, derived from its aliases and tags.
     *
     * @param name the model name
     * @param version the version
     * @return the stage
     */
    Stage stage(String name, long version);

    /**
     * Loads a model for scoring. For {@code models:/name@alias} the predictor follows the alias:
     * when it moves (in any process) the new version is loaded in the background and swapped in
     * atomically within the refresh interval (workspace property {@code models.follow.interval},
     * default {@code PT1S}); no call fails or waits during the swap. Such a predictor is an
     * {@link AliasPredictor}, which tells the version it serves. Loaded models are cached by URI
     * (workspace property {@code models.cache.size}, default 64).
     *
     * @param uri {@code models:/name/3}, {@code models:/name@alias} or {@code runs:/<run_id>/<path>}
     * <p>A {@code models:/} URI needs EXECUTE on the model. A {@code runs:/} URI needs READ on the
     * experiment of the run (whoever may read a run may read its artifacts, the model among them); a
     * run that experiment tracking does not know needs READ on the catalog. A refusal is audited.
     *
     * @return the predictor
     * @throws dev.kiln.PermissionDeniedException without EXECUTE on the model, or READ on the run's experiment
     * @throws dev.kiln.NotFoundException if the model, version, alias or artifact does not exist
     */
    default Predictor load(String uri) {
        return load(uri, PredictorOptions.defaults());
    }

    /**
     * Loads a model for scoring with options (see {@link #load(String)}).
     *
     * @param uri the model URI
     * @param options how to score
     * @return the predictor
     * @throws dev.kiln.PermissionDeniedException without EXECUTE on the model, or READ on the run's experiment
     * @throws dev.kiln.NotFoundException if the model, version, alias or artifact does not exist
     */
    Predictor load(String uri, PredictorOptions options);

    /**
     * Returns the lineage of a model version: back to its run, training set, spine, feature tables
     * and their source tables, each with the version that was read.
     *
     * @param uri {@code models:/name/3} or {@code models:/name@alias}
     * @return the upstream graph, rooted at the version
     * @throws dev.kiln.NotFoundException if the version does not exist
     * @throws dev.kiln.PermissionDeniedException without READ on the model
     */
    LineageGraph lineage(String uri);

    /**
     * Returns what a table was used for: the feature tables computed from it, the training sets,
     * runs and model versions that read it (directly or through a feature table).
     *
     * @param table a table or feature table name, {@code schema.table}
     * @return the downstream graph, rooted at the table (every version of it that was used)
     */
    LineageGraph downstream(String table);

    /**
     * Returns the model versions that used a table, directly or through a feature table.
     *
     * @param table a table or feature table name
     * @return the versions the caller may read, by model name and version
     */
    List<ModelVersion> versionsUsing(String table);
}
