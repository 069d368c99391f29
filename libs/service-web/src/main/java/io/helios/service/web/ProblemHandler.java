package io.helios.service.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The one place that turns failures into RFC 9457 problem details. Expected failures (bad
 * input, unknown ids, illegal transitions) log at debug; anything else logs at error and
 * answers 500 without internals.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);
    private static final String TYPE_BASE = "https://helios.io/problems/";

    private final ServiceApi api;
    private final List<ServiceProblems> serviceProblems;

    ProblemHandler(ServiceApi api, ObjectProvider<ServiceProblems> serviceProblems) {
        this.api = api;
        this.serviceProblems = serviceProblems.orderedStream().toList();
    }

    @ExceptionHandler(ApiException.class)
    ProblemDetail api(ApiException e) {
        log.debug("request refused: {} {}", e.status().value(), e.getMessage());
        ProblemDetail p = ProblemDetail.forStatusAndDetail(e.status(), e.getMessage());
        p.setType(e.type());
        p.setTitle(e.title());
        return p;
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail illegalArgument(IllegalArgumentException e) {
        log.debug("invalid input: {}", e.getMessage());
        return problem(HttpStatus.BAD_REQUEST, "invalid-input", "Invalid input", e.getMessage());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
        log.debug("invalid path or query value for {}", e.getName());
        return problem(HttpStatus.BAD_REQUEST, "invalid-input", "Invalid input",
                e.getName() + ": '" + e.getValue() + "' is not a valid value");
    }

    @ExceptionHandler(DuplicateKeyException.class)
    ProblemDetail duplicate(DuplicateKeyException e) {
        log.debug("duplicate: {}", e.getMostSpecificCause().getMessage());
        return problem(HttpStatus.CONFLICT, "duplicate", "Duplicate", "an object with the same unique key already exists");
    }

    /**
     * A foreign key or check refused a write that passed the service's own checks: a concurrent
     * request changed the picture in between (a delete raced with a new reference to the object).
     */
    @ExceptionHandler(DataIntegrityViolationException.class)
    ProblemDetail integrity(DataIntegrityViolationException e) {
        log.debug("integrity violation: {}", e.getMostSpecificCause().getMessage());
        return problem(HttpStatus.CONFLICT, "conflict", "Conflict",
                "a concurrent change conflicts with this request (the object is referenced, or was changed); read it again and retry");
    }

    @ExceptionHandler(OptimisticLockingFailureException.class)
    ProblemDetail concurrentUpdate(OptimisticLockingFailureException e) {
        log.debug("concurrent modification: {}", e.getMessage());
        return problem(HttpStatus.CONFLICT, "concurrent-modification", "Concurrent modification",
                "the object was changed concurrently; read it again and retry");
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e) {
        for (ServiceProblems own : serviceProblems) {
            ProblemDetail p = own.problemFor(e);
            if (p != null) {
                return p;
            }
        }
        log.error("unexpected failure", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Internal error",
                "an unexpected error occurred; see the " + api.logName() + " log");
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        String detail = ex.getBindingResult().getFieldErrors().stream()
                .map(ProblemHandler::describe).sorted().collect(Collectors.joining("; "));
        if (detail.isEmpty()) {
            detail = ex.getBindingResult().getAllErrors().stream()
                    .map(err -> err.getDefaultMessage()).collect(Collectors.joining("; "));
        }
        log.debug("invalid request body: {}", detail);
        return ResponseEntity.badRequest().body(problem(HttpStatus.BAD_REQUEST, "invalid-input", "Invalid input", detail));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        log.debug("unreadable request body: {}", ex.getMessage());
        for (Throwable c = ex; c != null; c = c.getCause()) {
            if (c instanceof RequestBodyLimit.BodyTooLargeException tooLarge) {
                return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).body(problem(HttpStatus.PAYLOAD_TOO_LARGE,
                        "body-too-large", "Request body too large", tooLarge.getMessage()));
            }
        }
        return ResponseEntity.badRequest().body(problem(HttpStatus.BAD_REQUEST, "malformed-body", "Malformed body",
                "the request body is not valid JSON for this operation (check enum values and types)"));
    }

    private static String describe(FieldError e) {
        // rejected values are not echoed: the field may be a password
        return e.getField() + ": " + e.getDefaultMessage();
    }

    /** A problem detail of type {@code https://helios.io/problems/<type>}, for a service's {@link ServiceProblems}. */
    public static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setType(URI.create(TYPE_BASE + type));
        p.setTitle(title);
        return p;
    }
}
