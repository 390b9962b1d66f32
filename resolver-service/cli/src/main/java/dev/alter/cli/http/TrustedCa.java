package dev.alter.cli.http;

import dev.alter.cli.CliFailure;
import dev.alter.cli.ExitCodes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * An {@link SSLContext} that trusts exactly the certificates of a PEM (or DER) CA file, for a
 * resolver service whose certificate comes from a private CA. Host names are still verified.
 */
public final class TrustedCa {
  private TrustedCa() {}

  public static SSLContext sslContext(Path caFile) {
    try (InputStream in = Files.newInputStream(caFile)) {
      Collection<? extends Certificate> certificates =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certificates.isEmpty()) {
        throw badCaFile(caFile, "it holds no certificate");
      }
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      int i = 0;
      for (Certificate certificate : certificates) {
        trusted.setCertificateEntry("ca-" + i++, certificate);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (IOException e) {
      throw badCaFile(caFile, "cannot read it (" + e.getClass().getSimpleName() + ")");
    } catch (GeneralSecurityException e) {
      throw badCaFile(caFile, "not a PEM or DER X.509 certificate file");
    }
  }

  private static CliFailure badCaFile(Path caFile, String why) {
    return new CliFailure(
        "validation_failed",
        ExitCodes.USAGE,
        "--ca-file " + caFile + ": " + why,
        "pass the PEM file of the CA that signed the" + " service's certificate");
  }
}
