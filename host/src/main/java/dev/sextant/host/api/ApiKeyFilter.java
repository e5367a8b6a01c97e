package dev.sextant.host.api;

import dev.sextant.host.SextantProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * When {@code sextant.api-key} is set, refuses {@code /api} requests that do not carry it as
 * {@code X-API-Key} or {@code Authorization: Bearer <key>} (401, JSON body).
 */
@Component
class ApiKeyFilter extends OncePerRequestFilter {

    private final byte[] key;

    ApiKeyFilter(SextantProperties properties) {
        String configured = properties.apiKey();
        this.key = configured == null || configured.isBlank() ? null : configured.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return key == null || !request.getRequestURI().startsWith("/api");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String given = request.getHeader("X-API-Key");
        String authorization = request.getHeader("Authorization");
        if (given == null && authorization != null && authorization.startsWith("Bearer ")) {
            given = authorization.substring("Bearer ".length()).trim();
        }
        if (given != null && MessageDigest.isEqual(key, given.getBytes(StandardCharsets.UTF_8))) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setContentType("application/json");
        response.getWriter().write("{\"status\":401,\"error\":\"unauthorized\",\"message\":\"this server requires an API key:"
                + " send it as the X-API-Key header or Authorization: Bearer <key>\",\"problems\":[]}");
    }
}
