package dev.sextant.host.api;

import java.util.List;

/**
 * The JSON body of every error response.
 *
 * @param status the HTTP status code
 * @param error a short machine-readable code, e.g. {@code unknown_pipeline}
 * @param message what went wrong and how to fix it
 * @param problems for invalid pipeline files, one {@code file:line:col: message} each
 */
public record ApiError(int status, String error, String message, List<String> problems) {

    public ApiError(int status, String error, String message) {
        this(status, error, message, List.of());
    }
}
