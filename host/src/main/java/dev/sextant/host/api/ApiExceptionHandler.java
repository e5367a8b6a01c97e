package dev.sextant.host.api;

import dev.sextant.host.pipeline.PipelineUnavailableException;
import dev.sextant.host.pipeline.UnknownPipelineException;
import dev.sextant.spi.CancelledException;
import dev.sextant.spi.ConfigException;
import dev.sextant.spi.InputException;
import dev.sextant.spi.SextantException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Maps every failure to a JSON {@link ApiError} with the right status; never a stack trace. */
@RestControllerAdvice
class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(UnknownPipelineException.class)
    ResponseEntity<ApiError> unknownPipeline(UnknownPipelineException e) {
        return error(HttpStatus.NOT_FOUND, "unknown_pipeline", e.getMessage());
    }

    @ExceptionHandler({InputException.class, ConfigException.class})
    ResponseEntity<ApiError> badInput(SextantException e) {
        return error(HttpStatus.BAD_REQUEST, "invalid_input", e.getMessage());
    }

    @ExceptionHandler(PipelineUnavailableException.class)
    ResponseEntity<ApiError> unavailable(PipelineUnavailableException e) {
        return error(HttpStatus.SERVICE_UNAVAILABLE, "pipeline_unavailable", e.getMessage());
    }

    @ExceptionHandler(CancelledException.class)
    ResponseEntity<ApiError> cancelled(CancelledException e) {
        return error(HttpStatus.GATEWAY_TIMEOUT, "stopped", e.getMessage());
    }

    @ExceptionHandler(SextantException.class)
    ResponseEntity<ApiError> failed(SextantException e) {
        log.error("Pipeline run failed: {}", e.getMessage());
        return error(HttpStatus.INTERNAL_SERVER_ERROR, "run_failed", e.getMessage());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ApiError> unreadable(HttpMessageNotReadableException e) {
        return error(HttpStatus.BAD_REQUEST, "malformed_body",
                "the request body must be JSON like {\"input\": \"some text\"}: " + firstLine(e.getMessage()));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ApiError> mediaType(HttpMediaTypeNotSupportedException e) {
        return error(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                "send the body as Content-Type: application/json");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ApiError> method(HttpRequestMethodNotSupportedException e) {
        return error(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed", e.getMessage());
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ApiError> notFound(NoResourceFoundException e) {
        return error(HttpStatus.NOT_FOUND, "not_found", "no such endpoint: /" + e.getResourcePath());
    }

    @ExceptionHandler(RuntimeException.class)
    ResponseEntity<ApiError> unexpected(RuntimeException e) {
        log.error("Unexpected error", e);
        return error(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error",
                "unexpected error: " + e.getClass().getSimpleName() + " (see the server log)");
    }

    static ResponseEntity<ApiError> error(HttpStatus status, String code, String message) {
        // JSON even when the request asked for HTML (a run page): the error is the answer then.
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(new ApiError(status.value(), code, message));
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "empty or unreadable body";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
