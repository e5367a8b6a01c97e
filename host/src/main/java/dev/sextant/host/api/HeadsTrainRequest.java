package dev.sextant.host.api;

/** Body of {@code POST /api/pipelines/{name}/heads/train}; optional. */
record HeadsTrainRequest(Boolean retrain) {
}
