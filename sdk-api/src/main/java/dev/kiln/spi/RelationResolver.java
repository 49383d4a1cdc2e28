package dev.kiln.spi;

import dev.kiln.lakehouse.Snapshot;
import java.util.Map;

/**
 * Rewrites lakehouse SQL so a backend can run it: each table reference ({@code schema.table}, with
 * an optional {@code VERSION AS OF n} or {@code TIMESTAMP AS OF '...'}) becomes a plain relation
 * name bound to the snapshot it means.
 */
public interface RelationResolver {

    /**
     * Resolves the table references of a query.
     *
     * @param sql the query as the user wrote it
     * @return the rewritten query and its relations
     * @throws dev.kiln.NotFoundException if a referenced table or version does not exist
     */
    ResolvedSql resolve(String sql);

    /**
     * A query whose table references were replaced by relation names.
     *
     * @param sql the rewritten query
     * @param relations relation name to the snapshot it stands for
     */
    record ResolvedSql(String sql, Map<String, Snapshot> relations) {
        /**
         * Copies the map.
         *
         * @param sql the rewritten query
         * @param relations the relations
         */
        public ResolvedSql {
            relations = Map.copyOf(relations);
        }
    }
}
