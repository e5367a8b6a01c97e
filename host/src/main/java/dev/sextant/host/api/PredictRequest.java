package dev.sextant.host.api;

import java.util.List;

/** Body of {@code POST /api/pipelines/{name}/predict}. */
record PredictRequest(List<String> texts) {

    /** The most texts one request may carry, so one request cannot hold the encoder for minutes. */
    static final int MAX_TEXTS = 1024;
}
