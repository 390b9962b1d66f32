package dev.alter.identity;

import java.util.Objects;

/**
 * Whom a grant is for, as stored with the grant (API.md: {@code principal}). The service maps its
 * stored principal onto one of these before asking {@link PrincipalMatcher}.
 */
public sealed interface GrantPrincipal {

  /**
   * From the principal as the service stores it (API.md): {@code type} plus that type's fields,
   * e.g. {@code {"type":"user","user_id":"alice","idp_id":"idp_corp"}}.
   *
   * @throws IllegalArgumentException for an unknown type or a missing field
   */
  static GrantPrincipal fromStored(java.util.Map<String, String> stored) {
    String type = stored.get("type");
    if ("system".equals(type)) {
      return new System(required(stored, "label"));
    }
    if ("user".equals(type)) {
      return new User(required(stored, "user_id"), required(stored, "idp_id"));
    }
    if ("group".equals(type)) {
      return new Group(required(stored, "external_group_id"), required(stored, "idp_id"));
    }
    if ("agent".equals(type)) {
      return new Agent(required(stored, "agent_id"));
    }
    throw new IllegalArgumentException("unknown principal type: " + type);
  }

  private static String required(java.util.Map<String, String> stored, String field) {
    String value = stored.get(field);
    if (value == null) {
      throw new IllegalArgumentException(
          "principal of type " + stored.get("type") + " lacks " + field);
    }
    return value;
  }

  /**
   * A process that holds the app key; no identity needed. (Named after the API's {@code system}
   * type; refer to it as {@code GrantPrincipal.System} so that {@code java.lang.System} stays
   * visible.)
   */
  record System(String label) implements GrantPrincipal {
    public System {
      Objects.requireNonNull(label, "label");
    }
  }

  /** One user ({@code user_id} = the IdP's user claim) of one identity provider. */
  record User(String userId, String idpId) implements GrantPrincipal {
    public User {
      Objects.requireNonNull(userId, "userId");
      Objects.requireNonNull(idpId, "idpId");
    }
  }

  /** Every current member of a group of one identity provider, as the token's group claim says. */
  record Group(String externalGroupId, String idpId) implements GrantPrincipal {
    public Group {
      Objects.requireNonNull(externalGroupId, "externalGroupId");
      Objects.requireNonNull(idpId, "idpId");
    }
  }

  /** One managed agent ({@code agt_…}). */
  record Agent(String agentId) implements GrantPrincipal {
    public Agent {
      Objects.requireNonNull(agentId, "agentId");
    }
  }
}
