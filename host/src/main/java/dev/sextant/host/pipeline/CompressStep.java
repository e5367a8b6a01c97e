package dev.sextant.host.pipeline;

import dev.sextant.spi.ComponentContext;
import dev.sextant.spi.SextantException;
import dev.sextant.spi.compress.Budget;
import dev.sextant.spi.compress.Compression;
import dev.sextant.spi.compress.CompressionRequest;
import dev.sextant.spi.compress.Compressor;
import java.util.Set;

/**
 * Shrinks the {@code prompt} slot with a compressor before a later step reads it: the part between
 * {@code keep-until} and {@code keep-from} is compressed; what comes before (a template's
 * {@code context :}) is kept, and what comes after (the question) is kept and passed to the
 * compressor as the question. Writes {@code prompt} and {@code compression}, a
 * {@link CompressionReport}.
 */
public final class CompressStep implements Step {

    /** The {@code compress} step type. */
    public static final StepType<CompressConfig> TYPE = new StepType<>() {
        @Override
        public String name() {
            return "compress";
        }

        @Override
        public String description() {
            return "Shrink the prompt with a compressor (LLMLingua-2 style tagging, self-information, ...) to a"
                    + " budget.";
        }

        @Override
        public Class<CompressConfig> configType() {
            return CompressConfig.class;
        }

        @Override
        public Set<String> writes() {
            return Set.of(RunContext.PROMPT, RunContext.COMPRESSION);
        }

        @Override
        public Step create(CompressConfig config, ComponentContext components) throws SextantException {
            return new CompressStep(config, components.component(config.compressor(), Compressor.class));
        }
    };

    private final CompressConfig config;
    private final Compressor compressor;

    CompressStep(CompressConfig config, Compressor compressor) {
        this.config = config;
        this.compressor = compressor;
    }

    @Override
    public String type() {
        return TYPE.name();
    }

    @Override
    public void run(RunContext context) throws SextantException {
        String prompt = String.valueOf(context.slot(RunContext.PROMPT));
        int from = config.keepUntil().isEmpty() ? -1 : prompt.indexOf(config.keepUntil());
        String head = from < 0 ? "" : prompt.substring(0, from + config.keepUntil().length());
        String rest = prompt.substring(head.length());
        int cut = config.keepFrom().isEmpty() ? -1 : rest.indexOf(config.keepFrom());
        String body = cut < 0 ? rest : rest.substring(0, cut);
        String tail = cut < 0 ? "" : rest.substring(cut);
        // the kept head's trailing space stays with it
        int lead = 0;
        while (lead < body.length() && Character.isWhitespace(body.charAt(lead))) {
            lead++;
        }
        head += body.substring(0, lead);
        body = body.substring(lead);
        Budget budget = config.budget();
        Compression compression = compressor.compress(new CompressionRequest(body, tail.isEmpty() ? null : tail,
                budget, context.limits()));
        String compressed = compression.text();
        context.put(RunContext.PROMPT, head + compressed + separator(body, compressed, tail) + tail);
        context.put(RunContext.COMPRESSION, CompressionReport.of(config.compressor(), budget.toString(), head, body,
                tail, compression));
    }

    /** A space where the body ended in whitespace that the compressor dropped, so the tail does not stick to it. */
    private static String separator(String body, String compressed, String tail) {
        boolean bodySpaced = !body.isEmpty() && Character.isWhitespace(body.charAt(body.length() - 1));
        boolean joined = compressed.isEmpty() || Character.isWhitespace(compressed.charAt(compressed.length() - 1))
                || tail.isEmpty() || Character.isWhitespace(tail.charAt(0));
        return bodySpaced && !joined ? " " : "";
    }
}
