package dev.kiln.serving;

import dev.kiln.InvalidArgumentException;
import dev.kiln.Kiln;
import dev.kiln.features.FeatureLookup;
import dev.kiln.features.KeyedPredictors;
import dev.kiln.models.AliasPredictor;
import dev.kiln.models.FeatureTableLineage;
import dev.kiln.models.ModelUri;
import dev.kiln.models.ModelVersion;
import dev.kiln.predict.KeyedPredictor;
import dev.kiln.predict.Predictor;
import java.util.List;

/**
 * One model the server scores, by registry URI. An alias URI is followed through the registry's own
 * mechanism ({@link AliasPredictor}); each request pins one version and scores with it, so the
 * version named in the response is the one that answered.
 */
final class ServedModel implements AutoCloseable {
    private final Kiln kiln;
    private final String name;
    private final ModelUri uri;
    private final Predictor predictor;
    private final AliasPredictor.Pinned fixed;
    private volatile Keyed keyed;
    private Keyed retired;
    private volatile InputLayout layout;

    /** A by-key predictor bound to the feature lookups of one version. */
    private record Keyed(long version, KeyedPredictor predictor) {
    }

    ServedModel(Kiln kiln, String uri) {
        this.kiln = kiln;
        this.uri = ModelUri.parse(uri);
        if (this.uri.kind() == ModelUri.Kind.RUN) {
            throw new InvalidArgumentException("Serve a registered model (models:/name@alias or models:/name/3), not the run artifact "
                    + uri + ": register it first with `kiln models register`.");
        }
        this.name = this.uri.name();
        this.predictor = kiln.models().load(this.uri.toString());
        this.fixed = predictor instanceof AliasPredictor ? null
                : new AliasPredictor.Pinned(kiln.models().resolve(this.uri.toString()).version(), predictor);
    }

    String name() {
        return name;
    }

    ModelUri uri() {
        return uri;
    }

    /** The version served now and a predictor of exactly that version. */
    AliasPredictor.Pinned pinned() {
        return predictor instanceof AliasPredictor alias ? alias.pinned() : fixed;
    }

    /** The request layout of a pinned version's signature, rebuilt only when the version's signature differs. */
    InputLayout layout(AliasPredictor.Pinned pinned) {
        InputLayout l = layout;
        if (l == null || l.signature != pinned.predictor().signature()) {
            l = new InputLayout(pinned.predictor().signature());
            layout = l;
        }
        return l;
    }

    /**
     * Returns a predictor that fetches this version's features by entity key from online stores
     * over the feature tables recorded in the version's lineage, binding it on first use. Requests
     * of the current version take no lock; the binding of the version before is closed only at the
     * next rebinding, so requests still using it finish.
     */
    KeyedPredictor keyed(AliasPredictor.Pinned pinned) {
        Keyed k = keyed;
        if (k != null && k.version() == pinned.version()) {
            return k.predictor();
        }
        return rebind(pinned);
    }

    /** Applies new feature-table versions to the by-key binding, if there is one; returns the keys changed. */
    synchronized long refreshFeatures() {
        return keyed == null ? 0 : keyed.predictor().refresh();
    }

    private synchronized KeyedPredictor rebind(AliasPredictor.Pinned pinned) {
        if (keyed != null && keyed.version() == pinned.version()) {
            return keyed.predictor();
        }
        ModelVersion version = kiln.models().version(name, pinned.version());
        List<FeatureLookup> lookups = version.lineage().featureTables().stream()
                .map(FeatureTableLineage::table).map(t -> FeatureLookup.builder(t.name()).build()).toList();
        if (lookups.isEmpty()) {
            throw new HttpFailure(400, "INVALID_PARAMETER_VALUE", "Version " + pinned.version() + " of model '" + name
                    + "' records no feature tables in its lineage, so it cannot be scored by key; send the features "
                    + "to /models/" + name + "/invocations, or register the version with its training lineage.");
        }
        KeyedPredictor next = KeyedPredictors.bind(kiln.features(), pinned.predictor(), lookups);
        if (retired != null) {
            retired.predictor().close();
        }
        retired = keyed;
        keyed = new Keyed(pinned.version(), next);
        return next;
    }

    @Override
    public synchronized void close() {
        for (Keyed k : new Keyed[] {keyed, retired}) {
            if (k != null) {
                k.predictor().close();
            }
        }
        keyed = null;
        retired = null;
    }
}
