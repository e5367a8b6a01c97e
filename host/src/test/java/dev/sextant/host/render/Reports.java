package dev.sextant.host.render;

import dev.sextant.host.pipeline.AttributionReport;
import dev.sextant.spi.attribution.Attribution;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Hand-made attribution reports for renderer tests. */
final class Reports {

    private Reports() {
    }

    /**
     * A report whose text is the tokens joined, the last {@code rows} tokens generated and explained,
     * with {@code scores[r][c]} for the columns before each row's token.
     */
    static AttributionReport of(List<String> tokens, int rows, float[][] scores, List<String> warnings) {
        int[] starts = new int[tokens.size()];
        int[] ends = new int[tokens.size()];
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < tokens.size(); i++) {
            starts[i] = text.length();
            text.append(tokens.get(i));
            ends[i] = text.length();
        }
        int inputLength = tokens.size() - rows;
        float[][] full = new float[rows][tokens.size()];
        for (int r = 0; r < rows; r++) {
            Arrays.fill(full[r], Float.NaN);
            System.arraycopy(scores[r], 0, full[r], 0, inputLength + r);
        }
        float[] probabilities = new float[rows];
        Arrays.fill(probabilities, 0.5f);
        float[] entropies = new float[rows];
        Arrays.fill(entropies, 1.25f);
        Attribution attribution = new Attribution("test-method", Map.of("seed", 42L, "run", Map.of("model_calls", 3)),
                text.toString(), tokens, starts, ends, inputLength, 0, full, probabilities, entropies, warnings);
        return AttributionReport.of(attribution, List.of());
    }
}
