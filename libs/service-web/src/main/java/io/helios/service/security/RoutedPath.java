package io.helios.service.security;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.RequestPath;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * The path of a request as Spring MVC routes it: the path within the application, parsed into
 * segments whose values are percent-decoded with {@code ;} parameters stripped (what
 * {@code PathPattern} matching sees). Authorization and the audit trail use this, never the raw
 * request line, so {@code /%61pi/v1/audit} is judged and recorded as the {@code /api/v1/audit} the
 * handler mapping dispatches it to. Stateless.
 */
public final class RoutedPath {

    private RoutedPath() {
    }

    /** The parsed path within the application, the one the handler mappings match. */
    public static PathContainer of(HttpServletRequest request) {
        RequestPath path = ServletRequestPathUtils.hasParsedRequestPath(request)
                ? ServletRequestPathUtils.getParsedRequestPath(request)
                : RequestPath.parse(request.getRequestURI(), request.getContextPath());
        return path.pathWithinApplication();
    }

    /** The routed path as text: decoded segment values, parameters dropped, separators kept as sent. */
    public static String decoded(HttpServletRequest request) {
        StringBuilder out = new StringBuilder();
        for (PathContainer.Element e : of(request).elements()) {
            out.append(e instanceof PathContainer.PathSegment s ? s.valueToMatch() : e.value());
        }
        return out.isEmpty() ? "/" : out.toString();
    }
}
