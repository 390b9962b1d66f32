package dev.alter.agent.resolver;

import java.security.KeyManagementException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The TLS context of the resolver client when replicas are dialled by address ({@link
 * ResolverEndpoints}): the JDK HttpClient opens each TLS engine for the host of the URI it dials,
 * here an IP literal, so this context hands the engine the host name the address was looked up
 * from. The certificate is then checked against that name and sent in SNI, as when the name is
 * dialled. Everything else is the wrapped context's.
 */
final class NamePreservingSslContext extends SSLContext {
  NamePreservingSslContext(SSLContext delegate, ResolverEndpoints endpoints) {
    super(new Spi(delegate, endpoints), delegate.getProvider(), delegate.getProtocol());
  }

  private static final class Spi extends SSLContextSpi {
    private final SSLContext delegate;
    private final ResolverEndpoints endpoints;

    Spi(SSLContext delegate, ResolverEndpoints endpoints) {
      this.delegate = delegate;
      this.endpoints = endpoints;
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr)
        throws KeyManagementException {
      delegate.init(km, tm, sr);
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      String name = host == null ? null : endpoints.hostNameFor(host, port);
      return delegate.createSSLEngine(name != null ? name : host, port);
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      return delegate.createSSLEngine();
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      return delegate.getSocketFactory();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      return delegate.getServerSocketFactory();
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      return delegate.getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      return delegate.getClientSessionContext();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
      return delegate.getDefaultSSLParameters();
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return delegate.getSupportedSSLParameters();
    }
  }
}
