package dev.alter.it.harness;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed server certificate made at test start, valid for {@code localhost}, {@code
 * 127.0.0.1} and any extra DNS names a test dials through a hosts file (e.g. {@code
 * api.datadoghq.com}). It provides the server's key store and a PKCS#12 trust store file that child
 * JVMs are pointed at with {@link #trustStoreProperties()}.
 */
public final class TestCertificate {
  private static final char[] PASSWORD = "alter-it".toCharArray();

  private final KeyStore keyStore;
  private final Path trustStoreFile;
  private final Set<String> dnsNames;

  private TestCertificate(KeyStore keyStore, Path trustStoreFile, Set<String> dnsNames) {
    this.keyStore = keyStore;
    this.trustStoreFile = trustStoreFile;
    this.dnsNames = dnsNames;
  }

  /** For localhost and 127.0.0.1 only. */
  public static TestCertificate generate(Path dir) {
    return generate(dir, List.of());
  }

  /**
   * For localhost, 127.0.0.1 and {@code extraDnsNames}; writes the trust store into {@code dir}.
   */
  public static TestCertificate generate(Path dir, List<String> extraDnsNames) {
    Set<String> names = new LinkedHashSet<>();
    names.add("localhost");
    names.addAll(extraDnsNames);
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(256);
      KeyPair keyPair = generator.generateKeyPair();
      X509Certificate certificate = selfSigned(keyPair, names);

      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      keyStore.load(null, null);
      keyStore.setKeyEntry(
          "server",
          keyPair.getPrivate(),
          PASSWORD,
          new java.security.cert.Certificate[] {certificate});

      KeyStore trustStore = KeyStore.getInstance("PKCS12");
      trustStore.load(null, null);
      trustStore.setCertificateEntry("alter-it-server", certificate);
      Files.createDirectories(dir);
      Path trustStoreFile = dir.resolve("truststore.p12");
      try (OutputStream out = Files.newOutputStream(trustStoreFile)) {
        trustStore.store(out, PASSWORD);
      }
      return new TestCertificate(keyStore, trustStoreFile, names);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("could not generate the test certificate", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static X509Certificate selfSigned(KeyPair keyPair, Set<String> dnsNames)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    Instant now = Instant.now();
    X500Name subject = new X500Name("CN=localhost, O=Alter integration tests");
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            subject,
            new BigInteger(64, new SecureRandom()),
            Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(Duration.ofDays(2))),
            subject,
            keyPair.getPublic());
    List<GeneralName> altNames = new ArrayList<>();
    for (String name : dnsNames) {
      altNames.add(new GeneralName(GeneralName.dNSName, name));
    }
    altNames.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
    builder.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(altNames.toArray(new GeneralName[0])));
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate())));
  }

  public KeyStore keyStore() {
    return keyStore;
  }

  public String password() {
    return new String(PASSWORD);
  }

  public Path trustStoreFile() {
    return trustStoreFile;
  }

  public Set<String> dnsNames() {
    return dnsNames;
  }

  /** System properties that make a child JVM's default TLS trust exactly this certificate. */
  public List<String> trustStoreProperties() {
    return List.of(
        "-Djavax.net.ssl.trustStore=" + trustStoreFile,
        "-Djavax.net.ssl.trustStorePassword=" + password(),
        "-Djavax.net.ssl.trustStoreType=PKCS12");
  }
}
