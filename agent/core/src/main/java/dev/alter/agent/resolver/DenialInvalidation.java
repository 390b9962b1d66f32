package dev.alter.agent.resolver;

/**
 * The hook through which change events reach cached denials: {@link GrantResolver} calls it after
 * dropping its positive entries for the same event. Until denials are cached it does nothing
 * ({@link #NONE}).
 */
public interface DenialInvalidation {
  /** A change event arrived; denials it may have made wrong are to be forgotten. */
  void changed(ChangeEvent event);

  /** The agent lost track of changes (resume older than the retention): forget every denial. */
  void forgetAll();

  DenialInvalidation NONE =
      new DenialInvalidation() {
        @Override
        public void changed(ChangeEvent event) {}

        @Override
        public void forgetAll() {}
      };
}
