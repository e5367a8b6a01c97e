package dev.sextant.host.api;

import dev.sextant.spi.Progress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs head training progress of REST requests at the start and end of each stage. */
final class HeadsProgressLog {

    private static final Logger log = LoggerFactory.getLogger(HeadsProgressLog.class);

    private HeadsProgressLog() {
    }

    static Progress forPipeline(String pipeline) {
        return (stage, done, total) -> {
            if (done == 0 || done == total) {
                log.info("Heads of {}: {} {}/{}", pipeline, stage, done, total);
            }
        };
    }
}
