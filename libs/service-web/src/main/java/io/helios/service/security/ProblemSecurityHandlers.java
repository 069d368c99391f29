package io.helios.service.security;

import io.helios.security.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;

import java.io.IOException;

/**
 * 400 (a request line the firewall refuses), 401 and 403 as RFC 9457 problem details. The 401 keeps the {@code WWW-Authenticate: Bearer}
 * header of RFC 6750; neither answer echoes the token.
 */
final class ProblemSecurityHandlers implements AuthenticationEntryPoint, AccessDeniedHandler, RequestRejectedHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemSecurityHandlers.class);

    private final BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();
    private final Problems problems;

    ProblemSecurityHandlers(Problems problems) {
        this.problems = problems;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        bearer.commence(request, response, e);
        String detail = request.getHeader("Authorization") == null
                ? "a bearer token is required (Authorization: Bearer <token>)"
                : "the bearer token is invalid, expired or not signed by a trusted key";
        log.debug("401 {} {}: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
        write(response, 401, Problems.unauthorized(detail, request.getRequestURI()));
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        String detail = "your token does not allow this operation";
        if (e instanceof AuthorizationDeniedException denied
                && denied.getAuthorizationResult() instanceof PolicyAuthorizationManager.Refusal refusal) {
            detail = refusal.reason();
        }
        log.debug("403 {} {}: {}", request.getMethod(), request.getRequestURI(), detail);
        write(response, 403, Problems.forbidden(detail, request.getRequestURI()));
    }

    /**
     * The firewall refused the request line ({@code //}, {@code /./}, {@code ..}, {@code ;}, encoded
     * {@code /}, {@code \\} or {@code %}, ...): answered here, before any routing, so that no error
     * page dispatch (which the authorization would refuse) turns the 400 into something else.
     */
    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException e)
            throws IOException {
        log.debug("400 {} {}: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
        write(response, 400, Problems.problem(HttpStatus.BAD_REQUEST, "malformed-path", "Malformed path",
                "the request path is not in canonical form (encoded separators, dot segments, empty segments or"
                        + " parameters); send the path the API documents", null));
    }

    private void write(HttpServletResponse response, int status, ProblemDetail problem) throws IOException {
        response.setStatus(status);
        response.setContentType(Problems.MEDIA_TYPE);
        response.getOutputStream().write(problems.json(problem));
    }
}
