package dev.alter.service.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alter.contract.DestinationPattern;
import dev.alter.service.JsonCodec;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The provider catalog, read once from {@code providers.json} on the class path. */
public final class ProviderCatalog {
  private final Map<String, Provider> providers;

  private ProviderCatalog(Map<String, Provider> providers) {
    this.providers = Collections.unmodifiableMap(providers);
  }

  private record CatalogFile(List<Provider> providers) {}

  public static ProviderCatalog load() {
    ObjectMapper mapper = JsonCodec.mapper();
    try (InputStream in = ProviderCatalog.class.getResourceAsStream("/providers.json")) {
      if (in == null) {
        throw new IllegalStateException("providers.json is missing from the class path");
      }
      CatalogFile file = mapper.readValue(in, CatalogFile.class);
      Map<String, Provider> byId = new LinkedHashMap<>();
      for (Provider p : file.providers()) {
        p.destinations().forEach(DestinationPattern::parse); // a bad catalog fails at start-up
        if (p.minted()) {
          p.minting().tokenEndpoints().forEach(DestinationPattern::parse);
        }
        byId.put(p.id(), p);
      }
      return new ProviderCatalog(byId);
    } catch (IOException e) {
      throw new IllegalStateException("providers.json is unreadable", e);
    }
  }

  public Optional<Provider> find(String id) {
    return Optional.ofNullable(id == null ? null : providers.get(id));
  }

  public List<Provider> all() {
    return List.copyOf(providers.values());
  }
}
