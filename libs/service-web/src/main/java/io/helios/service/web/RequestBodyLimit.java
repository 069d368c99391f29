package io.helios.service.web;

import io.helios.security.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Caps every request body at {@link ApiLimits#maxRequestBody()}: a declared {@code Content-Length}
 * over the cap is answered 413 at once, before authentication or any read; a streamed (chunked) body
 * is cut off when it passes the cap ({@link BodyTooLargeException}, answered 413 by the problem
 * handler). Stateless and thread-safe; runs first so an oversized body costs nothing.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class RequestBodyLimit extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(RequestBodyLimit.class);

    private final long max;
    private final Problems problems;

    RequestBodyLimit(ApiLimits limits, JsonMapper json) {
        this.max = limits.maxRequestBody().toBytes();
        this.problems = new Problems(json);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > max) {
            log.debug("413 {} {}: body of {} bytes", request.getMethod(), request.getRequestURI(), declared);
            response.setStatus(413);
            response.setContentType(Problems.MEDIA_TYPE);
            response.setCharacterEncoding("UTF-8");
            response.getOutputStream().write(problems.json(Problems.problem(HttpStatus.PAYLOAD_TOO_LARGE,
                    "body-too-large", "Request body too large", "the request body is larger than " + max + " bytes",
                    request.getRequestURI())));
            return;
        }
        chain.doFilter(new Limited(request, max), response);
    }

    /** Thrown while reading a streamed body that passes the cap. */
    static final class BodyTooLargeException extends IOException {
        BodyTooLargeException(long max) {
            super("the request body is larger than " + max + " bytes");
        }
    }

    private static final class Limited extends HttpServletRequestWrapper {

        private final long max;
        private ServletInputStream stream;

        Limited(HttpServletRequest request, long max) {
            super(request);
            this.max = max;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new Counting(super.getInputStream(), max);
            }
            return stream;
        }
    }

    private static final class Counting extends ServletInputStream {

        private final ServletInputStream in;
        private final long max;
        private long read;

        Counting(ServletInputStream in, long max) {
            this.in = in;
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws BodyTooLargeException {
            read += n;
            if (read > max) {
                throw new BodyTooLargeException(max);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
