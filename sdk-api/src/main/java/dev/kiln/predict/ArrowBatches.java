package dev.kiln.predict;

import dev.kiln.SchemaMismatchException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FloatingPointVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Scores Arrow record batches. Only this class needs Arrow ({@code org.apache.arrow:arrow-vector})
 * on the class path; the rest of the predictor API does not.
 *
 * <p>Columns are matched to the model's features by name; a feature without a column is missing
 * in every row. Numeric, integer and boolean columns are read as float; nulls are missing;
 * string columns are accepted for categorical features whose category names the model records.
 */
public final class ArrowBatches {

    private ArrowBatches() {
    }

    /**
     * Scores every row of a batch.
     *
     * @param predictor the predictor
     * @param batch the rows, one column per feature name
     * @return the outputs, row-major (as {@link Predictor#predictBatch(float[], int)})
     * @throws SchemaMismatchException if a matched column has an unsupported type, or a string
     *     column feeds a numeric feature
     */
    public static float[] predict(Predictor predictor, VectorSchemaRoot batch) {
        Signature s = predictor.signature();
        int rows = batch.getRowCount();
        int width = s.width();
        float[] data = new float[Math.multiplyExact(rows, width)];
        java.util.Arrays.fill(data, Float.NaN);
        List<Feature> features = s.features();
        for (Feature f : features) {
            FieldVector v = batch.getVector(f.name());
            if (v == null) {
                continue;
            }
            int j = f.index();
            if (v instanceof FloatingPointVector fp) {
                for (int r = 0; r < rows; r++) {
                    if (!v.isNull(r)) {
                        data[r * width + j] = (float) fp.getValueAsDouble(r);
                    }
                }
            } else if (v instanceof BaseIntVector iv) {
                for (int r = 0; r < rows; r++) {
                    if (!v.isNull(r)) {
                        data[r * width + j] = (float) iv.getValueAsLong(r);
                    }
                }
            } else if (v instanceof BitVector bv) {
                for (int r = 0; r < rows; r++) {
                    if (!v.isNull(r)) {
                        data[r * width + j] = bv.get(r);
                    }
                }
            } else if (v instanceof VarCharVector sv) {
                if (f.type() != FeatureType.CATEGORICAL || f.categories().isEmpty()) {
                    throw new SchemaMismatchException("Column '" + f.name() + "' holds strings but feature '"
                            + f.name() + "' is not categorical with category names in the model.");
                }
                Map<String, Integer> codes = new HashMap<>();
                for (int i = 0; i < f.categories().size(); i++) {
                    codes.putIfAbsent(f.categories().get(i), i);
                }
                for (int r = 0; r < rows; r++) {
                    if (!v.isNull(r)) {
                        String name = new String(sv.get(r), StandardCharsets.UTF_8);
                        Integer code = codes.get(name);
                        if (code == null) {
                            throw new SchemaMismatchException("Category '" + name + "' in row " + r
                                    + " is not a category of feature '" + f.name() + "'.");
                        }
                        data[r * width + j] = code;
                    }
                }
            } else {
                throw new SchemaMismatchException("Column '" + f.name() + "' has Arrow type "
                        + v.getField().getType() + "; use a numeric, boolean or string column.");
            }
        }
        return predictor.predictBatch(data, rows);
    }
}
