package io.helios.service.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits of the REST API ({@code helios.api.*}).
 *
 * @param maxRequestBody largest request body accepted; a larger one is answered 413 before it is
 *                       read (by its {@code Content-Length}) or as soon as the streamed body passes it
 */
@ConfigurationProperties("helios.api")
public record ApiLimits(@DefaultValue("1MB") DataSize maxRequestBody) {
}
