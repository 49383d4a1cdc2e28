package dev.kiln.serving;

import dev.kiln.predict.Feature;
import dev.kiln.predict.FeatureType;
import dev.kiln.predict.Signature;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A model signature prepared for reading requests: feature positions by name and category codes by
 * name, built once per served version rather than per request.
 */
final class InputLayout {
    final Signature signature;
    final int width;
    private final Map<String, Integer> positions;
    private final List<Map<String, Integer>> categoryCodes;

    InputLayout(Signature signature) {
        this.signature = signature;
        this.width = signature.width();
        this.positions = signature.index();
        this.categoryCodes = signature.features().stream().map(InputLayout::codes).toList();
    }

    private static Map<String, Integer> codes(Feature f) {
        Map<String, Integer> codes = new HashMap<>();
        for (int i = 0; i < f.categories().size(); i++) {
            codes.putIfAbsent(f.categories().get(i), i);
        }
        return codes;
    }

    /** The position of a named input, or a 400 naming the model's inputs. */
    int position(String column) {
        Integer p = positions.get(column);
        if (p == null) {
            throw new HttpFailure(400, "INVALID_PARAMETER_VALUE", "Column '" + column + "' is not an input of the model; its inputs are "
                    + preview() + ".");
        }
        return p;
    }

    Feature feature(int position) {
        return signature.features().get(position);
    }

    /** A category name as the model's code for it, or a 400 saying why the text does not fit. */
    float categoryCode(int position, String text) {
        Feature f = feature(position);
        if (f.type() != FeatureType.CATEGORICAL) {
            throw new HttpFailure(400, "INVALID_PARAMETER_VALUE", "Input '" + f.name() + "' is numeric but got the string '"
                    + abbreviate(text) + "'; send a number, or null for a missing value.");
        }
        Integer code = categoryCodes.get(position).get(text);
        if (code == null) {
            throw new HttpFailure(400, "INVALID_PARAMETER_VALUE", categoryCodes.get(position).isEmpty()
                    ? "Categorical input '" + f.name() + "' has no category names in the model; send the category code as a number."
                    : "Category '" + abbreviate(text) + "' is not one of the " + categoryCodes.get(position).size()
                            + " categories of input '" + f.name() + "' the model was trained with.");
        }
        return code;
    }

    String preview() {
        List<String> names = signature.features().stream().limit(20).map(Feature::name).toList();
        return width > 20 ? names + " and " + (width - 20) + " more" : names.toString();
    }

    static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
