package dev.alter.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A leaf command that talks to the admin API. Subclasses do the call and print the result. */
public abstract class AdminCommand implements Callable<Integer> {
  @Spec protected CommandSpec spec;

  @Override
  public final Integer call() {
    AlterCommand root = (AlterCommand) spec.root().userObject();
    run(root.openSession());
    return ExitCodes.OK;
  }

  protected abstract void run(Session session);
}
