package dev.kiln.xgboost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.predict.ArrowBatches;
import dev.kiln.predict.Predictor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

/** Absent sparse entries are missing (against an XGBoost4J CSR matrix), and Arrow batches score like rows. */
class SparseAndArrowTest {

    @Test
    void absentSparseEntriesAreMissing() throws Exception {
        Fixtures.Trained t = Fixtures.train("binary:logistic", "gbtree", 8, Map.of(), false, 44);
        Booster oracle = XGBoost.loadModel(t.json());
        Predictor p = Predictor.load(t.json());
        int n = 100;
        List<Long> heads = new ArrayList<>(List.of(0L));
        List<Integer> cols = new ArrayList<>();
        List<Float> vals = new ArrayList<>();
        List<int[]> rowIdx = new ArrayList<>();
        List<float[]> rowVal = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            List<Integer> ci = new ArrayList<>();
            for (int j = 0; j < Fixtures.COLS; j++) {
                float v = t.x()[r * Fixtures.COLS + j];
                if ((r + j) % 3 != 0 && !Float.isNaN(v)) { // a third of the entries absent
                    cols.add(j);
                    vals.add(v);
                    ci.add(j);
                }
            }
            heads.add((long) cols.size());
            rowIdx.add(ci.stream().mapToInt(Integer::intValue).toArray());
            float[] rv = new float[ci.size()];
            for (int k = 0; k < rv.length; k++) {
                rv[k] = t.x()[r * Fixtures.COLS + ci.get(k)];
            }
            rowVal.add(rv);
        }
        float[] data = new float[vals.size()];
        for (int k = 0; k < data.length; k++) {
            data[k] = vals.get(k);
        }
        DMatrix csr = new DMatrix(heads.stream().mapToLong(Long::longValue).toArray(),
                cols.stream().mapToInt(Integer::intValue).toArray(), data, DMatrix.SparseType.CSR, Fixtures.COLS);
        float[][] expected = oracle.predict(csr, true);
        csr.dispose();
        Predictor margins = p.withOptions(p.options().toBuilder().outputMargin(true).build());
        float[] out = new float[1];
        for (int r = 0; r < n; r++) {
            margins.predictSparse(rowIdx.get(r), rowVal.get(r), out);
            assertThat(Float.floatToIntBits(out[0])).as("row %d", r).isEqualTo(Float.floatToIntBits(expected[r][0]));
        }
        oracle.dispose();
    }

    @Test
    void arrowBatchesScoreLikeRows() throws Exception {
        Fixtures.Trained t = Fixtures.train("multi:softprob", "gbtree", 5, Map.of(), true, 45);
        Predictor p = Predictor.load(t.ubj());
        int n = 64;
        try (BufferAllocator alloc = new RootAllocator();
                Float4Vector f0 = new Float4Vector("f0", alloc);
                Float8Vector f1 = new Float8Vector("f1", alloc);
                Float4Vector f2 = new Float4Vector("f2", alloc);
                Float4Vector f3 = new Float4Vector("f3", alloc);
                IntVector f5 = new IntVector("f5", alloc)) {
            List<FieldVector> vectors = List.of(f0, f1, f2, f3, f5); // f4 absent: missing everywhere
            for (FieldVector v : vectors) {
                v.allocateNew();
            }
            float[] rows = new float[n * Fixtures.COLS];
            for (int r = 0; r < n; r++) {
                float[] x = t.x();
                int b = r * Fixtures.COLS;
                f0.setSafe(r, x[b]);
                if (Float.isNaN(x[b + 1])) {
                    f1.setNull(r);
                } else {
                    f1.setSafe(r, x[b + 1]);
                }
                f2.setSafe(r, x[b + 2]);
                f3.setSafe(r, x[b + 3]);
                f5.setSafe(r, (int) x[b + 5]);
                System.arraycopy(x, b, rows, b, Fixtures.COLS);
                rows[b + 1] = (float) (double) rows[b + 1];
                rows[b + 4] = Float.NaN;
            }
            for (FieldVector v : vectors) {
                v.setValueCount(n);
            }
            VectorSchemaRoot root = new VectorSchemaRoot(vectors);
            float[] fromArrow = ArrowBatches.predict(p, root);
            assertThat(fromArrow).isEqualTo(p.predictBatch(rows, n));
        }
    }
}
