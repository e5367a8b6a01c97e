package dev.sextant.plugins.decoders;

/** Divides scores by a temperature: below 1 sharpens the distribution, above 1 flattens it. */
record TemperatureWarper(double temperature) implements LogitsWarper {

    TemperatureWarper {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be > 0, was " + temperature);
        }
    }

    @Override
    public void warp(float[] scores) {
        for (int i = 0; i < scores.length; i++) {
            scores[i] = (float) (scores[i] / temperature);
        }
    }

    @Override
    public String toString() {
        return "temperature=" + temperature;
    }
}
