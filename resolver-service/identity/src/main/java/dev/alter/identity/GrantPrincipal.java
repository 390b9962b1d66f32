package dev.alter.identity;

import java.util.Objects;

/**
 * Whom a grant is for, as stored with the grant (API.md: {@code principal}). The service maps its
 * stored principal onto one of these before asking {@link PrincipalMatcher}.
 */
public sealed interface GrantPrincipal {

  /** A process that holds the app key; no identity needed. */
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
