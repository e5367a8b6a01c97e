package dev.sextant.plugins.decoders;

import dev.sextant.spi.decode.GeneratedSequence;
import dev.sextant.spi.decode.TextStreamer;
import dev.sextant.spi.decode.TokenListener;
import dev.sextant.spi.model.Tokenizer;
import java.util.List;
import java.util.Set;

/**
 * Streams the tokens of a sequence that is already final, as {@code StepDecoder} would have streamed
 * them one by one: the same deltas, the held-back tail released with the last token.
 */
final class Streaming {

    private Streaming() {
    }

    static void replay(TokenListener listener, int row, GeneratedSequence sequence, Tokenizer tokenizer,
            List<String> stopStrings, Set<Integer> eos) {
        TextStreamer streamer = new TextStreamer(tokenizer, stopStrings);
        int[] ids = sequence.tokenIds();
        for (int i = 0; i < ids.length; i++) {
            int token = ids[i];
            String delta;
            if (eos.contains(token)) {
                delta = streamer.finish();
            } else {
                delta = streamer.push(token);
                if (i == ids.length - 1 || streamer.stopped()) {
                    delta += streamer.finish();
                }
            }
            listener.onToken(row, token, delta);
        }
    }
}
