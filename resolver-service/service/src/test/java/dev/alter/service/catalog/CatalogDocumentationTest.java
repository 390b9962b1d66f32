package dev.alter.service.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alter.contract.InjectionSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docs/catalog.md's provider table is generated from providers.json, so the operator's page cannot
 * drift from what the service ships. After a catalog change, regenerate it with {@code mvn -pl
 * resolver-service/service test -Dtest=CatalogDocumentationTest -Dalter.docs.write=true}.
 */
class CatalogDocumentationTest {
  private static final Path CATALOG_DOC = Path.of("../../docs/catalog.md");
  private static final String BEGIN = "<!-- catalog table: generated from providers.json -->";
  private static final String END = "<!-- end of catalog table -->";

  @Test
  void theCatalogPageListsEveryEntryAsProvidersJsonDefinesIt() throws IOException {
    String doc = Files.readString(CATALOG_DOC);
    int begin = doc.indexOf(BEGIN);
    int end = doc.indexOf(END);
    assertThat(begin).as("docs/catalog.md marks its generated table").isNotNegative();
    assertThat(end).isGreaterThan(begin);
    String table = table(ProviderCatalog.load().all());
    String current = doc.substring(begin + BEGIN.length(), end);
    if (Boolean.getBoolean("alter.docs.write")) {
      Files.writeString(
          CATALOG_DOC, doc.substring(0, begin + BEGIN.length()) + table + doc.substring(end));
      return;
    }
    assertThat(current)
        .as("docs/catalog.md is out of date: rerun with -Dalter.docs.write=true")
        .isEqualTo(table);
  }

  @Test
  void everyEntryNamesTheDocumentationItFollows() {
    for (Provider p : ProviderCatalog.load().all()) {
      if (!p.operatorDefined()) {
        assertThat(p.docs()).as("%s docs", p.id()).startsWith("https://");
      }
    }
  }

  private static String table(List<Provider> providers) {
    StringBuilder out =
        new StringBuilder("\n| provider | injection | default destinations | source |\n");
    out.append("|---|---|---|---|\n");
    for (Provider p : providers) {
      out.append("| `")
          .append(p.id())
          .append("` ")
          .append(p.name())
          .append(" | ")
          .append(injection(p))
          .append(" | ")
          .append(
              p.destinations().isEmpty()
                  ? "operator-defined, required"
                  : p.destinations().stream()
                      .map(d -> "`" + d.replaceFirst("^https://", "") + "`")
                      .collect(Collectors.joining(", ")))
          .append(" | ")
          .append(p.docs() == null ? "" : "[docs](" + p.docs() + ")")
          .append(" |\n");
    }
    return out.toString();
  }

  private static String injection(Provider p) {
    return p.minted()
        ? "token minted by the service (" + p.minting().kind() + "), " + injection(p.injection())
        : injection(p.injection());
  }

  private static String injection(InjectionSpec spec) {
    if (spec == null) {
      return "operator-defined: headers with `{credential}` templates, Basic with a username, or a"
          + " query parameter";
    }
    return switch (spec.getType()) {
      case InjectionSpec.HEADER ->
          spec.getHeaders().stream()
              .map(
                  h ->
                      (h.isOptional() ? "optional " : "")
                          + "`"
                          + h.getName()
                          + ": "
                          + h.getTemplate()
                          + "`")
              .collect(Collectors.joining(", "));
      case InjectionSpec.BASIC ->
          spec.getUsername() == null
              ? "HTTP Basic, password = credential, username given when storing"
              : "HTTP Basic, username `" + spec.getUsername() + "`, password = credential";
      case InjectionSpec.QUERY -> "query parameter `" + spec.getQueryParam() + "`";
      case InjectionSpec.AWS_SIGV4 -> "SigV4 per request ([aws.md](aws.md))";
      default -> spec.getType();
    };
  }
}
