package dev.kiln.models;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A lineage graph: nodes (tables, feature tables, spines, training sets, runs, model versions, each
 * at a version) and edges pointing the way data flowed, from an input to what was made from it.
 *
 * <pre>{@code
 * LineageGraph g = kiln.models().lineage("models:/churn@champion");
 * System.out.println(g.toText());   // indented tree, back to the source tables
 * Files.writeString(Path.of("lineage.dot"), g.toDot());
 * }</pre>
 *
 * @param root the node the graph was built from
 * @param upstream true if the graph goes back from a model version to its inputs, false if it goes
 *     forward from a table to what used it
 * @param nodes every node, root first
 * @param edges every edge, from input to output
 */
public record LineageGraph(Node root, boolean upstream, List<Node> nodes, List<Edge> edges) {

    /** The kinds of nodes. */
    public enum NodeType {
        /** A lakehouse table. */
        TABLE,
        /** A feature table. */
        FEATURE_TABLE,
        /** The spine of a training set: entity keys, timestamps and labels. */
        SPINE,
        /** A training set. */
        TRAINING_SET,
        /** An experiment run. */
        RUN,
        /** A registered model version. */
        MODEL_VERSION
    }

    /**
     * A node.
     *
     * @param type what it is
     * @param name its name (table name, run id, model name, training set name)
     * @param version its version (table version or model version), or -1 when it has none
     */
    public record Node(NodeType type, String name, long version) {
        /**
         * Returns a stable identifier, e.g. {@code table:sales.orders@3}.
         *
         * @return the identifier
         */
        public String id() {
            return type.name().toLowerCase(java.util.Locale.ROOT) + ":" + name + (version >= 0 ? "@" + version : "");
        }

        /**
         * Returns a label for people, e.g. {@code feature_table fs.customer v2}.
         *
         * @return the label
         */
        public String label() {
            String v = version < 0 ? "" : (type == NodeType.MODEL_VERSION ? " version " : " v") + version;
            return type.name().toLowerCase(java.util.Locale.ROOT) + " " + name + v;
        }
    }

    /**
     * An edge: {@code from} was used to make {@code to}.
     *
     * @param from the input
     * @param to what was made from it
     */
    public record Edge(Node from, Node to) {
    }

    /**
     * Copies the lists.
     *
     * @param root the starting node
     * @param upstream the direction
     * @param nodes the nodes
     * @param edges the edges
     */
    public LineageGraph {
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
    }

    /**
     * Returns the nodes of one type.
     *
     * @param type the node type
     * @return those nodes, in graph order
     */
    public List<Node> nodes(NodeType type) {
        return nodes.stream().filter(n -> n.type() == type).toList();
    }

    /**
     * Returns the direct inputs of a node.
     *
     * @param node the node
     * @return the nodes with an edge to it
     */
    public List<Node> inputsOf(Node node) {
        return edges.stream().filter(e -> e.to().equals(node)).map(Edge::from).toList();
    }

    /**
     * Returns what was made directly from a node.
     *
     * @param node the node
     * @return the nodes it has an edge to
     */
    public List<Node> outputsOf(Node node) {
        return edges.stream().filter(e -> e.from().equals(node)).map(Edge::to).toList();
    }

    /**
     * Renders the graph as an indented tree from the root (inputs below the node for an upstream
     * graph, uses below it for a downstream one).
     *
     * @return the text, one node per line
     */
    public String toText() {
        StringBuilder out = new StringBuilder();
        text(root, 0, new HashSet<>(), out);
        return out.toString();
    }

    private void text(Node node, int depth, Set<Node> path, StringBuilder out) {
        out.append("  ".repeat(depth)).append(depth == 0 ? "" : (upstream ? "<- " : "-> ")).append(node.label()).append('\n');
        if (!path.add(node)) {
            return;
        }
        for (Node next : upstream ? inputsOf(node) : outputsOf(node)) {
            text(next, depth + 1, path, out);
        }
        path.remove(node);
    }

    /**
     * Renders the graph in Graphviz DOT, edges pointing the way data flowed.
     *
     * @return a {@code digraph} document
     */
    public String toDot() {
        StringBuilder out = new StringBuilder("digraph lineage {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n");
        Map<NodeType, String> shapes = new LinkedHashMap<>();
        shapes.put(NodeType.TABLE, "cylinder");
        shapes.put(NodeType.FEATURE_TABLE, "box3d");
        shapes.put(NodeType.SPINE, "cylinder");
        shapes.put(NodeType.TRAINING_SET, "folder");
        shapes.put(NodeType.RUN, "ellipse");
        shapes.put(NodeType.MODEL_VERSION, "box");
        for (Node n : nodes) {
            out.append("  ").append(quote(n.id())).append(" [label=").append(quote(n.label())).append(", shape=")
                    .append(shapes.get(n.type())).append(n.equals(root) ? ", style=bold" : "").append("];\n");
        }
        for (Edge e : edges) {
            out.append("  ").append(quote(e.from().id())).append(" -> ").append(quote(e.to().id())).append(";\n");
        }
        return out.append("}\n").toString();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /**
     * Builds graphs node by node, ignoring duplicates; not thread-safe.
     */
    public static final class Builder {
        private final Node root;
        private final boolean upstream;
        private final Set<Node> nodeSet = new HashSet<>();
        private final List<Node> nodes = new ArrayList<>();
        private final Set<Edge> edgeSet = new HashSet<>();
        private final List<Edge> edges = new ArrayList<>();

        /**
         * Starts a graph.
         *
         * @param root the starting node
         * @param upstream the direction
         */
        public Builder(Node root, boolean upstream) {
            this.root = root;
            this.upstream = upstream;
            node(root);
        }

        /**
         * Adds a node.
         *
         * @param node the node
         * @return this builder
         */
        public Builder node(Node node) {
            if (nodeSet.add(node)) {
                nodes.add(node);
            }
            return this;
        }

        /**
         * Adds an edge and its nodes.
         *
         * @param from the input
         * @param to what was made from it
         * @return this builder
         */
        public Builder edge(Node from, Node to) {
            node(from);
            node(to);
            Edge e = new Edge(from, to);
            if (edgeSet.add(e)) {
                edges.add(e);
            }
            return this;
        }

        /**
         * Builds the graph.
         *
         * @return the graph
         */
        public LineageGraph build() {
            return new LineageGraph(root, upstream, nodes, edges);
        }
    }
}
