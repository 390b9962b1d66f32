package dev.alter.it.minted;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configuration.OAuth2AuthorizationServerConfiguration;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configurers.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A real OAuth 2.0 authorization server (Spring Authorization Server) on 127.0.0.1: clients are
 * registered, disabled and their users' authorizations issued or withdrawn by the tests, and every
 * token request is counted. Access tokens are JWTs signed by the server's own key, so a test can
 * verify what a provider would: issuer signature, client, scope, and the audience and resource the
 * request asked for (copied into the claims {@code requested_audience} and {@code
 * requested_resource}).
 */
final class LocalAuthorizationServer implements AutoCloseable {
  private final ConfigurableApplicationContext context;
  private final Clients clients;
  private final OAuth2AuthorizationService authorizations;
  private final TokenRequests tokenRequests;
  private final ClientKeys clientKeys;
  private final String baseUrl;

  private LocalAuthorizationServer(ConfigurableApplicationContext context) {
    this.context = context;
    this.clients = context.getBean(Clients.class);
    this.authorizations = context.getBean(OAuth2AuthorizationService.class);
    this.tokenRequests = context.getBean(TokenRequests.class);
    this.clientKeys = context.getBean(ClientKeys.class);
    int port = ((WebServerApplicationContext) context).getWebServer().getPort();
    this.baseUrl = "http://127.0.0.1:" + port;
  }

  static LocalAuthorizationServer start() {
    // the test JVM's logging is the harness's: Boot leaves it alone
    System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
    return new LocalAuthorizationServer(
        new SpringApplicationBuilder(Config.class)
            .web(WebApplicationType.SERVLET)
            .properties(
                Map.of(
                    "server.port", "0",
                    "server.address", "127.0.0.1",
                    "spring.main.banner-mode", "off",
                    "logging.level.root", "WARN"))
            .run());
  }

  String tokenEndpoint() {
    return baseUrl + "/oauth2/token";
  }

  /** An endpoint that answers 200 with JSON that is not a token response. */
  String notATokenEndpoint() {
    return baseUrl + "/test/not-a-token";
  }

  /** A client-credentials client authenticating with a secret the way {@code method} says. */
  void registerSecretClient(String clientId, String secret, ClientAuthenticationMethod method) {
    clients.save(
        RegisteredClient.withId(UUID.randomUUID().toString())
            .clientId(clientId)
            .clientSecret("{noop}" + secret)
            .clientAuthenticationMethod(method)
            .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
            .scope("reports.read")
            .scope("reports.write")
            .tokenSettings(
                TokenSettings.builder().accessTokenTimeToLive(Duration.ofHours(1)).build())
            .build());
  }

  /** A client-credentials client authenticating with a JWT signed by {@code key} (RFC 7523). */
  void registerPrivateKeyJwtClient(String clientId, RSAKey key) {
    clientKeys.put(clientId, key.toPublicJWK());
    clients.save(
        RegisteredClient.withId(UUID.randomUUID().toString())
            .clientId(clientId)
            .clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
            .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
            .scope("reports.read")
            .clientSettings(
                ClientSettings.builder()
                    .jwkSetUrl(baseUrl + "/test/client-jwks/" + clientId)
                    .tokenEndpointAuthenticationSigningAlgorithm(SignatureAlgorithm.RS256)
                    .build())
            .build());
  }

  /** A client whose users' refresh tokens rotate on every use. */
  void registerRefreshClient(String clientId, String secret) {
    clients.save(
        RegisteredClient.withId(UUID.randomUUID().toString())
            .clientId(clientId)
            .clientSecret("{noop}" + secret)
            .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
            .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
            .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
            .redirectUri("http://127.0.0.1/callback")
            .scope("mail.read")
            .tokenSettings(
                TokenSettings.builder()
                    .reuseRefreshTokens(false)
                    .accessTokenTimeToLive(Duration.ofHours(1))
                    .refreshTokenTimeToLive(Duration.ofDays(1))
                    .build())
            .build());
  }

  /**
   * What a user's consent would leave: an authorization of {@code user} for the client holding a
   * refresh token. Returns its id; its refresh token is {@code refreshToken}.
   */
  String authorize(String clientId, String user, String refreshToken) {
    RegisteredClient client = clients.findByClientId(clientId);
    Instant now = Instant.now();
    OAuth2Authorization authorization =
        OAuth2Authorization.withRegisteredClient(client)
            .principalName(user)
            .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
            .authorizedScopes(Set.of("mail.read"))
            .refreshToken(new OAuth2RefreshToken(refreshToken, now, now.plus(Duration.ofDays(1))))
            .attribute(
                Principal.class.getName(),
                UsernamePasswordAuthenticationToken.authenticated(user, null, List.of()))
            .build();
    authorizations.save(authorization);
    return authorization.getId();
  }

  /** The user withdraws consent: the authorization's refresh token stops working. */
  void withdraw(String authorizationId) {
    authorizations.remove(authorizations.findById(authorizationId));
  }

  /** The refresh token the authorization holds now (after any rotation). */
  String currentRefreshToken(String authorizationId) {
    return authorizations.findById(authorizationId).getRefreshToken().getToken().getTokenValue();
  }

  void disable(String clientId) {
    clients.disable(clientId);
  }

  int tokenRequests() {
    return tokenRequests.count.get();
  }

