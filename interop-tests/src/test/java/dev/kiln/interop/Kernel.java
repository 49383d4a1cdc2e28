package dev.kiln.interop;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/** Reads a Delta table with delta-kernel-java's default engine, the way a kernel-based connector does. */
final class Kernel {
    private static final Engine ENGINE = DefaultEngine.create(new Configuration());

    private Kernel() {
    }

    static Table table(Path location) {
        return Table.forPath(ENGINE, location.toUri().toString());
    }

    static Snapshot latest(Path location) {
        return table(location).getLatestSnapshot(ENGINE);
    }

    static Snapshot atVersion(Path location, long version) {
        return table(location).getSnapshotAsOfVersion(ENGINE, version);
    }

    static Snapshot atTimestamp(Path location, long epochMillis) {
        return table(location).getSnapshotAsOfTimestamp(ENGINE, epochMillis);
    }

    static long timestamp(Snapshot snapshot) {
        return snapshot.getTimestamp(ENGINE);
    }

    /** Every row of a snapshot in canonical form, logical columns in schema order, sorted by the first column. */
    static List<List<Object>> rows(Snapshot snapshot) {
        Scan scan = snapshot.getScanBuilder().build();
        Row scanState = scan.getScanState(ENGINE);
        StructType logical = ScanStateRow.getLogicalSchema(scanState);
        StructType physical = ScanStateRow.getPhysicalDataReadSchema(scanState);
        List<List<Object>> out = new ArrayList<>();
        try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(ENGINE)) {
            while (files.hasNext()) {
                try (CloseableIterator<Row> fileRows = files.next().getRows()) {
                    while (fileRows.hasNext()) {
                        Row scanFile = fileRows.next();
                        FileStatus status = InternalScanFileUtils.getAddFileStatus(scanFile);
                        CloseableIterator<ColumnarBatch> physicalData = ENGINE.getParquetHandler()
                                .readParquetFiles(Utils.singletonCloseableIterator(status), physical, Optional.empty())
                                .map(FileReadResult::getData);
                        try (CloseableIterator<FilteredColumnarBatch> data = Scan.transformPhysicalData(ENGINE, scanState, scanFile, physicalData)) {
                            while (data.hasNext()) {
                                collect(data.next(), logical, out);
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Canon.sorted(out);
    }

    private static void collect(FilteredColumnarBatch batch, StructType logical, List<List<Object>> out) {
        ColumnarBatch data = batch.getData();
        List<ColumnVector> columns = new ArrayList<>();
        for (int c = 0; c < logical.length(); c++) {
            columns.add(data.getColumnVector(c));
        }
        Optional<ColumnVector> selection = batch.getSelectionVector();
        for (int r = 0; r < data.getSize(); r++) {
            if (selection.isPresent() && (selection.get().isNullAt(r) || !selection.get().getBoolean(r))) {
                continue;
            }
            out.add(Canon.kernelRow(columns, logical, r));
        }
    }
}
