package dev.kiln.serving;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Reads an Open Inference Protocol v2 request ({@code POST /v2/models/{name}/infer}) into rows.
 * Two shapes are accepted: one tensor of shape {@code [rows, width]} holding every input in model
 * order (its name is free), or one tensor per input, named after it, of shape {@code [rows]} or
 * {@code [rows, 1]}. {@code data} may be flat (row-major) or nested; {@code BYTES} tensors carry
 * category names.
 */
final class InferenceInput {
    private static final Set<String> DATATYPES = Set.of("BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64",
            "FP16", "FP32", "FP64", "BYTES");

    /** The decoded rows and the request id to echo. */
    record Request(Batch batch, String id) {
    }

    private InferenceInput() {
    }

    static Request read(byte[] body, InputLayout layout, int maxRows) {
        JsonNode root = MlflowInput.parse(body);
        JsonNode inputs = root.get("inputs");
        if (!root.isObject() || inputs == null || !inputs.isArray() || inputs.isEmpty()) {
            throw new HttpFailure(400, "MALFORMED_REQUEST", "An inference request needs 'inputs': a list of tensors, each with "
                    + "'name', 'shape', 'datatype' and 'data'.");
        }
        String id = root.hasNonNull("id") ? root.get("id").asText() : null;
        List<Tensor> tensors = new ArrayList<>();
        inputs.forEach(t -> tensors.add(Tensor.of(t)));
        Batch batch = tensors.size() == 1 && tensors.get(0).shape.length == 2 && tensors.get(0).shape[1] == layout.width
                && !(layout.width == 1 && isInput(tensors.get(0).name, layout))
                ? whole(tensors.get(0), layout, maxRows) : perInput(tensors, layout, maxRows);
        return new Request(batch, id);
    }

    private static boolean isInput(String name, InputLayout layout) {
        return layout.signature.features().stream().anyMatch(f -> f.name().equals(name));
    }

    private static Batch whole(Tensor t, InputLayout layout, int maxRows) {
        int rows = (int) t.shape[0];
        MlflowInput.checkRows(rows, maxRows);
        float[] values = new float[rows * layout.width];
        for (int i = 0; i < values.length; i++) {
            values[i] = MlflowInput.value(t.data.get(i), layout, i % layout.width, i / layout.width);
        }
        return new Batch(values, rows);
    }

    private static Batch perInput(List<Tensor> tensors, InputLayout layout, int maxRows) {
        long rows = -1;
        boolean[] seen = new boolean[layout.width];
        int[] positions = new int[tensors.size()];
        for (int k = 0; k < tensors.size(); k++) {
            Tensor t = tensors.get(k);
            if (t.shape.length > 2 || (t.shape.length == 2 && t.shape[1] != 1)) {
                throw new HttpFailure(400, "INVALID_PARAMETER_VALUE", "Tensor '" + t.name + "' has shape " + Arrays.toString(t.shape)
                        + "; send one tensor of shape [rows, " + layout.width + "] with every input in model order, "
                        + "or one tensor per input, named after it, of shape [rows].");
            }
            positions[k] = layout.position(t.name);
            if (seen[positions[k]]) {
                throw new HttpFailure(400, "INVALID_PARAMETER_VALUE", "Input '" + t.name + "' is sent twice.");
            }
            seen[positions[k]] = true;
            if (rows >= 0 && t.shape[0] != rows) {
                throw new HttpFailure(400, "INVALID_PARAMETER_VALUE", "Tensor '" + t.name + "' has " + t.shape[0]
                        + " rows but the tensors before it have " + rows + ".");
            }
            rows = t.shape[0];
        }
        List<String> absent = new ArrayList<>();
        for (int p = 0; p < seen.length; p++) {
            if (!seen[p]) {
                absent.add(layout.feature(p).name());
            }
        }
        if (!absent.isEmpty()) {
            throw new HttpFailure(400, "INVALID_PARAMETER_VALUE", "The request lacks a tensor for " + absent.size() + " input(s): "
                    + (absent.size() > 10 ? absent.subList(0, 10) + "..." : absent) + ".");
        }
        MlflowInput.checkRows((int) rows, maxRows);
        float[] values = new float[(int) rows * layout.width];
        for (int k = 0; k < tensors.size(); k++) {
            List<JsonNode> data = tensors.get(k).data;
            for (int r = 0; r < rows; r++) {
                values[r * layout.width + positions[k]] = MlflowInput.value(data.get(r), layout, positions[k], r);
            }
        }
        return new Batch(values, (int) rows);
    }

    /** One input tensor, its data flattened row-major. */
    private record Tensor(String name, long[] shape, List<JsonNode> data) {
        static Tensor of(JsonNode t) {
            if (!t.isObject() || !t.path("name").isTextual() || !t.path("shape").isArray() || !t.path("datatype").isTextual()
                    || !t.has("data")) {
                throw new HttpFailure(400, "MALFORMED_REQUEST", "Each input tensor needs 'name', 'shape', 'datatype' and 'data'.");
            }
            String name = t.get("name").asText();
            String datatype = t.get("datatype").asText();
            if (!DATATYPES.contains(datatype)) {
                throw new HttpFailure(400, "INVALID_PARAMETER_VALUE", "Tensor '" + name + "' has datatype '" + datatype
                        + "'; use one of " + DATATYPES + ".");
            }
            long[] shape = new long[t.get("shape").size()];
            long count = 1;
            for (int i = 0; i < shape.length; i++) {
                JsonNode d = t.get("shape").get(i);
                if (!d.canConvertToLong() || d.asLong() < 0) {
                    throw new HttpFailure(400, "INVALID_PARAMETER_VALUE", "Tensor '" + name + "' has a shape that is not a list of sizes.");
                }
                shape[i] = d.asLong();
                count *= shape[i];
            }
            if (shape.length == 0) {
                throw new HttpFailure(400, "INVALID_PARAMETER_VALUE", "Tensor '" + name + "' needs a shape such as [rows] or [rows, width].");
            }
            List<JsonNode> data = new ArrayList<>();
            flatten(t.get("data"), data);
            if (data.size() != count) {
                throw new HttpFailure(400, "INVALID_PARAMETER_VALUE", "Tensor '" + name + "' has shape " + Arrays.toString(shape)
                        + " (" + count + " values) but " + data.size() + " values of data.");
            }
            return new Tensor(name, shape, data);
        }

        private static void flatten(JsonNode node, List<JsonNode> out) {
            if (node.isArray()) {
                node.forEach(n -> flatten(n, out));
            } else {
                out.add(node);
            }
        }
    }
}