  /** Verifies an access token as a resource server of this issuer would. */
  Jwt verify(String accessToken) {
    return context.getBean(JwtDecoder.class).decode(accessToken);
  }

  @Override
  public void close() {
    context.close();
  }

  /** Registered clients that a test may also disable (as an administrator revoking a client). */
  static final class Clients implements RegisteredClientRepository {
    private final Map<String, RegisteredClient> byId = new ConcurrentHashMap<>();
    private final Set<String> disabled = ConcurrentHashMap.newKeySet();

    @Override
    public void save(RegisteredClient client) {
      byId.put(client.getId(), client);
    }

    @Override
    public RegisteredClient findById(String id) {
      RegisteredClient client = byId.get(id);
      return client == null || disabled.contains(client.getClientId()) ? null : client;
    }

    @Override
    public RegisteredClient findByClientId(String clientId) {
      if (disabled.contains(clientId)) {
        return null;
      }
      return byId.values().stream()
          .filter(c -> c.getClientId().equals(clientId))
          .findFirst()
          .orElse(null);
    }

    void disable(String clientId) {
      disabled.add(clientId);
    }
  }

  /** The public keys of private_key_jwt clients, served as each client's JWK Set URL. */
  static final class ClientKeys {
    private final Map<String, RSAKey> keys = new ConcurrentHashMap<>();

    void put(String clientId, RSAKey publicKey) {
      keys.put(clientId, publicKey);
    }

    Map<String, Object> jwks(String clientId) {
      RSAKey key = keys.get(clientId);
      return key == null ? new JWKSet().toJSONObject() : new JWKSet(key).toJSONObject();
    }
  }

  /** Counts requests to the token endpoint. */
  static final class TokenRequests extends OncePerRequestFilter {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    protected void doFilterInternal(
        HttpServletRequest request, HttpServletResponse response, FilterChain chain)
        throws ServletException, IOException {
      if ("POST".equals(request.getMethod()) && request.getRequestURI().equals("/oauth2/token")) {
        count.incrementAndGet();
      }
      chain.doFilter(request, response);
    }
  }

  @RestController
  static final class ClientJwksEndpoint {
    private final ClientKeys keys;

    ClientJwksEndpoint(ClientKeys keys) {
      this.keys = keys;
    }

    /** Not a token endpoint: a 200 with JSON that is no token response. */
    @org.springframework.web.bind.annotation.PostMapping("/test/not-a-token")
    Map<String, Object> notAToken() {
      return Map.of("status", "ok");
    }

    @GetMapping("/test/client-jwks/{clientId}")
    Map<String, Object> jwks(
        @org.springframework.web.bind.annotation.PathVariable String clientId) {
      return keys.jwks(clientId);
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class Config {
    @Bean
    Clients registeredClients() {
      return new Clients();
    }

    @Bean
    OAuth2AuthorizationService authorizationService() {
      return new InMemoryOAuth2AuthorizationService();
    }

    @Bean
    ClientKeys clientKeys() {
      return new ClientKeys();
    }

    @Bean
    TokenRequests tokenRequests() {
      return new TokenRequests();
    }

    /** Ahead of Spring Security's filters, which answer token requests themselves. */
    @Bean
    org.springframework.boot.web.servlet.FilterRegistrationBean<TokenRequests> countFirst(
        TokenRequests filter) {
      var registration = new org.springframework.boot.web.servlet.FilterRegistrationBean<>(filter);
      registration.setOrder(org.springframework.core.Ordered.HIGHEST_PRECEDENCE);
      return registration;
    }

    @Bean
    ClientJwksEndpoint clientJwksEndpoint(ClientKeys keys) {
      return new ClientJwksEndpoint(keys);
    }

    @Bean
    JWKSource<SecurityContext> jwkSource() throws Exception {
      return new ImmutableJWKSet<>(
          new JWKSet(new RSAKeyGenerator(2048).keyID("as-key").generate()));
    }

    @Bean
    JwtDecoder jwtDecoder(JWKSource<SecurityContext> jwkSource) {
      return OAuth2AuthorizationServerConfiguration.jwtDecoder(jwkSource);
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings() {
      return AuthorizationServerSettings.builder().build();
    }

    /** Puts what a client-credentials request asked for into the token, for the tests to check. */
    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> requestedParameters() {
      return context -> {
        if (context.getAuthorizationGrant()
            instanceof OAuth2ClientCredentialsAuthenticationToken t) {
          for (String name : List.of("audience", "resource", "tenant_hint")) {
            Object value = t.getAdditionalParameters().get(name);
            if (value != null) {
              context.getClaims().claim("requested_" + name, value.toString());
            }
          }
        }
      };
    }

    @Bean
    @Order(1)
    SecurityFilterChain authorizationServer(HttpSecurity http) throws Exception {
      OAuth2AuthorizationServerConfigurer server =
          OAuth2AuthorizationServerConfigurer.authorizationServer();
      http.securityMatcher(server.getEndpointsMatcher())
          .with(server, Customizer.withDefaults())
          .authorizeHttpRequests(a -> a.anyRequest().authenticated());
      return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain testEndpoints(HttpSecurity http) throws Exception {
      http.authorizeHttpRequests(a -> a.anyRequest().permitAll()).csrf(c -> c.disable());
      return http.build();
    }
  }
}
