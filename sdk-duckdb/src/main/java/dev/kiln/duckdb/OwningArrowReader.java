package dev.kiln.duckdb;

import java.io.IOException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Hands out DuckDB's Arrow batches as they are (its own root, no re-loading) and, when closed, also
 * closes the result set, statement and connection they came from, so a caller has one thing to close.
 */
final class OwningArrowReader extends ArrowReader {
    private final ArrowReader source;
    private final AutoCloseable[] owned;

    OwningArrowReader(ArrowReader source, BufferAllocator allocator, AutoCloseable... owned) {
        super(allocator);
        this.source = source;
        this.owned = owned;
    }

    @Override
    public VectorSchemaRoot getVectorSchemaRoot() throws IOException {
        return source.getVectorSchemaRoot();
    }

    @Override
    public boolean loadNextBatch() throws IOException {
        return source.loadNextBatch();
    }

    @Override
    public long bytesRead() {
        return source.bytesRead();
    }

    @Override
    protected void closeReadSource() throws IOException {
        // DuckDB releases the C stream behind its reader itself once exhausted; closing it again only fails
        Sql.closeQuietly(source);
        for (AutoCloseable closeable : owned) {
            Sql.closeQuietly(closeable);
        }
    }

    @Override
    protected Schema readSchema() throws IOException {
        return source.getVectorSchemaRoot().getSchema();
    }
}
