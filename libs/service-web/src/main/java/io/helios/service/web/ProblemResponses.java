package io.helios.service.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares which problem-detail answers an operation can give; {@link OpenApiConfiguration}
 * documents each with the {@code application/problem+json} schema and a standard description.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ProblemResponses {

    /** HTTP status codes, for example {@code {400, 404}}. */
    int[] value();
}
